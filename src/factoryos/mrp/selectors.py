"""Reads of MRP (each a Reader: see kernel/reads.py), and the database read into the engine's scenario.

``scenario(on=, horizon_days=)`` is what a run plans: every active item (its allocatable stock, safety stock, lead
time, make or buy and lot rule), the released BOMs (phantoms blown through), the demand (confirmed sales order lines
less what their reservations hold, forecasts less what orders consumed, work orders' components) and the scheduled
receipts (open purchase order lines and work orders), with dates turned into working-day periods
(``WorkingDays``). The engine sees item ids as its SKUs and references such as ``SO-00012/1``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import orjson
from django.db.models import F, Q, Sum, TextField
from django.db.models.functions import Cast

from factoryos.catalog import selectors as catalog
from factoryos.catalog.models import Bom, BomLine, BomStatus, Item, LotRule, MakeBuy
from factoryos.facilities.models import Calendar
from factoryos.inventory.models import VIRTUAL_KINDS, ReservationStatus, StockLevel
from factoryos.kernel.reads import Reader
from factoryos.mrp import filters
from factoryos.mrp.models import Forecast, MrpMessage, MrpRun, PlannedOrder, PlannedStatus
from factoryos.partners.models import SupplierItem
from factoryos.planning.engine import bom as bom_engine
from factoryos.planning.engine import mrp as engine
from factoryos.production.models import (
    OPEN_WORK_ORDER,
    MaterialReservation,
    WorkOrder,
    WorkOrderMaterial,
    WorkOrderStatus,
)
from factoryos.purchasing.models import POStatus, PurchaseOrderLine
from factoryos.sales.models import OPEN_STATUSES, OrderStatus, SalesOrderLine, SalesOrderReservation

ZERO = Decimal("0")
PAST_DAYS = 400  # how far back a late date is still told apart (an older one is simply "that far back")
DRAFT_OR_PLANNED = (WorkOrderStatus.DRAFT, WorkOrderStatus.PLANNED)  # a work order whose needs come from its BOM
OPEN_PO = (POStatus.DRAFT, POStatus.PENDING_APPROVAL, POStatus.APPROVED, POStatus.SENT, POStatus.PART_RECEIVED)

forecasts = Reader(
    Forecast, queryset=lambda: Forecast.objects.select_related("item__uom"), filterset=filters.ForecastFilterSet
)
runs = Reader(MrpRun, queryset=lambda: MrpRun.objects.select_related("created_by", "job"), filterset=None)
planned_orders = Reader(
    PlannedOrder,
    queryset=lambda: PlannedOrder.objects.select_related("item__uom", "supplier", "run"),
    filterset=filters.PlannedOrderFilterSet,
)
messages = Reader(
    MrpMessage, queryset=lambda: MrpMessage.objects.select_related("item", "run"), filterset=filters.MrpMessageFilterSet
)


def latest_run() -> MrpRun | None:
    return MrpRun.objects.filter(finished_at__isnull=False).order_by("-created_at", "-id").first()


# -- working days ------------------------------------------------------------------------------------------------
@dataclass
class WorkingDays:
    """The organization's working days around ``start``: period 1 is the first working day on or after it, period
    ``n`` the n-th; a date before it has a period below 1 (0 is the last working day before). A date that is not a
    working day belongs to the next one (a demand due on a Sunday is needed by Monday's end)."""

    start: date
    days: list[date]
    first: int  # the index of period 1 in ``days``

    @classmethod
    def of(cls, start: date, horizon_days: int, weekdays: set[int], holidays: set[date]) -> WorkingDays:
        since = start - timedelta(days=PAST_DAYS)
        span = (start - since).days + horizon_days + 1
        every = (since + timedelta(days=n) for n in range(span))
        days = [d for d in every if d.weekday() in weekdays and d not in holidays]
        if not days:
            raise ValueError("the calendar has no working day")
        return cls(start=start, days=days, first=bisect_left(days, start))

    @property
    def horizon(self) -> int:
        return len(self.days) - self.first

    def period(self, on: date) -> int:
        return bisect_left(self.days, on) - self.first + 1

    def date(self, period: int) -> date:
        index = min(max(self.first + period - 1, 0), len(self.days) - 1)
        return self.days[index]


def working_days(start: date, horizon_days: int) -> WorkingDays:
    """From the organization's calendar (its first site's first calendar: the weekdays with a shift, its
    holidays); Monday to Friday when it has none."""
    calendar = Calendar.objects.order_by("site__code", "name", "pk").first()
    weekdays, holidays = {0, 1, 2, 3, 4}, set()
    if calendar is not None:
        with_shifts = set(calendar.shifts.values_list("weekday", flat=True))
        weekdays = with_shifts or weekdays
        holidays = set(calendar.holidays.values_list("date", flat=True))
    return WorkingDays.of(start, horizon_days, weekdays, holidays)


# -- the scenario --------------------------------------------------------------------------------------------------
@dataclass
class Feed:
    """A scenario with what it came from: the calendar, and per item what the page shows beside the plan."""

    scenario: engine.Scenario
    days: WorkingDays
    items: dict[int, Item]
    suppliers: dict[int, int] = field(default_factory=dict)  # item -> preferred supplier
    beyond_horizon: int = 0  # demands and receipts after the horizon, left out
    components: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # item -> its components
    inbound: list[engine.BomLink] = field(default_factory=list)  # links into the items from parents outside them


def _lot(item: Item) -> engine.LotRule:
    if item.lot_rule == LotRule.FIXED and item.reorder_qty > 0:
        return engine.LotRule(rule="fixed", qty=item.reorder_qty)
    if item.lot_rule == LotRule.POQ:
        return engine.LotRule(rule="poq", periods=item.poq_days)
    if item.lot_rule == LotRule.MIN_MULTIPLE or item.min_order_qty or item.order_multiple:
        return engine.LotRule(rule="min_multiple", min=item.min_order_qty, multiple=item.order_multiple)
    return engine.LotRule()


def allocatable(items: Iterable[int] | None = None) -> dict[int, Decimal]:
    """On hand less reserved, per item (of ``items``, else every one), at the active physical locations out of
    quarantine."""
    levels = StockLevel.objects.all() if items is None else StockLevel.objects.filter(item_id__any=items)
    rows = (
        levels.filter(location__active=True, location__quarantine=False)
        .exclude(location__kind__in=sorted(VIRTUAL_KINDS))
        .values("item_id")
        .annotate(free=Sum(F("on_hand") - F("reserved")))
    )
    return {row["item_id"]: max(row["free"], ZERO) for row in rows}


def _links(lines: Iterable[bom_engine.BomLine]) -> list[engine.BomLink]:
    """Each released BOM line as parent -> component (scrap included); a phantom with a BOM of its own is blown
    through: its parent needs the phantom's components directly."""
    by_parent: dict[int, list[bom_engine.BomLine]] = defaultdict(list)
    for line in lines:
        by_parent[line.parent].append(line)
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)

    def add(parent: int, line: bom_engine.BomLine, factor: Decimal, depth: int) -> None:
        qty = line.extended_qty_per * factor
        below = by_parent.get(line.component)
        if line.phantom and below and depth < 32:
            for child in below:
                add(parent, child, qty, depth + 1)
        else:
            totals[(parent, line.component)] += qty

    for parent, rows in by_parent.items():
        for line in rows:
            add(parent, line, Decimal(1), 0)
    return [engine.BomLink(parent=str(p), component=str(c), qty=q) for (p, c), q in totals.items() if q > 0]


