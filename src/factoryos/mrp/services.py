"""The writes of MRP: forecasts, runs (in the background, or at once for a caller that waits), and firming planned
orders into purchase orders (grouped by supplier, priced from its price breaks) and work orders."""

from __future__ import annotations

import gc
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction
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
    RunSequence,
)
from factoryos.partners.models import Partner
from factoryos.planning.engine import mrp as engine
from factoryos.production import services as production
from factoryos.production.models import Source
from factoryos.purchasing import services as purchasing

JOB_KIND = "mrp"
DEFAULT_HORIZON_DAYS = 180
ZERO = Decimal("0")
SIX_PLACES = Decimal("0.000001")  # a stored quantity's places


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


ORDER_FIELDS = ("item", "source", "quantity", "release_date", "due_date", "past_due", "supplier", "pegging")
MESSAGE_FIELDS = ("item", "kind", "on", "reference", "text")


def _rows(feed: selectors.Feed, result: engine.Result, *, stored_pegs: bool = True) -> tuple[list[tuple], list[tuple]]:
    """The result's proposals (``ORDER_FIELDS``) and messages (``MESSAGE_FIELDS``) as rows; the pegs as stored
    (``_pegging``), or with ``stored_pegs=False`` as the engine's, for a net change to compare first."""
    days, items, suppliers = feed.days, feed.items, feed.suppliers
    date_of = days.date
    orders = []
    for planned in result.planned_orders:
        item_id = int(planned.sku)
        buy = planned.source == "buy"
        orders.append((
            item_id, PlanSource.BUY if buy else PlanSource.MAKE, Decimal(planned.qty), date_of(planned.release),
            date_of(planned.due), planned.release < 1, suppliers.get(item_id) if buy else None,
            _pegging(planned.pegging) if stored_pegs else planned.pegging,
        ))  # fmt: skip
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
    return orders, messages


def _pegging(pegs: list[engine.Peg]) -> list[dict[str, str]]:
    return [{"ref": peg.ref, "qty": str(peg.qty)} for peg in pegs]


def _write(run: MrpRun, orders: list[tuple], messages: list[tuple]) -> dict[str, int]:
    """Write proposals and messages into ``run`` as plain rows (kernel/bulk.py: a run can propose hundreds of
    thousands, with their pegging); the run's own event records them."""
    run_values = {"org": run.org_id, "run": run.pk}
    bulk.insert_rows(PlannedOrder, ORDER_FIELDS, orders, constants={**run_values, "status": PlannedStatus.PROPOSED})
    bulk.insert_rows(MrpMessage, MESSAGE_FIELDS, messages, constants=run_values)
    bought = sum(1 for row in orders if row[1] == PlanSource.BUY)
    return {"planned_make": len(orders) - bought, "planned_buy": bought, "messages": len(messages)}


def _save(run: MrpRun, feed: selectors.Feed, result: engine.Result) -> dict[str, int]:
    return _write(run, *_rows(feed, result))


