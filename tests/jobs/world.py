"""Jobs in a test world: an import job that has finished (its dry run of items found one bad cell), and a large
export the worker has made."""

from __future__ import annotations

from factoryos.jobs.models import Job, JobStatus
from factoryos.jobs.services import seal_upload


def _job(owner, n: int = 0) -> Job:
    """A finished job as the worker leaves it (the worker is not run while a world is built)."""
    return Job.objects.create(
        org=owner.org,
        kind="import",
        title=f"Check of items from parts-{n}.csv",
        params={"kind": "items", "filename": f"parts-{n}.csv", "dry_run": True},
        view_permission="catalog.view",
        status=JobStatus.SUCCEEDED,
        done=2,
        total=2,
        result={"kind": "items", "dry_run": True, "rows": 2, "created": 0},
        errors=[{"row": 3, "column": "unit", "message": "Unknown unit 'lb'.", "code": "invalid"}],
        created_by=owner,
    )


def _export_job(owner) -> Job:
    """A large export the worker has made: its file sealed in the job, ready to download."""
    content = b"sku,name\r\nBRK-100,Bracket\r\n"
    return Job.objects.create(
        org=owner.org,
        kind="export",
        title="Export of items (CSV)",
        params={"kind": "items", "format": "csv"},
        view_permission="catalog.view",
        status=JobStatus.SUCCEEDED,
        done=1,
        total=1,
        result={
            "kind": "items",
            "format": "csv",
            "rows": 1,
            "filename": "items.csv",
            "content_type": "text/csv; charset=utf-8",
            "object_type": "catalog.item",
        },
        upload=seal_upload(content),
        created_by=owner,
    )


def build(owner, objects: dict) -> dict:
    return {"jobs.job": _job(owner), "jobs.job#export": _export_job(owner)}


def grow(owner, objects: dict, n: int) -> None:
    for k in range(n):
        _job(owner, k + 1)
