"""The writes of MRP: forecasts, runs (in the background, or at once for a caller that waits), and firming planned
orders into purchase orders (grouped by supplier, priced from its price breaks) and work orders."""

from __future__ import annotations

import gc
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from factoryos.catalog.models import Item
from factoryos.core.models import Membership
from factoryos.inventory.models import Location, LocationKind
from factoryos.jobs import services as jobs
from factoryos.jobs.models import Job
from factoryos.kernel import bulk, crud, transitions
from factoryos.kernel.errors import ConflictError, DomainError
from factoryos.mrp import selectors
from factoryos.mrp.errors import MrpError
from factoryos.mrp.models import (
    Forecast,
    MessageKind,
    MrpMessage,
    MrpRun,
    PlannedOrder,
    PlannedStatus,
    PlanSource,
)
from factoryos.partners.models import Partner
from factoryos.planning.engine import mrp as engine
from factoryos.production import services as production
from factoryos.production.models import Source
from factoryos.purchasing import services as purchasing

JOB_KIND = "mrp"
DEFAULT_HORIZON_DAYS = 180
ZERO = Decimal("0")


# -- forecasts -------------------------------------------------------------------------------------------------------
class ForecastFields(TypedDict, total=False):
    item: Item | int
    starts_on: date
    ends_on: date
    quantity: Decimal
    notes: str


def forecast_create(*, actor: Membership, **fields: Unpack[ForecastFields]) -> Forecast:
    return crud.create(Forecast, actor=actor, values=crud.refs(fields, {"item": Item}), allowed=ForecastFields)


def forecast_update(*, actor: Membership, obj: Forecast, **changes: Unpack[ForecastFields]) -> Forecast:
    return crud.update(obj, actor=actor, changes=crud.refs(changes, {"item": Item}), allowed=ForecastFields)


def forecast_delete(*, actor: Membership, obj: Forecast) -> None:
    crud.delete(obj, actor=actor)


# -- runs ------------------------------------------------------------------------------------------------------------
def _text(kind: str, item: Item, on: date, ref: str) -> str:
    sku = item.sku
    texts: dict[str, str] = {
        MessageKind.PAST_DUE: f"Release {sku} now: it should have started on {on:%d %b %Y}"
        + (f" to serve {ref}." if ref else "."),
        MessageKind.BELOW_SAFETY: f"{sku} is below its safety stock of {item.safety_stock.normalize():f} "
        f"{item.uom.code} today.",
        MessageKind.EXPEDITE: f"Bring {ref} forward to {on:%d %b %Y}: the plan needs the {sku} then.",
        MessageKind.DEFER: f"{ref} can wait until {on:%d %b %Y}: the {sku} is not needed before.",
        MessageKind.CANCEL: f"{ref} is not needed: {sku} stays above its safety stock without it.",
    }
    return texts[kind]