def _held_by_sales_lines(items: Iterable[int] | None) -> dict[int, Decimal]:
    held = SalesOrderReservation.objects.filter(reservation__status=ReservationStatus.ACTIVE)
    if items is not None:
        held = held.filter(line__item_id__any=items)
    rows = held.values("line_id").annotate(held=Sum(F("reservation__quantity") - F("reservation__consumed")))
    return {row["line_id"]: row["held"] for row in rows}


def _held_by_materials(items: Iterable[int] | None) -> dict[int, Decimal]:
    held = MaterialReservation.objects.filter(reservation__status=ReservationStatus.ACTIVE)
    if items is not None:
        held = held.filter(material__item_id__any=items)
    rows = held.values("material_id").annotate(held=Sum(F("reservation__quantity") - F("reservation__consumed")))
    return {row["material_id"]: row["held"] for row in rows}


def levels(changed: Iterable[int]) -> dict[int, int]:
    """``changed`` and every item under them in the released BOMs (phantoms included), each with its level among
    them: 0 for an item with no parent among them, else one more than its deepest parent's (so every parent of an
    item comes at a lower level). What a change of their demand can change the plan of, in the order to replan it.
    A level of the BOM a query."""
    found = set(changed)
    frontier = set(found)
    edges: list[tuple[int, int]] = []
    while frontier:
        rows = BomLine.objects.filter(bom__status=BomStatus.RELEASED, bom__item_id__any=frontier)
        pairs = set(rows.values_list("bom__item_id", "component_id"))
        edges.extend(pairs)
        frontier = {component for _, component in pairs} - found
        found |= frontier
    level = dict.fromkeys(found, 0)
    children: dict[int, set[int]] = defaultdict(set)
    for parent, component in edges:
        children[parent].add(component)
    for item in bom_engine.parents_first(found, edges):
        for component in children.get(item, ()):
            level[component] = max(level[component], level[item] + 1)
    return level


