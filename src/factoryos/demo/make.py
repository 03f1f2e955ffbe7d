"""The demo shop's making and planning: work orders in every state with time on the floor, a demand forecast and an
MRP run with planned orders and messages, so that Make and Plan have something in them on first start.

Everything goes through the services (as the demo's owner, who also stands at the machines); time already spent on
the floor is dated back a few hours, as the trade's documents are dated back days. Loaded by ``shop.load_shop`` after
the trade (the work orders draw on the stock the trade left).

- A made item whose components are in stock: a draft, a planned, a released (components reserved) and a cancelled
  work order; one in progress (its first operation running since the morning, set up, a first batch reported); one
  completed and one closed (every operation set up and run, finished goods in stock, actual cost beside planned).
- The same item made a few times in the weeks before, each operation's setup and run logged a little longer than
  its standard (one setup stalled for hours), as far as its components in stock go: Make > Estimates compares them,
  and the item's routing suggests new standard times from them.
- A forecast for the finished goods over the next four weeks, and an MRP run over it and the open sales orders.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from factoryos.catalog.models import Bom, BomStatus, ItemType
from factoryos.inventory.models import Location, LocationKind
from factoryos.kernel.errors import DomainError
from factoryos.mrp import services as mrp
from factoryos.production import services as production
from factoryos.production.models import JobCard, Phase, TimeLog, WorkOrder

D = Decimal
# How long the item's past orders took, as multiples of each operation's planned setup and run (one setup stalled).
PAST = ((D("1.2"), D("1.1")), (D("1.4"), D("1.25")), (D("1.1"), D("1.15")), (D("4"), D("1.2")), (D("1.3"), D("1.1")))


def _hours_ago(order: WorkOrder, hours: float) -> None:
    """The order's running time moved back to have begun ``hours`` ago (a morning's work), its setup done in the
    quarter of an hour before."""
    began = timezone.now() - timedelta(hours=hours)
    for log in TimeLog.objects.filter(job_card__work_order=order):
        if log.ended_at is None:
            TimeLog.objects.filter(pk=log.pk).update(started_at=began)
        elif log.phase == Phase.SETUP:
            TimeLog.objects.filter(pk=log.pk).update(
                started_at=began - timedelta(minutes=15), ended_at=began, minutes=15
            )


def _run_through(actor, order: WorkOrder) -> WorkOrder:
    """Every operation started, set up and completed with the whole quantity good."""
    for card in order.job_cards.order_by("sequence"):
        card = production.job_card_start(actor=actor, obj=card)
        if production.current_phase(card) == Phase.SETUP:
            production.job_card_setup_done(actor=actor, obj=card)
        production.job_card_complete(actor=actor, obj=card, good=order.quantity)
    order.refresh_from_db()
    return order


def _took(order: WorkOrder, setup: Decimal, run: Decimal, ended) -> None:
    """Each operation of a finished order set up and run in ``setup`` and ``run`` times what was planned (the standard
    over the work center's efficiency), one after the other, the last ending at ``ended``."""
    for card in order.job_cards.order_by("-sequence"):
        factor = card.time_factor
        minutes = {
            Phase.RUN: (card.run_minutes_per_unit * order.quantity * factor * run).quantize(D("0.01")),
            Phase.SETUP: (card.setup_minutes * factor * setup).quantize(D("0.01")),
        }
        for phase in (Phase.RUN, Phase.SETUP):
            started = ended - timedelta(minutes=float(minutes[phase]))
            TimeLog.objects.filter(job_card=card, phase=phase).update(
                started_at=started, ended_at=ended, minutes=minutes[phase]
            )
            if phase == Phase.RUN:
                JobCard.objects.filter(pk=card.pk).update(done_at=ended)
            ended = started


def _past_orders(actor, make: Any) -> int:
    """The item made once a few days apart in the weeks before (``PAST``), each order closed, as long as its
    components in stock last; how many."""
    made = 0
    for n, (setup, run) in enumerate(PAST):
        try:
            with transaction.atomic():
                order = _run_through(actor, production.work_order_release(actor=actor, obj=make(n)))
                production.work_order_close(actor=actor, obj=order)
        except DomainError:
            break
        _took(order, setup, run, timezone.now() - timedelta(days=30 - 4 * n, hours=3))
        made += 1
    return made


def _made_item(actor, warehouse: Location) -> Any:
    """A made item (a finished good first, else a sub-assembly or a part) whose components are in stock for a
    couple: tried by running a work order of 2 in a savepoint rolled back; the first that works."""
    boms = Bom.objects.filter(status=BomStatus.RELEASED).select_related("item")
    rank = {ItemType.FINISHED: 0, ItemType.SUBASSEMBLY: 1, ItemType.MANUFACTURED: 2}
    for bom in sorted(boms, key=lambda b: (rank.get(b.item.item_type, 3), b.item.sku)):
        if not bom.operations.exists():
            continue
        try:
            with transaction.atomic():
                trial = production.work_order_create(
                    actor=actor, item=bom.item, quantity=D(2), location=warehouse, due_date=timezone.localdate()
                )
                _run_through(actor, production.work_order_release(actor=actor, obj=trial))
                transaction.set_rollback(True)
        except DomainError:
            continue
        return bom.item
    return None


def load_make(actor, out: Any, site: str) -> None:
    warehouses = Location.objects.filter(kind=LocationKind.WAREHOUSE, active=True)
    warehouse = warehouses.filter(site__code=site).order_by("code").first() or warehouses.order_by("code").first()
    if warehouse is None:
        return
    item = _made_item(actor, warehouse)
    today = timezone.localdate()
    if item is not None:

        def order(quantity: str, days: int, **fields: Any) -> WorkOrder:
            return production.work_order_create(
                actor=actor, item=item, quantity=D(quantity), location=warehouse, due_date=today + timedelta(days=days),
                **fields,
            )  # fmt: skip

        order("4", 21, notes="Stock for the February show")
        production.work_order_plan(actor=actor, obj=order("3", 14))
        production.work_order_release(actor=actor, obj=order("2", 7, priority=2))
        production.work_order_cancel(actor=actor, obj=order("5", 10, notes="Customer changed the design"))
        running = production.work_order_release(actor=actor, obj=order("2", 3, priority=1))
        first = running.job_cards.order_by("sequence").first()
        if first is not None:
            first = production.job_card_start(actor=actor, obj=first)
            production.job_card_report(actor=actor, obj=first, good=D(1))
            _hours_ago(running, 2.5)
        done = _run_through(actor, production.work_order_release(actor=actor, obj=order("2", -2)))
        _took(done, D("1.15"), D("1.1"), timezone.now() - timedelta(hours=1))
        closed = _run_through(actor, production.work_order_release(actor=actor, obj=order("1", -9)))
        _took(closed, D("0.9"), D("1.05"), timezone.now() - timedelta(days=2))
        production.work_order_close(actor=actor, obj=closed)
        out.add("work orders", 7)
        past = _past_orders(actor, lambda n: order("1", -30 + 4 * n, notes="Made before"))
        if past:
            out.add("work orders made before", past)
    finished = Bom.objects.filter(status=BomStatus.RELEASED, item__item_type=ItemType.FINISHED).order_by("item__sku")
    monday = today - timedelta(days=today.weekday())
    for bom in finished[:2]:
        for week in range(1, 5):
            start = monday + timedelta(weeks=week)
            mrp.forecast_create(
                actor=actor, item=bom.item, starts_on=start, ends_on=start + timedelta(days=4), quantity=D(3)
            )
            out.add("forecasts")
    mrp.mrp_run(actor=actor, horizon_days=90)
    out.add("MRP runs")
