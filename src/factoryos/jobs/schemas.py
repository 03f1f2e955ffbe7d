"""The API's body of a job: its status and progress, its summary and its report."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Schema

from factoryos.jobs.models import Job
from factoryos.jobs.selectors import live_progress


class JobOut(Schema):
    id: int
    url: str  # where to poll it: /api/v1/jobs/{id}
    kind: str
    title: str
    status: Literal["queued", "running", "succeeded", "failed"]
    done: int  # rows done so far (while it runs, as the worker last reported)
    total: int  # rows in all (0 until the file has been read)
    params: dict[str, Any]
    result: dict[str, Any]  # the summary once it has finished (an import: kind, dry_run, rows, created)
    errors: list[dict[str, Any]]  # the report (an import: row, column, message, code), as the dry run gives it
    message: str  # why it failed when the failure is not about a row (a file that cannot be read)
    file_url: str | None  # the file it made (an export), to download once it has succeeded
    created_by_id: int
    api_key_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_url(obj: Job) -> str:
        return reverse("api:job_get", args=[obj.pk])

    @staticmethod
    def resolve_file_url(obj: Job) -> str | None:
        made = obj.status == "succeeded" and obj.result.get("filename")
        return reverse("api:job_file", args=[obj.pk]) if made else None

    @staticmethod
    def resolve_done(obj: Job) -> int:
        return live_progress(obj)[0]

    @staticmethod
    def resolve_total(obj: Job) -> int:
        return live_progress(obj)[1]
