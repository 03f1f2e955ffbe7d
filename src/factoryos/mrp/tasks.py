"""MRP's background task: the worker runs a plan as the member who asked for it."""

from __future__ import annotations

from django_tasks import task

from factoryos.jobs import services as jobs


@task()
def run_mrp(org_id: int, job_id: int) -> None:
    from factoryos.mrp.services import mrp_job  # the services enqueue this task

    jobs.run(org_id, job_id, mrp_job)
