"""The audit trail's scheduled work: an hourly checkpoint of every organization's chain head (settings
``AUDIT_CHECKPOINT_INTERVAL``), written outside the database so ``audit_verify`` can tell a cut or rewritten tail.

django-tasks has no scheduler: each run enqueues the next (``run_after``), and ``schedule()`` starts the cycle
once, doing nothing when a run is already waiting (``manage.py audit_checkpoint --schedule``, which ``make run``
calls before starting the worker; run it once at each production deploy).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from factoryos.audit.models import AuditEvent
from factoryos.audit.services import checkpoint_write

Organization = AuditEvent._meta.get_field("org").related_model


def checkpoint_all() -> int:
    """A checkpoint of every organization's chain; how many were written."""
    written = 0
    for org in Organization.objects.order_by("pk"):
        checkpoint_write(org)
        written += 1
    return written


@task()
def scheduled_checkpoints() -> int:
    written = checkpoint_all()
    schedule(after=timedelta(seconds=settings.AUDIT_CHECKPOINT_INTERVAL))
    return written


def schedule(*, after: timedelta = timedelta(0)) -> bool:
    """Queue the next scheduled run unless one is already waiting; whether one was queued."""
    path = scheduled_checkpoints.module_path
    if DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists():
        return False
    scheduled_checkpoints.using(run_after=timezone.now() + after).enqueue()
    return True