def _unmatched(new: list[tuple], old: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """An item's new proposals (rows of ``ORDER_FIELDS``, the engine's pegs) against its stored ones
    (``selectors.proposals`` rows): those of each with no equal in the other, the new ones with their pegs as
    stored. Equal: the same source, dates and supplier, the quantity as stored (6 places) and the pegs as numbers
    (a peg of "12" is one of "12.000000"), compared last."""
    stored: dict[tuple, list[tuple]] = defaultdict(list)
    for row in old:
        stored[row[2:8]].append(row)  # source, quantity, release, due, past due, supplier
    fresh = []
    for row in new:
        _, source, qty, *rest, pegs = row
        same = stored.get((source, qty.quantize(SIX_PLACES, ROUND_HALF_UP), *rest), [])
        match = next((n for n, was in enumerate(same) if not _pegs_differ(pegs, was[8])), None)
        if match is None:
            fresh.append((*row[:7], _pegging(pegs)))
        else:
            same.pop(match)
    return fresh, [row for rows in stored.values() for row in rows]


def _pegs_differ(pegs: list[engine.Peg], was: list[dict]) -> bool:
    return len(pegs) != len(was) or any(
        peg.ref != b["ref"] or peg.qty != Decimal(b["qty"]) for peg, b in zip(pegs, was, strict=True)
    )


def _replace(
    run: MrpRun, orders: list[tuple], stale: list[tuple], replanned: Iterable[int], messages: list[tuple]
) -> tuple[dict[str, int], Counter[str]]:
    """A net change's write into ``run``: the ``stale`` proposals (``selectors.proposals`` rows) replaced by
    ``orders``, the messages of the ``replanned`` items by ``messages``. Returns the counts written and those the
    run lost."""
    gone: Counter[str] = Counter(f"planned_{row[2]}" for row in stale if row[1] == run.pk)
    PlannedOrder.objects.filter(pk__any=[row[0] for row in stale]).delete()
    gone["messages"] = MrpMessage.objects.filter(run=run, item_id__in=list(replanned)).delete()[0]
    return _write(run, orders, messages), gone


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
        RunSequence.objects.create(org_id=run.org_id, run=run, items=[int(sku) for sku in result.order])
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
    confirmed or cancelled since the run: ``selectors.changed_since``), then, a BOM level at a time, the components
    of every item whose proposals changed (``selectors.levels``). Each level is planned alone: its parents stand
    as they are now (their proposals, read back, come down in the full run's order, ``RunSequence``), so each
    item gets what a full run would give it; an item whose plan comes out the same keeps its rows and stops the
    walk. The run's calendar and horizon stay; ``stats["net_changes"]`` keeps the last twenty, each with its
    counts and time."""
    report = progress or (lambda done, total: None)
    started = time.perf_counter()
    latest = selectors.latest_run()
    if latest is None:
        raise DomainError("Run MRP in full once first: a net change replans part of a plan.", code=MrpError.NO_RUN)
    run = MrpRun.objects.select_for_update(of=("self",)).get(pk=latest.pk)  # one net change at a time per plan
    sequence = RunSequence.objects.filter(run=run).values_list("items", flat=True).first()
    if sequence is None:
        raise DomainError("Run MRP in full once more: this run did not keep its order.", code=MrpError.NO_RUN)
    rank = {str(item): n for n, item in enumerate(sequence)}
    changed = set(items) if items is not None else selectors.changed_since(run)
    level_of = selectors.levels(changed)
    depth = max(level_of.values(), default=-1) + 1
    with _collector_paused():
        feed = selectors.scenario(
            on=run.starts_on, horizon_days=run.horizon_days, only=set(level_of), rank=rank, with_standing=False
        )
        replanned, moved, orders, stale, messages = _walk(feed, changed, level_of, depth, rank, report)
        written, gone = _replace(run, orders, stale, replanned, messages)
    keys = ("planned_make", "planned_buy", "messages")
    totals = {key: run.stats.get(key, 0) - gone[key] + written[key] for key in keys}
    net = {"at": timezone.now().isoformat(), "changed": len(changed), "under": len(level_of) - len(changed),
           "replanned": len(replanned), "rewritten": len(moved), "levels": depth, **{key: written[key] for key in keys},
           "seconds": round(time.perf_counter() - started, 3)}  # fmt: skip
    stats = {**run.stats, **totals, "net_changes": [*run.stats.get("net_changes", []), net][-20:]}
    return crud.update(run, actor=actor, changes={"stats": stats}, allowed=("stats",))


def _walk(
    feed: selectors.Feed,
    changed: set[int],
    level_of: dict[int, int],
    depth: int,
    rank: dict[str, int],
    report: Callable[[int, int], None],
) -> tuple[set[int], set[int], list[tuple], list[tuple], list[tuple]]:
    """Replan ``changed`` and, a level at a time (``depth`` of them in ``level_of``), the components of each item
    whose proposals changed, from ``feed`` (the scenario of every item they reach, without standing orders). A
    level's parents stand: those replanned here with their new orders, the others with their stored proposals (one
    read a level, with the level's own proposals to compare). Returns the items replanned and those whose proposals
    changed, the proposals to write and the stored ones they replace (an unchanged proposal stays as it is), and the
    messages of the items replanned."""
    days, scenario = feed.days, feed.scenario
    into: dict[str, list[engine.BomLink]] = defaultdict(list)  # an item's links from its parents
    for link in (*scenario.bom, *feed.inbound):
        into[link.component].append(link)
    demand: dict[str, list[engine.Demand]] = defaultdict(list)
    for need in scenario.demand:
        demand[need.sku].append(need)
    receipts: dict[str, list[engine.Receipt]] = defaultdict(list)
    for receipt in scenario.receipts:
        receipts[receipt.sku].append(receipt)
    by_sku = {item.sku: item for item in scenario.items}
    new: dict[str, list[engine.PlannedOrder]] = {}  # the orders of the items replanned so far
    read: dict[int, list[tuple]] = {}  # the stored proposals read so far (a parent can stand at several levels)
    dirty, moved = set(changed), set()
    orders: list[tuple] = []  # the proposals to write: those no stored one equals
    stale: list[tuple] = []  # the stored ones no new one equals
    messages: list[tuple] = []
    for level in range(depth):
        wave = [str(item) for item in sorted(dirty) if level_of[item] == level and str(item) in by_sku]
        if wave:
            parents = {link.parent for sku in wave for link in into[sku]}
            unread = {int(sku) for sku in (*wave, *parents) if sku not in new} - read.keys()
            found = selectors.proposals(unread)
            read.update({item: found.get(item, []) for item in unread})
            standing = selectors.standing({int(p): read[int(p)] for p in parents if p not in new}, days)
            for parent in parents & new.keys():
                standing.extend(
                    engine.StandingOrder(parent, o.release, [(p.ref, p.qty) for p in o.pegging]) for o in new[parent]
                )
            with_orders = {order.sku for order in standing}
            result = engine.plan(
                engine.Scenario(
                    horizon=scenario.horizon,
                    items=[by_sku[sku] for sku in wave],
                    bom=[link for sku in wave for link in into[sku] if link.parent in with_orders],
                    demand=[need for sku in wave for need in demand[sku]],
                    receipts=[receipt for sku in wave for receipt in receipts[sku]],
                    standing=standing,
                    rank=rank,
                )
            )
            rows, told = _rows(feed, result, stored_pegs=False)
            messages.extend(told)
            planned: dict[int, list[tuple]] = defaultdict(list)
            for row in rows:
                planned[row[0]].append(row)
            for sku in wave:
                new[sku] = []
            for order in result.planned_orders:
                new[order.sku].append(order)
            for item in map(int, wave):
                fresh, old = _unmatched(planned[item], read[item])
                if fresh or old:
                    moved.add(item)
                    orders.extend(fresh)
                    stale.extend(old)
                    dirty |= feed.components.get(item, set())
        report(level + 1, depth)
    return {int(sku) for sku in new}, moved, orders, stale, messages


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
