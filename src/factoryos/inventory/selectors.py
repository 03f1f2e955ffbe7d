"""Reads of locations, lots, stock and the ledger (each a Reader: see kernel/reads.py), and the reports over them:
valuation, reorder suggestions, lot traceability."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from factoryos.catalog.models import Item
from factoryos.inventory import filters
from factoryos.inventory.models import (
    CountLine,
    CountSheet,
    ItemValuation,
    Location,
    Lot,
    MoveReason,
    Reservation,
    StockLevel,
    StockMove,
)
from factoryos.inventory.rules import suggested_order_qty
from factoryos.kernel import events
from factoryos.kernel.events import Actor
from factoryos.kernel.reads import Reader

ZERO = Decimal("0")
PHYSICAL = ("warehouse", "zone", "bin")


def levels() -> QuerySet[StockLevel]:
    """Stock at physical locations (the virtual ones only balance the ledger)."""
    return StockLevel.objects.select_related("item__uom", "location__site", "lot").filter(location__kind__in=PHYSICAL)


locations = Reader(
    Location, queryset=lambda: Location.objects.select_related("site", "parent"), filterset=filters.LocationFilterSet
)
lots = Reader(Lot, queryset=lambda: Lot.objects.select_related("item__uom"), filterset=filters.LotFilterSet)
stock_levels = Reader(StockLevel, queryset=levels, filterset=filters.StockLevelFilterSet)
stock_moves = Reader(
    StockMove,
    queryset=lambda: StockMove.objects.select_related(
        "item__uom", "from_location", "to_location", "lot", "actor", "entered_uom"
    ),
    filterset=filters.StockMoveFilterSet,
)
reservations = Reader(
    Reservation,
    queryset=lambda: Reservation.objects.select_related("item", "location", "lot"),
    filterset=filters.ReservationFilterSet,
)
count_sheets = Reader(
    CountSheet, queryset=lambda: CountSheet.objects.select_related("location"), filterset=filters.CountSheetFilterSet
)
count_lines = Reader(
    CountLine,
    queryset=lambda: CountLine.objects.select_related("sheet__location", "item__uom", "lot"),
    filterset=filters.CountLineFilterSet,
)


def unit_costs(item_ids: Iterable[int]) -> dict[int, Decimal]:
    """What one unit of each item is worth now: its moving average cost, or its standard cost before any receipt."""
    ids = set(item_ids)
    average: dict[int, Decimal] = dict(
        ItemValuation.objects.filter(item_id__in=ids).values_list("item_id", "average_cost")
    )
    standard: dict[int, Decimal] = dict(Item.objects.filter(pk__in=ids).values_list("pk", "standard_cost"))
    return {pk: average.get(pk, cost) for pk, cost in standard.items()}


def valuation(*, actor: Actor | None) -> dict:
    """Stock value (on hand x moving average cost) by location and by category, and the total; a read of every
    stock level, recorded as a LIST."""
    average = dict(ItemValuation.objects.values_list("item_id", "average_cost"))
    by_location: dict[str, Decimal] = defaultdict(Decimal)
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    total = ZERO
    rows = list(levels().select_related("item__category").exclude(on_hand=0))
    for level in rows:
        cost = average.get(level.item_id, level.item.standard_cost)
        value = level.on_hand * cost
        by_location[level.location.code] += value
        by_category[level.item.category.name if level.item.category else "(none)"] += value
        total += value
    q = Decimal("0.01")
    events.record_list(
        object_type="inventory.stocklevel", criteria={}, count=len(rows), actor=actor, report="valuation"
    )
    return {
        "total": total.quantize(q),
        "by_location": [{"location": k, "value": v.quantize(q)} for k, v in sorted(by_location.items())],
        "by_category": [{"category": k, "value": v.quantize(q)} for k, v in sorted(by_category.items())],
    }


def reorder(*, actor: Actor | None) -> list[dict]:
    """Active bought or made items whose available stock is below their reorder point (a LIST of items)."""
    available: defaultdict[int, Decimal] = defaultdict(Decimal)
    for item_id, on_hand, reserved in levels().values_list("item_id", "on_hand", "reserved"):
        available[item_id] += on_hand - reserved
    rows = []
    for item in Item.objects.filter(active=True, reorder_point__gt=0).select_related("uom").order_by("sku"):
        have = available.get(item.pk, ZERO)
        qty = suggested_order_qty(
            available=have,
            reorder_point=item.reorder_point,
            reorder_qty=item.reorder_qty,
            min_order_qty=item.min_order_qty,
            order_multiple=item.order_multiple,
        )
        if qty > 0:
            rows.append({"item": item, "available": have, "suggested": qty})
    events.record_list(object_type="catalog.item", criteria={}, count=len(rows), actor=actor, report="reorder")
    return rows


def ledger_sum(item_id: int, location_id: int, lot_id: int | None = None) -> Decimal:
    """What the ledger says is at a location: every move in minus every move out."""
    moves = StockMove.objects.filter(item_id=item_id, lot_id=lot_id)
    into = moves.filter(to_location_id=location_id).aggregate(s=Sum("quantity"))["s"] or ZERO
    out = moves.filter(from_location_id=location_id).aggregate(s=Sum("quantity"))["s"] or ZERO
    return into - out


def lot_trace(lot: Lot) -> dict:
    """Where a lot went (its moves), and for a lot that was made, which component lots went into it."""
    moves = StockMove.objects.filter(lot=lot).select_related("from_location", "to_location").order_by("created_at")
    components = StockMove.objects.filter(produced_lot=lot).select_related("lot", "item").order_by("item__sku")
    used_in = StockMove.objects.filter(lot=lot, produced_lot__isnull=False).select_related("produced_lot__item")
    return {"moves": list(moves), "components": list(components), "used_in": list(used_in)}


def suggest_lots(
    item: Item | int, location: Location | None, quantity: Decimal, *, on: date | None = None
) -> list[tuple[StockLevel, Decimal]]:
    """Where to take ``quantity`` of ``item`` from: first expiry first (lots expiring soonest, then lots that never
    expire), ties first in first out by the lot's first receipt; untracked stock by location code.

    Only what is available (on hand less reserved) counts, only at active physical locations that are not in
    quarantine, within ``location`` and the locations below it (anywhere when None); lots already expired on ``on``
    (today) are never suggested. Returns (level, quantity to take) pairs; they add up to less than ``quantity`` when
    there is not enough."""
    today = on or timezone.localdate()
    rows = levels().filter(item=item, location__active=True, location__quarantine=False)
    rows = rows.filter(on_hand__gt=F("reserved")).filter(Q(lot__isnull=True) | ~Q(lot__expires_on__lt=today))
    if location is not None:
        rows = rows.filter(Q(location=location) | Q(location__parent=location) | Q(location__parent__parent=location))
    receipts = StockMove.objects.filter(lot=OuterRef("lot"), reason=MoveReason.RECEIPT).order_by("created_at")
    first_receipt = Subquery(receipts.values("created_at")[:1])
    rows = rows.annotate(received=Coalesce(first_receipt, "lot__created_at")).order_by(
        F("lot__expires_on").asc(nulls_last=True), F("received").asc(nulls_last=True), "location__code", "pk"
    )
    taken: list[tuple[StockLevel, Decimal]] = []
    wanted = Decimal(quantity)
    for level in rows:
        if wanted <= 0:
            break
        take = min(level.available, wanted)
        taken.append((level, take))
        wanted -= take
    return taken