def below(changed: Iterable[int]) -> set[int]:
    """``changed`` and every item under them in the released BOMs (phantoms included)."""
    return set(levels(changed))


def changed_since(run: MrpRun) -> set[int]:
    """The items whose demand or supply orders changed since ``run`` began: sales orders confirmed, cancelled or
    closed, work orders made, released, finished or cancelled, purchase orders raised. A change to a BOM, a
    forecast, an item's planning fields or a stock count is not among them: those need a full run."""
    since = run.created_at
    sold = SalesOrderLine.objects.filter(
        Q(order__confirmed_at__gt=since) | Q(order__cancelled_at__gt=since) | Q(order__closed_at__gt=since),
        item__isnull=False,
    )
    made = WorkOrder.objects.filter(
        Q(created_at__gt=since) | Q(released_at__gt=since) | Q(completed_at__gt=since) | Q(cancelled_at__gt=since)
    )
    bought = PurchaseOrderLine.objects.filter(purchase_order__created_at__gt=since, item__isnull=False)
    return {
        *sold.values_list("item_id", flat=True),
        *made.values_list("item_id", flat=True),
        *bought.values_list("item_id", flat=True),
    }


def _into(only: set[int]) -> list[bom_engine.BomLine]:
    """The released lines from parents outside ``only`` into it, and the phantom lines into those parents (up
    their chain), so that a phantom between is blown through as a whole plan blows it."""
    lines = catalog.engine_lines(where=Q(component_id__any=only) & ~Q(bom__item_id__any=only))
    seen: set[int] = set(only)
    released_phantoms = BomLine.objects.filter(bom__status=BomStatus.RELEASED, phantom=True)
    parents = {line.parent for line in lines} - seen if released_phantoms.exists() else set()
    for _ in range(32):  # as deep as _links blows phantoms through
        if not parents:
            break
        seen |= parents
        phantoms = catalog.engine_lines(where=Q(component_id__any=parents, phantom=True) & ~Q(bom__item_id__any=only))
        lines.extend(phantoms)
        parents = {line.parent for line in phantoms} - seen
    return lines


def _phantom_lines(lines: list[bom_engine.BomLine], only: set[int]) -> list[bom_engine.BomLine]:
    """The lines of the phantoms outside ``only`` that ``lines`` lead into (down their chain): a plan of part of
    the catalog blows them through as the whole plan does."""
    found: list[bom_engine.BomLine] = []
    seen = set(only)
    phantoms = {line.component for line in lines if line.phantom} - seen
    for _ in range(32):  # as deep as _links blows phantoms through
        if not phantoms:
            break
        seen |= phantoms
        boms = Bom.objects.filter(status=BomStatus.RELEASED, item_id__in=phantoms)
        under = catalog.engine_lines(where=Q(bom__in=boms.values("pk")))
        found.extend(under)
        phantoms = {line.component for line in under if line.phantom} - seen
    return found


def _inbound(only: set[int], inside: list[bom_engine.BomLine]) -> list[engine.BomLink]:
    """The links from parents outside ``only`` into it. ``inside`` are the lines of the set's own items, already
    read: with them a phantom inside is blown through."""
    return [
        link for link in _links([*_into(only), *inside]) if int(link.parent) not in only and int(link.component) in only
    ]


def proposals(items: Iterable[int]) -> dict[int, list[tuple]]:
    """The standing proposals of ``items`` as rows (id, run, source, quantity, release date, due date, past due,
    supplier, pegging), each item's by release date."""
    rows: dict[int, list[tuple]] = defaultdict(list)
    proposed = PlannedOrder.objects.filter(status=PlannedStatus.PROPOSED, item_id__any=items)
    fields = ("id", "run_id", "source", "quantity", "release_date", "due_date", "past_due", "supplier_id")
    pegging = Cast("pegging", TextField())  # its text, parsed by orjson (a net change reads tens of thousands)
    for item_id, *row, pegs in proposed.values_list("item_id", *fields, pegging).order_by("item_id", "release_date"):
        rows[item_id].append((*row, orjson.loads(pegs)))
    return rows


