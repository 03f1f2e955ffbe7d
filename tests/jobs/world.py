"""Jobs in a test world: an import job that has finished (its dry run of items found one bad cell)."""

from __future__ import annotations

from factoryos.jobs.models import Job, JobStatus


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


def build(owner, objects: dict) -> dict:
    return {"jobs.job": _job(owner)}


def grow(owner, objects: dict, n: int) -> None:
    for k in range(n):
        _job(owner, k + 1)
