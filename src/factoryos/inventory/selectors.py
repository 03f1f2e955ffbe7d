"""Reports over the ledger and levels: valuation, reorder suggestions, lot traceability."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from factoryos.catalog.models import Item
from factoryos.inventory.models import ItemValuation, Lot, StockLevel, StockMove
from factoryos.inventory.rules import suggested_order_qty

ZERO = Decimal("0")


def levels():
    return StockLevel.objects.select_related("item__uom", "location", "lot").filter(
        location__kind__in=["warehouse", "zone", "bin"]
    )


def valuation() -> dict:
    """Stock value (on hand x moving average cost) by location and by category, and the total."""
    average = dict(ItemValuation.objects.values_list("item_id", "average_cost"))
    by_location: dict[str, Decimal] = defaultdict(Decimal)
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    total = ZERO
    rows = levels().select_related("item__category").exclude(on_hand=0)
    for level in rows:
        cost = average.get(level.item_id, level.item.standard_cost)
        value = level.on_hand * cost
        by_location[level.location.code] += value
        by_category[level.item.category.name if level.item.category else "(none)"] += value
        total += value
    q = Decimal("0.01")
    return {
        "total": total.quantize(q),
        "by_location": [{"location": k, "value": v.quantize(q)} for k, v in sorted(by_location.items())],
        "by_category": [{"category": k, "value": v.quantize(q)} for k, v in sorted(by_category.items())],
    }


def reorder() -> list[dict]:
    """Active bought or made items whose available stock is below their reorder point."""
    available = defaultdict(Decimal)
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
