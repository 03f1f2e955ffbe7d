"""MRP in a test world: a forecast of 400 brackets for the week of 14 December, gloves GLV-1 wanted in stock (20)
but out (a message, and a purchase from the world's supplier), and one run on the world's calendar from 7 December,
whose job the worker has finished ("jobs.job#mrp"); "mrp.plannedorder" is its first proposal to make."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from factoryos.catalog import services as catalog
from factoryos.jobs.models import Job, JobStatus
from factoryos.mrp import services
from factoryos.mrp.models import MrpMessage, PlannedOrder
from factoryos.partners import services as partners


def build(owner, objects: dict) -> dict:
    gloves = catalog.item_create(  # none in stock, 20 wanted: a message, and a purchase to plan
        actor=owner, sku="GLV-1", name="Welding gloves", item_type="consumable", uom=objects["catalog.unitofmeasure"],
        safety_stock=Decimal("20"),
    )  # fmt: skip
    partners.supplier_item_create(actor=owner, supplier=objects["partners.partner#supplier"], item=gloves)
    forecast = services.forecast_create(
        actor=owner,
        item=objects["catalog.item"],
        starts_on=date(2026, 12, 14),
        ends_on=date(2026, 12, 18),
        quantity=Decimal("400"),
        notes="Christmas rush",
    )
    job = Job.objects.create(  # a run the worker has finished (the worker is not run while a world is built)
        org=owner.org,
        kind=services.JOB_KIND,
        title="MRP over 60 days",
        params={"horizon_days": 60},
        view_permission="planning.view",
        status=JobStatus.SUCCEEDED,
        finished_at=timezone.now(),
        created_by=owner,
    )
    run = services.mrp_run(actor=owner, horizon_days=60, on=date(2026, 12, 7), job=job)
    planned = run.planned_orders.order_by("pk")
    return {
        "mrp.forecast": forecast,
        "mrp.mrprun": run,
        "jobs.job#mrp": job,
        "mrp.plannedorder": planned.filter(source="make").first() or planned.first(),
        "mrp.mrpmessage": run.messages.get(item=gloves),
    }


def grow(owner, objects: dict, n: int) -> None:
    """``n`` more forecasts, and ``n`` more proposals and messages in the world's run (as a run writes them: a new
    run would replace the world's own)."""
    run, planned, message = objects["mrp.mrprun"], objects["mrp.plannedorder"], objects["mrp.mrpmessage"]
    for week in range(n):
        services.forecast_create(
            actor=owner,
            item=objects["catalog.item"],
            starts_on=date(2027, 1, 4 + week),
            ends_on=date(2027, 1, 4 + week),
            quantity=Decimal("5"),
        )
    PlannedOrder.objects.bulk_create(
        PlannedOrder(
            org=owner.org,
            run=run,
            item_id=planned.item_id,
            source=planned.source,
            quantity=planned.quantity,
            release_date=planned.release_date,
            due_date=planned.due_date,
            pegging=planned.pegging,
        )  # fmt: skip
        for _ in range(n)
    )
    MrpMessage.objects.bulk_create(
        MrpMessage(org=owner.org, run=run, item_id=message.item_id, kind=message.kind, on=message.on, text=message.text)
        for _ in range(n)
    )