def standing(rows: dict[int, list[tuple]], days: WorkingDays) -> list[engine.StandingOrder]:
    """Proposals (rows of ``proposals``) as standing orders: their release as a period, their pegs as numbers."""
    found = []
    for item_id, orders in rows.items():
        for row in orders:
            period = days.period(row[4])
            if period <= days.horizon:
                pegs = [(peg["ref"], Decimal(peg["qty"])) for peg in row[8]]
                found.append(engine.StandingOrder(sku=str(item_id), release=period, pegging=pegs))
    return found


def scenario(
    *,
    on: date,
    horizon_days: int,
    only: set[int] | None = None,
    rank: dict[str, int] | None = None,
    with_standing: bool = True,
) -> Feed:
    """The organization's scenario; with ``only``, the scenario of those items alone: their parents outside it
    stand as they were planned (their proposals come down as standing orders, in ``rank``: the whole plan's
    order, ``RunSequence``). ``with_standing=False`` leaves the standing orders out (``Feed.inbound`` has the
    links they would come down): a net change reads them a BOM level at a time."""
    days = working_days(on, horizon_days)
    active = Item.objects.filter(active=True)
    if only is not None:
        active = active.filter(pk__any=only)
    items = {item.pk: item for item in active.select_related("uom")}
    preferred = {
        row.item_id: row
        for row in SupplierItem.objects.filter(preferred=True, item_id__any=items).select_related("supplier")
    }
    free = allocatable(None if only is None else list(items))
    boms = Bom.objects.filter(status=BomStatus.RELEASED, **({} if only is None else {"item_id__any": items}))
    made = set(boms.values_list("item_id", flat=True))
    engine_items = []
    for pk, item in items.items():
        make = item.make_buy == MakeBuy.MAKE or pk in made
        supplier_lead = preferred[pk].lead_time_days if pk in preferred else 0
        engine_items.append(
            engine.Item(
                sku=str(pk),
                lead_time=item.lead_time_days or (0 if make else supplier_lead),
                on_hand=free.get(pk, ZERO),
                safety_stock=item.safety_stock,
                source="make" if make else "buy",
                lot=_lot(item),
            )
        )
    everything = catalog.engine_lines() if only is None else catalog.engine_lines(where=Q(bom__in=boms.values("pk")))
    links = []
    phantoms = [] if only is None else _phantom_lines(everything, set(items))
    feed = Feed(
        scenario=engine.Scenario(horizon=days.horizon, items=engine_items),
        days=days,
        items=items,
        suppliers={pk: row.supplier_id for pk, row in preferred.items()},
    )
    for link in _links([*everything, *phantoms]):
        parent, component = int(link.parent), int(link.component)
        if parent in items:
            feed.components[parent].add(component)
            if component in items:
                links.append(link)
    outside = [] if only is None else _inbound(set(items), everything)
    feed.inbound = outside
    parents = {int(link.parent) for link in outside}
    standing_orders = standing(proposals(parents), days) if only is not None and with_standing else []
    demand: list[engine.Demand] = []
    receipts: list[engine.Receipt] = []
    of_items = {} if only is None else {"item_id__any": items}  # the big tables read for the plan's items only

    def dated(rows: list, kind: type, sku: int, on_day: date, qty: Decimal, ref: str) -> None:
        period = days.period(on_day)
        if qty <= 0 or sku not in items:
            return
        if period > days.horizon:
            feed.beyond_horizon += 1
            return
        rows.append(kind(sku=str(sku), period=period, qty=qty, ref=ref))

    # confirmed sales order lines: what is still to ship, less what their reservations hold
    held = _held_by_sales_lines(None if only is None else items)
    lines = SalesOrderLine.objects.filter(order__status__in=OPEN_STATUSES, item__isnull=False, **of_items)
    lines = lines.select_related("order")
    for line in lines.exclude(item__item_type="service"):
        dated(demand, engine.Demand, line.item_id, line.promised_on, line.back_order - held.get(line.pk, ZERO),
              f"{line.order.number}/{line.position}")  # fmt: skip
    # forecasts, less the orders promised inside their period (consumption)
    ordered = SalesOrderLine.objects.exclude(order__status__in=(OrderStatus.DRAFT, OrderStatus.CANCELLED))
    promised: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for line in ordered.filter(item_id__in=Forecast.objects.filter(**of_items).values("item_id")).select_related(
        "order"
    ):
        promised[line.item_id].append((line.promised_on, line.quantity))
    for forecast in Forecast.objects.filter(ends_on__gte=on, **of_items):
        consumed = sum((q for d, q in promised[forecast.item_id] if forecast.starts_on <= d <= forecast.ends_on), ZERO)
        dated(demand, engine.Demand, forecast.item_id, max(forecast.starts_on, on), forecast.quantity - consumed,
              f"FC-{forecast.pk}")  # fmt: skip
    # work orders: released ones need what their materials have not issued nor reserved, drafts and planned ones
    # their BOM's components; each is a receipt of what it has still to make
    held_materials = _held_by_materials(None if only is None else items)
    orders = WorkOrder.objects.filter(status__in=OPEN_WORK_ORDER).select_related("item")
    materials = WorkOrderMaterial.objects.filter(
        work_order__status__in=(WorkOrderStatus.RELEASED, WorkOrderStatus.STARTED), **of_items
    )
    if only is not None:  # those making the set's items, needing them (materials), or drafts of parents outside
        orders = orders.filter(
            Q(item_id__any=items)
            | Q(pk__in=materials.values("work_order_id"))
            | Q(item_id__any=parents, status__in=DRAFT_OR_PLANNED)
        )
    by_order: dict[int, list[WorkOrderMaterial]] = defaultdict(list)
    for material in materials:
        by_order[material.work_order_id].append(material)
    children: dict[str, list[engine.BomLink]] = defaultdict(list)
    for link in [*links, *outside]:
        children[link.parent].append(link)
    for order in orders:
        remaining = order.quantity - order.quantity_completed - order.quantity_scrapped
        dated(receipts, engine.Receipt, order.item_id, order.due_date, remaining, order.number)
        need_on = days.date(days.period(order.due_date) - order.item.lead_time_days)
        if order.status in DRAFT_OR_PLANNED:
            for link in children.get(str(order.item_id), []):
                dated(demand, engine.Demand, int(link.component), need_on, link.qty * order.quantity, order.number)
        for material in by_order.get(order.pk, []):
            still = material.quantity - material.issued - held_materials.get(material.pk, ZERO)
            dated(demand, engine.Demand, material.item_id, need_on, still, order.number)
    # open purchase order lines
    po_lines = PurchaseOrderLine.objects.filter(purchase_order__status__in=OPEN_PO, item__isnull=False, **of_items)
    for line in po_lines.select_related("purchase_order").filter(quantity__gt=F("received")):
        arrives = line.expected_date or line.purchase_order.expected_date or on
        dated(receipts, engine.Receipt, line.item_id, arrives, line.outstanding,
              f"{line.purchase_order.number}/{line.position}")  # fmt: skip
    with_orders = {order.sku for order in standing_orders}
    feed.scenario = engine.Scenario(
        horizon=days.horizon,
        items=engine_items,
        bom=[*links, *(link for link in outside if link.parent in with_orders)],
        demand=demand,
        receipts=receipts,
        standing=standing_orders,
        rank=rank if only is not None else None,
    )
    return feed


