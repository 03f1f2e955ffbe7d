"""The task worker in the test's process: ``manage.py db_worker --batch``'s own Worker, over the test's database.

Tasks are enqueued when a request commits; inside a test's transaction wrap the request in
``django_capture_on_commit_callbacks(execute=True)`` (pytest-django) so that its on-commit callbacks run. Then
``run_tasks()`` runs every task that is due, exactly as the worker process would, and returns how many it ran.
"""

from __future__ import annotations

from unittest import mock

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_tasks(queues: str = "*") -> int:
    """Run the due tasks of ``queues`` (comma-separated, ``*`` for all), then return: as ``db_worker --batch``."""
    before = DBTaskResult.objects.exclude(status=TaskResultStatus.READY).count()
    worker = Worker(
        queue_names=queues.split(","),
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    # The worker recycles stale connections between tasks; inside the test's transaction that would close it (the
    # test client skips it for requests the same way).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        worker.run()
    return DBTaskResult.objects.exclude(status=TaskResultStatus.READY).count() - before


def waiting(queues: str = "*") -> list[DBTaskResult]:
    """The tasks not yet run (due or not), oldest first."""
    tasks = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at")
    return list(tasks if queues == "*" else tasks.filter(queue_name__in=queues.split(",")))


def make_due() -> int:
    """Let time pass: every task waiting for its time (a retry's backoff) is due now."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
