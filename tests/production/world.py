"""Production in a test world, making the catalog's bracket BRK-100 (one laser operation, 0.05 sheet each; the sheet
is lot HEAT-881 at A-01) in the warehouse WH1:

- a draft work order of 10 ("production.workorder"),
- a released one of 10, its sheet reserved ("production.workorder#released", its job card "production.jobcard",
  its material "production.workordermaterial", the reservation link "production.materialreservation"),
- one in progress, of 4: its operation running with the owner's time open, 1 good reported and backflushed
  ("production.workorder#started", "production.jobcard#running", "production.timelog", "production.productionreport"),
- one of 1 made and completed ("production.workorder#completed").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from factoryos.production import services

D = Decimal


def _order(owner, objects: dict, quantity: str, **fields):
    return services.work_order_create(
        actor=owner,
        item=objects["catalog.item"],
        quantity=D(quantity),
        location=objects["inventory.location#warehouse"],
        due_date=date(2026, 12, 18),
        **fields,
    )


def build(owner, objects: dict) -> dict:
    draft = _order(owner, objects, "10", notes="Stock for the January build")
    released = services.work_order_release(actor=owner, obj=_order(owner, objects, "10", priority=2))
    started = services.work_order_release(actor=owner, obj=_order(owner, objects, "4"))
    running = services.job_card_start(actor=owner, obj=started.job_cards.get())
    services.job_card_report(actor=owner, obj=running, good=D("1"))
    completed = services.work_order_release(actor=owner, obj=_order(owner, objects, "1"))
    card = services.job_card_start(actor=owner, obj=completed.job_cards.get())
    services.job_card_complete(actor=owner, obj=card, good=D("1"))
    material = released.materials.get()
    return {
        "production.workorder": draft,
        "production.workorder#released": released,
        "production.workorder#started": started,
        "production.workorder#completed": completed,
        "production.jobcard": released.job_cards.get(),
        "production.jobcard#running": running,
        "production.workordermaterial": material,
        "production.materialreservation": material.reservations.get(),
        "production.timelog": running.time_logs.get(),
        "production.productionreport": running.reports.get(),
    }


def grow(owner, objects: dict, n: int) -> None:
    """``n`` more released work orders (each with its job card and material) and drafts."""
    for _ in range(n):
        services.work_order_release(actor=owner, obj=_order(owner, objects, "1"))
        _order(owner, objects, "2")
