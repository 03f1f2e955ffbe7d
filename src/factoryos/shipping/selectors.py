"""Reads of shipments and customer returns (each a Reader: see kernel/reads.py), and what shipping computes from
the order: what is left to pick, and where to pick it."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from factoryos.inventory.models import Location, Lot, ReservationStatus
from factoryos.inventory.selectors import suggest_lots
from factoryos.kernel.reads import Reader
from factoryos.sales.models import SalesOrder, SalesOrderLine
from factoryos.shipping import filters
from factoryos.shipping.models import (
    OPEN_SHIPMENT,
    CustomerReturn,
    CustomerReturnLine,
    ReturnStatus,
    Shipment,
    ShipmentLine,
)

ZERO = Decimal("0")

shipments = Reader(
    Shipment,
    queryset=lambda: Shipment.objects.select_related("order__partner", "created_by"),
    filterset=filters.ShipmentFilterSet,
)
shipment_lines = Reader(
    ShipmentLine,
    queryset=lambda: ShipmentLine.objects.select_related(
        "shipment", "order_line", "item__uom", "location", "lot"
    ).order_by("shipment", "order_line__position", "id"),
    filterset=filters.ShipmentLineFilterSet,
)
customer_returns = Reader(
    CustomerReturn,
    queryset=lambda: CustomerReturn.objects.select_related("customer", "shipment"),
    filterset=filters.CustomerReturnFilterSet,
)
customer_return_lines = Reader(
    CustomerReturnLine,
    queryset=lambda: CustomerReturnLine.objects.select_related(
        "customer_return", "shipment_line__shipment", "item__uom", "lot", "location"
    ),
    filterset=filters.CustomerReturnLineFilterSet,
)


def being_picked(order_line: SalesOrderLine, *, exclude: ShipmentLine | None = None) -> Decimal:
    """What the open (picking or packed) shipments hold of ``order_line``, but for the line ``exclude``."""
    rows = ShipmentLine.objects.filter(order_line=order_line, shipment__status__in=OPEN_SHIPMENT)
    if exclude is not None and exclude.pk:
        rows = rows.exclude(pk=exclude.pk)
    return rows.aggregate(s=Sum("quantity"))["s"] or ZERO


def to_pick(order_line: SalesOrderLine, *, exclude: ShipmentLine | None = None) -> Decimal:
    """Ordered, not shipped, and not in an open shipment yet."""
    return order_line.quantity - order_line.shipped - being_picked(order_line, exclude=exclude)


def returnable(shipment_line: ShipmentLine, *, exclude: CustomerReturnLine | None = None) -> Decimal:
    """What of ``shipment_line`` has not come back, nor is on a return waiting to be received."""
    rows = CustomerReturnLine.objects.filter(shipment_line=shipment_line).exclude(
        customer_return__status=ReturnStatus.CANCELLED
    )
    if exclude is not None and exclude.pk:
        rows = rows.exclude(pk=exclude.pk)
    return shipment_line.quantity - (rows.aggregate(s=Sum("quantity"))["s"] or ZERO)


Pick = tuple[SalesOrderLine, Location, Lot | None, Decimal]


def proposal(order: SalesOrder) -> list[Pick]:
    """Where to pick what is left to ship of ``order``: (order line, location, lot, quantity), line by line.

    Each line first takes what its own reservations hold (less what open shipments already pick there), then what
    is available elsewhere, first expiry first (``inventory.selectors.suggest_lots``). A line short of stock is
    proposed in part; a line with nothing to pick, not at all."""
    picks: list[Pick] = []
    lines = order.lines.select_related("item").prefetch_related(
        "reservations__reservation__location", "reservations__reservation__lot"
    )
    for line in lines.order_by("position", "pk"):
        if not line.stocked:
            continue
        wanted = to_pick(line)
        if wanted <= 0:
            continue
        claimed: defaultdict[tuple[int, int | None], Decimal] = defaultdict(Decimal)
        open_lines = ShipmentLine.objects.filter(order_line=line, shipment__status__in=OPEN_SHIPMENT)
        for location_id, lot_id, quantity in open_lines.values_list("location_id", "lot_id", "quantity"):
            claimed[(location_id, lot_id)] += quantity
        taken: dict[tuple[int, int | None], list] = {}
        held = sorted(
            (link.reservation for link in line.reservations.all()),
            key=lambda r: (r.status != ReservationStatus.ACTIVE, r.pk),
        )
        for reservation in held:
            spot = (reservation.location_id, reservation.lot_id)
            free = reservation.remaining - claimed[spot]
            claimed[spot] = max(claimed[spot] - reservation.remaining, ZERO)
            take = min(free, wanted)
            if take > 0:
                taken.setdefault(spot, [line, reservation.location, reservation.lot, ZERO])[3] += take
                wanted -= take
        if wanted > 0 and line.item is not None:  # then free stock, less what this line's open shipments pick there
            for level, available in suggest_lots(line.item, None, wanted + sum(claimed.values())):
                spot = (level.location_id, level.lot_id)
                take = min(max(available - claimed[spot], ZERO), wanted)
                if take > 0:
                    taken.setdefault(spot, [line, level.location, level.lot, ZERO])[3] += take
                    wanted -= take
        picks.extend((pick[0], pick[1], pick[2], pick[3]) for pick in taken.values())
    return picks
