"""Reading jobs: one reader, and the jobs a member may see.

A job is seen by whoever may read what it touches (``Job.view_permission``: an import of items, ``catalog.view``).
Reading a job records no audit event (the routes are marked NOTHING): its status is polled every second while it
runs. What the job reads and writes is audited by the services it calls, under the name of the member who asked
(linked into the chain as the job commits); its creation is audited too, and so is the download of a file it made.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.core.cache import caches
from django.db.models import QuerySet
from django.http import Http404

from factoryos.jobs.filters import JobFilterSet
from factoryos.jobs.models import Job, JobStatus
from factoryos.kernel import crypto, events
from factoryos.kernel.events import Action, Actor
from factoryos.kernel.permissions import PERMISSIONS, is_read
from factoryos.kernel.reads import Reader

jobs = Reader(
    Job,
    queryset=lambda: Job.objects.defer("upload", "origin").select_related("created_by__user", "api_key"),
    filterset=JobFilterSet,
)
READ_PERMISSIONS = tuple(p for p in PERMISSIONS if is_read(p))


def visible(allowed: Callable[[str], bool], queryset: QuerySet[Job] | None = None) -> QuerySet[Job]:
    """The jobs whose ``view_permission`` passes ``allowed`` (e.g. ``lambda p: has_perm(request, p)``)."""
    permitted = [p for p in READ_PERMISSIONS if allowed(p)]
    return (jobs.all() if queryset is None else queryset).filter(view_permission__in=permitted)


def progress_key(job: Job) -> str:
    return f"progress:{job.uid}"


def live_progress(job: Job) -> tuple[int, int]:
    """(done, total) of ``job``: while it runs, as the worker last reported it (its transaction has not committed)."""
    if job.status == JobStatus.RUNNING:
        try:
            reported = caches["jobs"].get(progress_key(job))
        except Exception:  # the progress cache is a nicety: the page shows the job without it
            reported = None
        if reported:
            return int(reported[0]), int(reported[1])
    return job.done, job.total


def opened(sealed: bytes | memoryview) -> bytes:
    """A job's file as it was before ``jobs.services.seal_upload`` sealed it."""
    return b"".join(crypto.decrypt_stream(io.BytesIO(bytes(sealed))))


def made_file(job: Job, *, actor: Actor) -> tuple[bytes, str, str]:
    """The file ``job`` made (an export), for its download: (content, content type, file name). Handing it out is
    the export, so it is recorded as one (what, how many rows, which job), under who downloads it. Http404 when the
    job made no file, or has not finished making it."""
    result = job.result
    sealed = Job.objects.filter(pk=job.pk).values_list("upload", flat=True).first()
    if job.status != JobStatus.SUCCEEDED or not result.get("filename") or sealed is None:
        raise Http404("This job has no file to download.")
    content = opened(sealed)
    events.record_list(
        object_type=result["object_type"],
        criteria={},
        count=result.get("rows", 0),
        action=Action.EXPORT,
        actor=actor,
        kind=result.get("kind", ""),
        format=result.get("format", ""),
        job=job.pk,
    )
    return content, result["content_type"], result["filename"]
