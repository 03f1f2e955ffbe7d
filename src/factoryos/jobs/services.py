"""Jobs: started by a request, run by the task worker, with their progress in between.

- ``job_create(actor=, kind=, title=, task=, view_permission=, params=, upload=)`` (in the request): the job row,
  its file sealed into it, the CREATE event (who asked for what), and ``task`` enqueued with ``(org id, job id)``
  once the request commits. The request returns at once; the page and the API poll the job.
- ``run(org_id, job_id, work)`` (in the task, in the worker): activates the organization (the ORM and row-level
  security), binds the audit context to the member who asked (or their API key) and the request they asked in,
  marks the job running, calls ``work(job, actor, progress)`` in one transaction, and stores its ``Outcome`` (an
  exception is a failure: nothing of ``work``'s is kept). A job runs once: a task run again finds it started.
- ``progress(done, total)``: ``work``'s transaction is invisible to other connections until it commits, so the
  count goes to a cache the worker and the web processes share (settings.CACHES["jobs"]); the row gets the final
  count when the job ends (``selectors.live_progress`` reads both).

A job's status and progress are its own record, not audit events; what its work writes is audited by the services
it calls, in its transaction, under the member's name.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

from factoryos.audit import context as audit_context
from factoryos.audit import services as audit
from factoryos.core.models import Membership, Organization
from factoryos.jobs.models import Job, JobStatus
from factoryos.jobs.selectors import opened, progress_key
from factoryos.kernel import crypto, events
from factoryos.kernel.events import Action
from factoryos.kernel.tasks import enqueue_on_commit
from factoryos.kernel.tenancy import org_scope

logger = logging.getLogger("factoryos.jobs")

UPLOAD_TTL = timedelta(days=1)  # a file kept for a later step (an import after its dry run) is dropped after this
PROGRESS_INTERVAL = 0.5  # seconds between two progress reports
ORIGIN = ("ip", "user_agent", "request_id", "referrer", "path", "method")  # the request's facts a job's events carry
FAILED_MESSAGE = "The job stopped on an unexpected error: nothing was written. Try again, or ask for help."


@dataclass
class Outcome:
    """What a job's work ends with: its summary, its report, whether its file is still needed, and the file it made
    (an export: kept sealed in the job for its asker to download, see ``selectors.made_file``)."""

    ok: bool
    result: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""
    keep_upload: bool = False
    made: bytes | None = None


class Progress:
    """Reports ``(done, total)`` of a running job where the web processes see it (at most every half second)."""

    def __init__(self, job: Job):
        self.key = progress_key(job)
        self.done = self.total = 0
        self._reported = 0.0

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if done < total and now - self._reported < PROGRESS_INTERVAL:
            return
        self._reported = now
        try:
            caches["jobs"].set(self.key, [done, total], timeout=24 * 3600)
        except Exception:  # a nicety: the job goes on without it
            logger.warning("job progress could not be reported", exc_info=True)

    def clear(self) -> None:
        try:
            caches["jobs"].delete(self.key)
        except Exception:
            logger.warning("job progress could not be cleared", exc_info=True)


Work = Callable[[Job, Membership, Progress], Outcome]


def seal_upload(data: bytes) -> bytes:
    return b"".join(crypto.encrypt_stream([data]))


def upload_of(job: Job) -> bytes:
    """The file the job works on, opened."""
    if job.upload is None:
        raise ValueError(f"job {job.pk} has no file")
    return opened(job.upload)


@transaction.atomic
def job_create(
    *,
    actor: Membership,
    kind: str,
    title: str,
    task: Task[..., Any],
    view_permission: str,
    params: dict[str, Any] | None = None,
    upload: bytes | None = None,
) -> Job:
    """A queued job of ``kind`` for ``actor``; ``task(org_id, job_id)`` runs it once this transaction commits."""
    now = timezone.now()
    # Files kept for a step that never came (a dry run not followed by its import) go after a day.
    Job.objects.filter(finished_at__lt=now - UPLOAD_TTL, upload__isnull=False).update(upload=None)
    asked = audit_context.get()
    job = Job.objects.create(
        org=actor.org,
        kind=kind,
        title=title[:300],
        params=params or {},
        view_permission=view_permission,
        created_by=actor,
        api_key=actor.acting_key,
        upload=None if upload is None else seal_upload(upload),
        origin=json.dumps({name: getattr(asked, name) for name in ORIGIN}),
    )
    events.record(action=Action.CREATE, actor=actor, obj=job, metadata={"kind": kind, "params": params or {}})
    enqueue_on_commit(task, actor.org_id, job.pk)
    return job


def _context(job: Job, actor: Membership) -> audit_context.AuditContext:
    """The audit context of the job's work: who asked (the member, or their key) and the request they asked in."""
    asked = json.loads(job.origin or "{}")
    origin = {name: asked[name] for name in ORIGIN if name in asked}
    return audit_context.as_member(actor, **origin)  # run() has set actor.acting_key to the job's key


def _start(org: Organization, job_id: int) -> tuple[Job, str]:
    """Lock the job and mark it running: (job, ''), or (job, why not) when it has already been started."""
    with transaction.atomic(), org_scope(org):
        job = Job.objects.select_for_update(of=("self",)).select_related("created_by__user", "api_key").get(pk=job_id)
        if job.status != JobStatus.QUEUED:
            return job, f"job {job.pk} is already {job.status}"
        job.status, job.started_at = JobStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
        return job, ""


def _refusal(job: Job) -> str:
    """Why the job may no longer act for who asked (they left, their key was revoked), or ''."""
    if not job.created_by.is_active:
        return "The member who started this job is no longer a member: nothing was done."
    if job.api_key is not None and not job.api_key.is_usable:
        return "The API key that started this job has been revoked or has expired: nothing was done."
    return ""


def _finish(org: Organization, job: Job, outcome: Outcome, progress: Progress) -> None:
    with transaction.atomic(), org_scope(org):
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.SUCCEEDED if outcome.ok else JobStatus.FAILED,
            done=min(progress.done, progress.total),
            total=progress.total,
            result=outcome.result,
            errors=outcome.errors,
            message=outcome.message[:2000],
            finished_at=timezone.now(),
            **({} if outcome.keep_upload else {"upload": None if outcome.made is None else seal_upload(outcome.made)}),
        )
    progress.clear()


def run(org_id: int, job_id: int, work: Work) -> None:
    """Run job ``job_id`` of organization ``org_id`` through ``work`` (called by the job kind's task)."""
    org = Organization.objects.get(pk=org_id)
    job, skipped = _start(org, job_id)
    if skipped:
        logger.warning("%s: not run again", skipped)
        return
    progress = Progress(job)
    actor = job.created_by
    actor.acting_key = job.api_key
    refusal = _refusal(job)
    if refusal:
        _finish(org, job, Outcome(ok=False, message=refusal), progress)
        return
    try:
        # The events are linked as the work commits: the organization's chain is locked at the end, not throughout.
        with (
            transaction.atomic(),
            org_scope(org),
            audit_context.bind(_context(job, actor)),
            audit.linked_at_commit() as drafted,
        ):
            outcome = work(job, actor, progress)
            if not transaction.get_rollback():
                audit.link_pending(drafted)
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        outcome = Outcome(ok=False, message=FAILED_MESSAGE)
    _finish(org, job, outcome, progress)
