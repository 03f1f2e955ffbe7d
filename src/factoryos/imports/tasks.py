"""The imports' background tasks: the worker runs an import (or a large export) as the member who asked."""

from __future__ import annotations

from django_tasks import task

from factoryos.jobs import services as jobs


@task()
def import_file(org_id: int, job_id: int) -> None:
    from factoryos.imports.services import import_job  # the services enqueue this task

    jobs.run(org_id, job_id, import_job)


@task()
def export_file(org_id: int, job_id: int) -> None:
    from factoryos.imports.services import export_job

    jobs.run(org_id, job_id, export_job)
