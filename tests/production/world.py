"""Production in a test world, making the catalog's bracket BRK-100 (one laser operation, 0.05 sheet each; the sheet
is lot HEAT-881 at A-01) in the warehouse WH1:

- a draft work order of 10 ("production.workorder"),
- a released one of 10, its sheet reserved ("production.workorder#released", its job card "production.jobcard",
  its material "production.workordermaterial", the reservation link "production.materialreservation"),
- one in progress, of 4: its operation running with the owner's time open, 1 good reported and backflushed
  ("production.workorder#started", "production.jobcard#running", "production.timelog", "production.productionreport"),
- one of 1 made and completed ("production.workorder#completed"),
- a powder-coated CLP-200 of 2 ("production.workorder#coated"): cut, 1 at the coater, 1 waiting to be sent
  ("production.jobcard#at_supplier", on its sent service purchase order); its cut's hole-pitch check
  ("production.jobcheck") measured out of tolerance ("production.checkresult"), its NCR decided (rework, setup) but
  open ("production.nonconformance").
- estimates that learn: a cover plate CVR-300 made on the hand bench BEN1 (no rates: it costs nothing, so the
  costing figures stay the brackets'), op 10 Linish edges (setup 20 min, 2 min each), then op 20 Bend tabs (setup 5,
  1 min each), where its blank CVR-B is used (none in stock). Three orders of 4, 5 and 8 whose op 10 is done with the
  setup and run minutes of ``LEARNED`` (medians 24 and 2.5 per unit: the released routing's op 10,
  "catalog.operation#learned" of "catalog.bom#learned", has a suggestion), the last one's op 20 being set up
  ("production.jobcard#setup").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from factoryos.catalog import services as catalog
from factoryos.facilities import services as facilities
from factoryos.production import services
from factoryos.production.models import JobCard, NonConformance, TimeLog
from factoryos.purchasing import services as purchasing

D = Decimal
# The cover plates' op 10: (quantity, setup minutes, run minutes), oldest first.
LEARNED = (("4", "24", "10"), ("5", "30", "12"), ("8", "18", "22"))


def _order(owner, objects: dict, quantity: str, **fields):
    fields.setdefault("item", objects["catalog.item"])
    return services.work_order_create(
        actor=owner,
        quantity=D(quantity),
        location=objects["inventory.location#warehouse"],
        due_date=date(2026, 12, 18),
        **fields,
    )


def _outside(owner, objects: dict):
    """A powder-coated clip CLP-200 (laser cut, then coated by the world's supplier at 3.20 each): 2 ordered, 2 cut,
    1 sent to the coater (its service order sent), the other waiting to go."""
    bracket = catalog.item_create(
        actor=owner, sku="CLP-200", name="Coated clip 200", item_type="manufactured",
        uom=objects["catalog.unitofmeasure"],
    )  # fmt: skip
    bom = catalog.bom_create(actor=owner, item=bracket)
    laser = catalog.operation_add(
        actor=owner, bom=bom, work_center=objects["facilities.workcenter"], description="Laser cut",
        run_minutes_per_unit=D("1"),
    )  # fmt: skip
    catalog.operation_add(
        actor=owner, bom=bom, work_center=objects["facilities.workcenter"], description="Powder coat",
        supplier=objects["partners.partner#supplier"], outside_price=D("3.20"), outside_lead_days=4,
    )  # fmt: skip
    catalog.operation_check_add(
        actor=owner, operation=laser, name="Hole pitch", kind="measure", nominal=D("50"), minus=D("0.2"),
        plus=D("0.2"), unit="mm",
    )  # fmt: skip
    catalog.bom_line_add(
        actor=owner, bom=bom, component=objects["catalog.item#sheet"], quantity=D("0.05"), operation=laser
    )
    catalog.bom_release(actor=owner, obj=bom)
    order = services.work_order_release(actor=owner, obj=_order(owner, objects, "2", item=bracket))
    cut, coat = order.job_cards.order_by("sequence")
    purchase = coat.purchase_order_line.purchase_order
    purchasing.purchase_order_send(actor=owner, obj=purchasing.purchase_order_submit(actor=owner, obj=purchase))
    services.job_card_start(actor=owner, obj=cut)
    check = cut.checks.get()
    failed = services.check_record(actor=owner, obj=check, value=D("50.5"))  # out of tolerance: an NCR
    ncr = services.non_conformance_update(
        actor=owner, obj=NonConformance.objects.get(result=failed), disposition="rework", root_cause="setup"
    )
    services.job_card_report(actor=owner, obj=cut, good=D("1"))
    services.job_card_send(actor=owner, obj=coat)
    services.job_card_complete(actor=owner, obj=cut, good=D("1"))
    return order, coat, check, failed, ncr


def ran(card: JobCard, setup: str, run: str, done_at: datetime) -> None:
    """A card run through setup and run (services.job_card_setup_done, then complete): its logs dated to have lasted
    ``setup`` and ``run`` minutes, ending at ``done_at`` (as the demo dates its floor time back)."""
    run_from = done_at - timedelta(minutes=int(run))
    for phase, start, end, minutes in (
        ("setup", run_from - timedelta(minutes=int(setup)), run_from, setup), ("run", run_from, done_at, run),
    ):  # fmt: skip
        TimeLog.objects.filter(job_card=card, phase=phase).update(started_at=start, ended_at=end, minutes=D(minutes))
    JobCard.objects.filter(pk=card.pk).update(done_at=done_at)


def linished(owner, bom, location, quantity: str, setup: str, run: str, done_at: datetime):
    """An order of ``quantity`` released from ``bom``, its op 10 done in ``setup`` + ``run`` minutes."""
    order = services.work_order_create(
        actor=owner, item=bom.item, quantity=D(quantity), location=location, due_date=date(2026, 12, 18)
    )
    order = services.work_order_release(actor=owner, obj=order)
    card = services.job_card_start(actor=owner, obj=order.job_cards.get(sequence=10))
    services.job_card_setup_done(actor=owner, obj=card)
    services.job_card_complete(actor=owner, obj=card, good=D(quantity))
    ran(card, setup, run, done_at)
    return order


def _learned(owner, objects: dict) -> dict:
    ea = objects["catalog.unitofmeasure"]
    bench = facilities.work_center_create(
        actor=owner, site=objects["facilities.site"], code="BEN1", name="Hand bench", kind="assembly"
    )
    blank = catalog.item_create(actor=owner, sku="CVR-B", name="Cover blank", item_type="purchased", uom=ea)
    cover = catalog.item_create(actor=owner, sku="CVR-300", name="Cover plate 300", item_type="manufactured", uom=ea)
    bom = catalog.bom_create(actor=owner, item=cover)
    linish = catalog.operation_add(
        actor=owner, bom=bom, work_center=bench, description="Linish edges", setup_minutes=D("20"),
        run_minutes_per_unit=D("2"),
    )  # fmt: skip
    bend = catalog.operation_add(
        actor=owner,
        bom=bom,
        work_center=bench,
        description="Bend tabs",
        setup_minutes=D("5"),
        run_minutes_per_unit=D("1"),
    )
    catalog.bom_line_add(actor=owner, bom=bom, component=blank, quantity=D("1"), operation=bend)
    catalog.bom_release(actor=owner, obj=bom)
    now = timezone.now()
    for days, (quantity, setup, run) in zip((3, 2, 1), LEARNED, strict=True):
        last = linished(
            owner, bom, objects["inventory.location#warehouse"], quantity, setup, run, now - timedelta(days=days)
        )
    setting_up = services.job_card_start(actor=owner, obj=last.job_cards.get(sequence=20))
    return {
        "catalog.bom#learned": bom,
        "catalog.operation#learned": linish,
        "production.jobcard#setup": setting_up,
    }


def build(owner, objects: dict) -> dict:
    draft = _order(owner, objects, "10", notes="Stock for the January build")
    released = services.work_order_release(actor=owner, obj=_order(owner, objects, "10", priority=2))
    started = services.work_order_release(actor=owner, obj=_order(owner, objects, "4"))
    running = services.job_card_start(actor=owner, obj=started.job_cards.get())
    services.job_card_report(actor=owner, obj=running, good=D("1"))
    completed = services.work_order_release(actor=owner, obj=_order(owner, objects, "1"))
    card = services.job_card_start(actor=owner, obj=completed.job_cards.get())
    services.job_card_complete(actor=owner, obj=card, good=D("1"))
    coated, at_supplier, check, failed, ncr = _outside(owner, objects)
    downtime = services.downtime_create(
        actor=owner, work_center=objects["facilities.workcenter"], reason="breakdown",
        starts_at=datetime(2026, 12, 2, 9, 30, tzinfo=UTC), ends_at=datetime(2026, 12, 2, 11, 0, tzinfo=UTC),
        note="Chiller fault",
    )  # fmt: skip
    material = released.materials.get()
    learned = _learned(owner, objects)
    return {
        **learned,
        "production.downtime": downtime,
        "production.workorder": draft,
        "production.workorder#released": released,
        "production.workorder#started": started,
        "production.workorder#completed": completed,
        "production.workorder#coated": coated,
        "production.jobcard#at_supplier": at_supplier,
        "production.jobcheck": check,
        "production.checkresult": failed,
        "production.nonconformance": ncr,
        "production.jobcard": released.job_cards.get(),
        "production.jobcard#running": running,
        "production.workordermaterial": material,
        "production.materialreservation": material.reservations.get(),
        "production.timelog": running.time_logs.get(ended_at__isnull=True),  # its run (its setup ended at the report)
        "production.productionreport": running.reports.get(),
    }


def grow(owner, objects: dict, n: int) -> None:
    """``n`` more released work orders (each with its job card and material) and drafts, and ``n`` more cover
    plates linished (their estimates and the routing's suggestion rest on more runs)."""
    for _ in range(n):
        services.work_order_release(actor=owner, obj=_order(owner, objects, "1"))
        _order(owner, objects, "2")
    location = objects["inventory.location#warehouse"]
    for k in range(n):
        linished(
            owner, objects["catalog.bom#learned"], location, "2", "25", "5", timezone.now() - timedelta(hours=k + 1)
        )