def projected(item: Item, run: MrpRun) -> list[tuple[date, Decimal]]:
    """The item's projected on hand by day over the run (for its chart): today's allocatable stock, plus receipts
    and its proposals as they arrive, less requirements (its parents' proposals among them, at their release);
    from the scenario of the item alone (its parents' proposals stand, as a net change reads them), not the
    organization's."""
    feed = scenario(on=run.starts_on, horizon_days=run.horizon_days, only={item.pk})
    sku = str(item.pk)
    level = Decimal(next((i.on_hand for i in feed.scenario.items if i.sku == sku), ZERO))
    changes: dict[int, Decimal] = defaultdict(Decimal)
    for d in feed.scenario.demand:
        changes[d.period] -= Decimal(d.qty)
    per = {link.parent: Decimal(link.qty) for link in feed.scenario.bom if link.component == sku}
    for standing in feed.scenario.standing:  # its parents' proposals, each release times the quantity per
        changes[standing.release] -= sum((qty for _, qty in standing.pegging), ZERO) * per[standing.sku]
    for r in feed.scenario.receipts:
        changes[r.period] += Decimal(r.qty)
    proposed = PlannedOrder.objects.filter(run=run, item=item, status=PlannedStatus.PROPOSED)
    for due, quantity in proposed.values_list("due_date", "quantity"):  # a firmed one is a receipt above
        changes[feed.days.period(due)] += quantity
    points = [(run.starts_on, level)]
    for period in sorted(changes):
        level += changes[period]
        points.append((feed.days.date(max(period, 1)), level))
    return points