def _save(run: MrpRun, feed: selectors.Feed, result: engine.Result) -> dict[str, int]:
    """Write the run's proposals and messages as plain rows (kernel/bulk.py: a run can propose hundreds of thousands,
    with their pegging); the run's own event records them."""
    days, items, suppliers = feed.days, feed.items, feed.suppliers
    date_of = days.date
    run_values = {"org": run.org_id, "run": run.pk}
    bought = 0
    orders = []
    for planned in result.planned_orders:
        item_id = int(planned.sku)
        buy = planned.source == "buy"
        bought += buy
        orders.append((
            item_id, PlanSource.BUY if buy else PlanSource.MAKE, Decimal(planned.qty), date_of(planned.release),
            date_of(planned.due), planned.release < 1, suppliers.get(item_id) if buy else None,
            [{"ref": peg.ref, "qty": str(peg.qty)} for peg in planned.pegging],
        ))  # fmt: skip
    made = len(orders) - bought
    fields = ("item", "source", "quantity", "release_date", "due_date", "past_due", "supplier", "pegging")
    bulk.insert_rows(PlannedOrder, fields, orders, constants={**run_values, "status": PlannedStatus.PROPOSED})
    messages = [
        (
            int(found.sku),
            found.kind,
            date_of(found.period),
            found.ref[:60],
            _text(found.kind, items[int(found.sku)], date_of(found.period), found.ref),
        )  # fmt: skip
        for found in result.exceptions
    ]
    bulk.insert_rows(MrpMessage, ("item", "kind", "on", "reference", "text"), messages, constants=run_values)
    return {"planned_make": made, "planned_buy": bought, "messages": len(messages)}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a run builds its millions of small objects (none of them in a
    cycle: the collector only walks them, which doubled the plan's time on peer_10000), back on after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@transaction.atomic
def mrp_run(
    *,
    actor: Membership,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    on: date | None = None,
    job: Job | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MrpRun:
    """Plan the whole organization from ``on`` (today) over ``horizon_days``: the proposals of earlier runs are
    replaced (what was firmed stays), and the run records what it found and how long each phase took."""
    if not 7 <= horizon_days <= 730:
        raise DomainError("Plan between 7 and 730 days ahead.", code=MrpError.HORIZON, field="horizon_days")
    report = progress or (lambda done, total: None)
    started = time.perf_counter()
    today = on or timezone.localdate()
    with _collector_paused():
        feed = selectors.scenario(on=today, horizon_days=horizon_days)
        loaded = time.perf_counter()
        report(1, 3)
        result = engine.plan(feed.scenario)
        planned = time.perf_counter()
        report(2, 3)
        PlannedOrder.objects.filter(status=PlannedStatus.PROPOSED).delete()
        MrpMessage.objects.all().delete()
        run = crud.create(
            MrpRun,
            actor=actor,
            values={"job": job, "horizon_days": horizon_days, "starts_on": feed.days.date(1), "created_by": actor.user},
            allowed=("job", "horizon_days", "starts_on", "created_by"),
        )
        counts = _save(run, feed, result)
        saved = time.perf_counter()
    scenario = feed.scenario
    stats = {
        "items": len(scenario.items),
        "bom_links": len(scenario.bom),
        "demands": len(scenario.demand),
        "receipts": len(scenario.receipts),
        "beyond_horizon": feed.beyond_horizon,
        "working_days": feed.days.horizon,
        **counts,
        "seconds": {
            "load": round(loaded - started, 3),
            "plan": round(planned - loaded, 3),
            "save": round(saved - planned, 3),
        },
    }
    changes = {"finished_at": timezone.now(), "stats": stats}
    run = crud.update(run, actor=actor, changes=changes, allowed=changes)
    report(3, 3)
    return run


@transaction.atomic
def mrp_net_change(
    *, actor: Membership, items: Iterable[int] | None = None, progress: Callable[[int, int], None] | None = None
) -> MrpRun:
    """Replan only what changed since the last full run, into it: ``items`` (else the items of the orders made,
    confirmed or cancelled since the run: ``selectors.changed_since``) and everything under them. Their parents
    outside keep their proposals, whose pegs come down as demand; the other items are not read at all. The run's
    calendar and horizon stay; ``stats["net_changes"]`` keeps the last twenty, each with its counts and time."""
    report = progress or (lambda done, total: None)
    started = time.perf_counter()
    latest = selectors.latest_run()
    if latest is None:
        raise DomainError("Run MRP in full once first: a net change replans part of a plan.", code=MrpError.NO_RUN)
    run = MrpRun.objects.select_for_update(of=("self",)).get(pk=latest.pk)  # one net change at a time per plan
    changed = set(items) if items is not None else selectors.changed_since(run)
    affected = selectors.below(changed)
    with _collector_paused():
        feed = selectors.scenario(on=run.starts_on, horizon_days=run.horizon_days, only=affected)
        report(1, 3)
        result = engine.plan(feed.scenario)
        report(2, 3)
        replaced = PlannedOrder.objects.filter(status=PlannedStatus.PROPOSED, item_id__in=affected)
        gone = dict(replaced.filter(run=run).values_list("source").annotate(n=Count("id")).order_by())
        replaced.delete()
        messages_gone, _ = MrpMessage.objects.filter(run=run, item_id__in=affected).delete()
        counts = _save(run, feed, result)
    totals = {  # the run's counts less what was replaced, plus what replaced it
        "planned_make": run.stats.get("planned_make", 0) - gone.get(PlanSource.MAKE, 0) + counts["planned_make"],
        "planned_buy": run.stats.get("planned_buy", 0) - gone.get(PlanSource.BUY, 0) + counts["planned_buy"],
        "messages": run.stats.get("messages", 0) - messages_gone + counts["messages"],
    }
    net = {"at": timezone.now().isoformat(), "changed": len(changed), "replanned": len(feed.items), **counts,
           "seconds": round(time.perf_counter() - started, 3)}  # fmt: skip
    stats = {**run.stats, **totals, "net_changes": [*run.stats.get("net_changes", []), net][-20:]}
    run = crud.update(run, actor=actor, changes={"stats": stats}, allowed=("stats",))
    report(3, 3)
    return run


def mrp_job(job: Job, actor: Membership, progress: Callable[[int, int], None]) -> jobs.Outcome:
    """The work of an MRP job (in the worker, as ``actor``): a full run, or a net change."""
    if job.params.get("net_change"):
        run = mrp_net_change(actor=actor, progress=progress)
        net = run.stats["net_changes"][-1]
        return jobs.Outcome(
            ok=True,
            result={"run": run.pk, **net},
            message=f"Net change: {net['replanned']} item(s) replanned, "
            f"{net['planned_make'] + net['planned_buy']} planned order(s).",
        )
    run = mrp_run(actor=actor, horizon_days=int(job.params.get("horizon_days", DEFAULT_HORIZON_DAYS)), job=job,
                  progress=progress)  # fmt: skip
    made = run.stats["planned_make"] + run.stats["planned_buy"]
    return jobs.Outcome(
        ok=True,
        result={"run": run.pk, **run.stats},
        message=f"{made} planned order(s), {run.stats['messages']} message(s).",
    )


def mrp_run_start(*, actor: Membership, horizon_days: int = DEFAULT_HORIZON_DAYS, net_change: bool = False) -> Job:
    """Queue a run for the worker (a full one over ``horizon_days``, or a net change of the last one); the page
    follows the job's progress and then shows the run."""
    from factoryos.mrp.tasks import run_mrp  # the task runs mrp_job above

    if not 7 <= horizon_days <= 730:
        raise DomainError("Plan between 7 and 730 days ahead.", code=MrpError.HORIZON, field="horizon_days")
    if net_change and selectors.latest_run() is None:
        raise DomainError(
            "Run MRP in full once first: a net change replans part of a plan.", code=MrpError.NO_RUN, field="net_change"
        )
    return jobs.job_create(
        actor=actor,
        kind=JOB_KIND,
        title="MRP net change" if net_change else f"MRP over {horizon_days} days",
        task=run_mrp,
        view_permission="planning.view",
        params={"net_change": True} if net_change else {"horizon_days": horizon_days},
    )


# -- firming ---------------------------------------------------------------------------------------------------------
def _warehouse() -> Location:
    found = Location.objects.filter(kind=LocationKind.WAREHOUSE, active=True).order_by("code").first()
    if found is None:
        raise DomainError(
            "Add a warehouse location first: a work order needs somewhere to draw from and put its output.",
            code=MrpError.NO_WAREHOUSE,
            field="planned_orders",
        )
    return found


@transaction.atomic
def planned_orders_firm(
    *, actor: Membership, planned_orders: list[int], location: Location | int | None = None
) -> dict[str, list[Any]]:
    """Firm proposals into real orders: the buys into one draft purchase order per supplier (lines priced from the
    supplier's price breaks, else at the item's standard cost; expected on their due dates), the makes into draft
    work orders (source MRP) into ``location`` (the first warehouse by default). Each proposal remembers the order
    it became."""
    if not planned_orders:
        raise DomainError("Choose the planned orders to firm.", code=MrpError.NOTHING_CHOSEN, field="planned_orders")
    rows = list(
        PlannedOrder.objects.select_for_update(of=("self",))
        .filter(pk__in=planned_orders)
        .select_related("item", "supplier")
        .order_by("supplier_id", "due_date", "pk")
    )
    if len(rows) != len(set(planned_orders)):
        raise DomainError(
            "Some of those planned orders do not exist.", code=MrpError.NOTHING_CHOSEN, field="planned_orders"
        )
    for row in rows:
        if row.status != PlannedStatus.PROPOSED:
            raise ConflictError(
                f"The planned order for {row.item.sku} is already {row.firmed_as}.",
                code=MrpError.ALREADY_FIRMED,
                field="planned_orders",
            )
        if row.source == PlanSource.BUY and row.supplier is None:
            raise DomainError(
                f"{row.item.sku} has no preferred supplier: choose one on the item's supplier list first.",
                code=MrpError.NO_SUPPLIER,
                field="planned_orders",
            )
    made: dict[str, list[Any]] = {"purchase_orders": [], "work_orders": []}
    buys: dict[Partner, list[PlannedOrder]] = defaultdict(list)
    for row in rows:
        if row.source == PlanSource.BUY and row.supplier is not None:
            buys[row.supplier].append(row)
    for supplier, group in buys.items():
        order = purchasing.purchase_order_create(
            actor=actor, partner=supplier, expected_date=min(r.due_date for r in group)
        )
        for row in group:
            price, _ = purchasing.supplier_unit_price(order, row.item, row.quantity)
            if price is None:  # no price from the supplier yet: the item's standard cost, for the buyer to check
                price = (row.item.standard_cost / order.exchange_rate).quantize(Decimal("0.0001"))
            purchasing.purchase_order_line_create(
                actor=actor, purchase_order=order, item=row.item, quantity=row.quantity, unit_price=price,
                expected_date=row.due_date,
            )  # fmt: skip
            transitions.transition(row, to=PlannedStatus.FIRMED, actor=actor, fields={"firmed_as": order.number})
        made["purchase_orders"].append(order)
    makes = [row for row in rows if row.source == PlanSource.MAKE]
    if makes:
        into = crud.ref(Location, location, "location") if location is not None else _warehouse()
        for row in makes:
            work_order = production.work_order_create(
                actor=actor, source=Source.MRP, item=row.item, quantity=row.quantity, location=into,
                due_date=row.due_date, notes=_pegs(row),
            )  # fmt: skip
            transitions.transition(row, to=PlannedStatus.FIRMED, actor=actor, fields={"firmed_as": work_order.number})
            made["work_orders"].append(work_order)
    return made


def _pegs(row: PlannedOrder) -> str:
    refs = [peg["ref"] for peg in row.pegging[:10]]
    return f"MRP: for {', '.join(refs)}" if refs else "MRP"
