"""Every change of stock: one ledger row and the levels it moves, in one transaction, never losing a unit.

Concurrency: the level rows a move touches are locked in a fixed order (location id), the source is decremented
with a conditional update (``on_hand - reserved >= quantity``) and the database CHECK refuses a negative on-hand
as a last wall. The ledger row and the level changes commit together, so every level equals its ledger sum.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict, TypeVar, Unpack

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet

from factoryos.catalog import units
from factoryos.catalog.models import Item, Tracking, UnitOfMeasure
from factoryos.core.models import Membership
from factoryos.facilities.models import Site
from factoryos.inventory.errors import InventoryError
from factoryos.inventory.models import (
    VIRTUAL_KINDS,
    AdjustmentReason,
    CountLine,
    CountSheet,
    CountStatus,
    ItemValuation,
    Location,
    LocationKind,
    Lot,
    MoveReason,
    Reservation,
    ReservationStatus,
    StockLevel,
    StockMove,
)
from factoryos.kernel import crud, diffs, events, transitions
from factoryos.kernel.errors import CommonError, ConflictError, DomainError
from factoryos.kernel.events import Action
from factoryos.kernel.tenancy import require_org

M = TypeVar("M")

ZERO = Decimal("0")


class LocationFields(TypedDict, total=False):
    code: str
    name: str
    kind: str
    site: Site | int | None
    parent: Location | int | None
    active: bool
    quarantine: bool


class InsufficientStock(ConflictError):
    def __init__(self, item: Item, location: Location, available: Decimal, wanted: Decimal):
        super().__init__(
            f"Only {available.normalize():f} {item.uom.code} of {item.sku} available at {location.code}; "
            f"{wanted.normalize():f} needed.",
            code=InventoryError.INSUFFICIENT_STOCK,
            field="quantity",
        )


# -- locations ---------------------------------------------------------------------------------------------------
def _check_location(fields: Any, *, kind: str | None = None) -> dict[str, Any]:
    fields = crud.refs(fields, {"site": Site, "parent": Location})
    parent, kind = fields.get("parent"), fields.get("kind", kind)
    if fields.get("quarantine") and kind in VIRTUAL_KINDS:
        raise DomainError(
            "Only a warehouse, zone or bin can be a quarantine location.",
            code=InventoryError.VIRTUAL_LOCATION,
            field="quarantine",
        )
    if parent is not None:
        if parent.is_virtual or kind in VIRTUAL_KINDS:
            raise DomainError(
                "Virtual locations stand alone: they have no parent or children.",
                code=InventoryError.VIRTUAL_LOCATION,
                field="parent",
            )
        if fields.get("site") is not None and parent.site_id != fields["site"].pk:
            raise DomainError(
                "A location sits under a location of its own site.",
                code=InventoryError.LOCATION_OF_OTHER_SITE,
                field="parent",
            )
        fields.setdefault("site", parent.site)
    return fields


def location_create(*, actor: Membership, **fields: Unpack[LocationFields]) -> Location:
    return crud.create(Location, actor=actor, values=_check_location(fields), allowed=LocationFields)


@transaction.atomic
def location_update(*, actor: Membership, obj: Location, **changes: Unpack[LocationFields]) -> Location:
    fields: dict[str, Any] = dict(changes)
    if "parent" in fields or "site" in fields or "quarantine" in fields:
        fields = _check_location(fields, kind=obj.kind)
    quarantining = fields.get("quarantine") and not obj.quarantine
    if quarantining and Reservation.objects.filter(location=obj, status=ReservationStatus.ACTIVE).exists():
        raise DomainError(
            f"Stock at {obj.code} is reserved: release its reservations before quarantining it.",
            code=InventoryError.QUARANTINED,
            field="quarantine",
        )
    message = "A location cannot sit under itself or its own sub-location."
    crud.check_not_below_itself(obj, fields.get("parent"), message, InventoryError.LOCATION_LOOP)
    return crud.update(obj, actor=actor, changes=fields, allowed=LocationFields)


def location_delete(*, actor: Membership, obj: Location) -> None:
    crud.delete(obj, actor=actor)


def _get_or_create(rows: QuerySet, create: Callable[[], M], *, lock: bool) -> M:
    """The row of ``rows`` (locked for this transaction when ``lock``), made by ``create`` on first use; two
    transactions creating it at once meet at the unique index, and the loser reads the winner's row."""
    rows = rows.select_for_update(of=("self",)) if lock else rows
    row = rows.first()
    if row is None:
        try:
            with transaction.atomic():
                row = create()
        except IntegrityError:
            row = rows.get()
    return row


def virtual_location(kind: str) -> Location:
    """The organization's virtual location of ``kind`` (made on first use; never locked: every move uses it)."""
    code = f"~{kind.upper()}"
    return _get_or_create(
        Location.objects.filter(code=code),
        lambda: Location.objects.create(code=code, name=LocationKind(kind).label, kind=kind),
        lock=False,
    )


# -- lots --------------------------------------------------------------------------------------------------------
def lot_for(
    item: Item, code: str | None, *, create: bool, expires_on: date | None = None, supplier_ref: str = ""
) -> Lot | None:
    """The lot (or serial) a move of ``item`` uses: required for tracked items, refused for untracked ones."""
    if item.tracking == Tracking.NONE:
        if code:
            raise DomainError(f"{item.sku} is not lot or serial tracked.", code=InventoryError.NOT_TRACKED, field="lot")
        return None
    if not code:
        kind = "serial number" if item.tracking == Tracking.SERIAL else "lot"
        raise DomainError(f"{item.sku} is tracked by {kind}: give one.", code=InventoryError.LOT_REQUIRED, field="lot")
    lot = Lot.objects.filter(item=item, code=code).first()
    if lot is None:
        if not create:
            raise DomainError(f"No lot {code} of {item.sku}.", code=InventoryError.UNKNOWN_LOT, field="lot")
        # A lot is born with the receipt (or count) that brings it: that move's event records it, one per request.
        lot = Lot(
            item=item,
            code=code,
            is_serial=item.tracking == Tracking.SERIAL,
            expires_on=expires_on,
            supplier_ref=supplier_ref,
        )
        lot.full_clean(exclude=["org"])
        lot.save(force_insert=True)
    return lot


def _lot(item: Item, lot: Lot | str | None, *, create: bool = False) -> Lot | None:
    """``lot_for`` that also takes a Lot already in hand (another document's line), checked to be of ``item``."""
    if not isinstance(lot, Lot):
        return lot_for(item, lot, create=create)
    if lot.item_id != item.pk:
        raise DomainError(
            f"Lot {lot.code} is not a lot of {item.sku}.", code=InventoryError.LOT_OF_OTHER_ITEM, field="lot"
        )
    return lot_for(item, lot.code, create=False)


# -- the ledger --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Quantity:
    """What was typed (quantity + unit) and what it is in the item's own unit."""

    entered: Decimal
    uom: UnitOfMeasure
    base: Decimal


def quantity_of(item: Item, quantity: Decimal, uom: UnitOfMeasure | int | None) -> Quantity:
    if quantity is None or Decimal(quantity) <= 0:
        raise DomainError("The quantity must be more than zero.", code=InventoryError.NOT_POSITIVE, field="quantity")
    uom = crud.ref(UnitOfMeasure, uom, "uom") if uom is not None else item.uom
    base = units.convert(Decimal(quantity), uom, item.uom, item)
    if item.tracking == Tracking.SERIAL and base != 1:
        raise DomainError(
            f"{item.sku} is serial tracked: move one serial number at a time.",
            code=InventoryError.ONE_SERIAL_AT_A_TIME,
            field="quantity",
        )
    return Quantity(Decimal(quantity), uom, base)


def _level_locked(item: Item, location: Location, lot: Lot | None) -> StockLevel:
    """The level row, locked for this transaction; made on first use."""
    return _get_or_create(
        StockLevel.objects.filter(item=item, location=location, lot=lot),
        lambda: StockLevel.objects.create(
            item=item, location=location, lot=lot, allow_negative=require_org().allow_negative_stock
        ),
        lock=True,
    )


def _take(level: StockLevel, item: Item, location: Location, quantity: Decimal, *, from_reserved: bool) -> None:
    """Decrement on hand (and reserved, when consuming a reservation) only if enough is available."""
    changes = {"on_hand": F("on_hand") - quantity}
    if from_reserved:
        changes["reserved"] = F("reserved") - quantity
        enough = Q(reserved__gte=quantity) & (Q(on_hand__gte=quantity) | Q(allow_negative=True))
    else:
        enough = Q(allow_negative=True) | Q(on_hand__gte=F("reserved") + quantity)
    if not StockLevel.objects.filter(pk=level.pk).filter(enough).update(**changes):
        raise InsufficientStock(item, location, level.on_hand - level.reserved, quantity)


def _revalue(item: Item, quantity: Decimal, unit_cost: Decimal | None, *, incoming: bool) -> None:
    """Moving average cost: stock coming in at a cost re-weights the average; going out keeps it."""
    valuation = _get_or_create(
        ItemValuation.objects.filter(item=item),
        lambda: ItemValuation.objects.create(item=item, average_cost=item.standard_cost),
        lock=True,
    )
    if incoming:
        cost = item.standard_cost if unit_cost is None else unit_cost
        held = max(valuation.quantity, ZERO)
        total = held + quantity
        if total > 0:
            valuation.average_cost = ((held * valuation.average_cost) + quantity * cost) / total
        valuation.quantity += quantity
    else:
        valuation.quantity -= quantity
    valuation.save(update_fields=["average_cost", "quantity"])


@transaction.atomic
def _move(
    *,
    actor: Membership,
    item: Item,
    qty: Quantity,
    source: Location,
    target: Location,
    lot: Lot | None,
    reason: str,
    reference: str = "",
    note: str = "",
    unit_cost: Decimal | None = None,
    adjustment_reason: str = "",
    produced_lot: Lot | None = None,
    reservation: Reservation | None = None,
) -> StockMove:
    if source.pk == target.pk:
        raise DomainError(
            "Choose a different location to move to.", code=InventoryError.SAME_LOCATION, field="to_location"
        )
    for name, location in (("from_location", source), ("to_location", target)):
        if not location.active:
            raise DomainError(f"{location.code} is inactive.", code=InventoryError.INACTIVE, field=name)
    if not item.active:
        raise DomainError(f"{item.sku} is inactive.", code=InventoryError.INACTIVE, field="item")
    # Lock the physical levels in location order: two moves between the same bins cannot deadlock.
    physical = sorted((loc for loc in (source, target) if not loc.is_virtual), key=lambda loc: loc.pk)
    levels = {loc.pk: _level_locked(item, loc, lot) for loc in physical}
    if not source.is_virtual:
        _take(levels[source.pk], item, source, qty.base, from_reserved=reservation is not None)
    if not target.is_virtual:
        StockLevel.objects.filter(pk=levels[target.pk].pk).update(on_hand=F("on_hand") + qty.base)
    if source.is_virtual and not target.is_virtual:
        _revalue(item, qty.base, unit_cost, incoming=True)
    elif target.is_virtual and not source.is_virtual:
        _revalue(item, qty.base, None, incoming=False)
    move = StockMove.objects.create(
        item=item,
        quantity=qty.base,
        entered_quantity=qty.entered,
        entered_uom=qty.uom,
        from_location=source,
        to_location=target,
        lot=lot,
        produced_lot=produced_lot,
        reason=reason,
        adjustment_reason=adjustment_reason,
        unit_cost=unit_cost,
        reference=reference,
        note=note,
        actor=actor.user,
    )
    events.record(action=Action.CREATE, actor=actor, obj=move, changes=diffs.created_fields(move))
    return move


def _physical(location: Location | int, field: str, *, available: bool = False) -> Location:
    """A warehouse, zone or bin; with ``available``, one whose stock may be reserved or shipped (not quarantined)."""
    location = crud.ref(Location, location, field)
    if location.is_virtual:
        raise DomainError(
            f"{location.code} is virtual: choose a warehouse, zone or bin.",
            code=InventoryError.VIRTUAL_LOCATION,
            field=field,
        )
    if available and location.quarantine:
        raise DomainError(
            f"{location.code} is a quarantine location: its stock cannot be reserved or shipped.",
            code=InventoryError.QUARANTINED,
            field=field,
        )
    return location


def stock_receive(
    *,
    actor: Membership,
    item: Item | int,
    location: Location | int,
    quantity: Decimal,
    uom: int | None = None,
    lot: str | None = None,
    unit_cost: Decimal | None = None,
    reference: str = "",
    expires_on: date | None = None,
    supplier_ref: str = "",
) -> StockMove:
    """Goods in from a supplier (purchase receipt or opening stock) at a cost that feeds the moving average."""
    with transaction.atomic():
        item = crud.ref(Item, item, "item")
        target = _physical(location, "location")
        qty = quantity_of(item, quantity, uom)
        the_lot = lot_for(item, lot, create=True, expires_on=expires_on, supplier_ref=supplier_ref)
        if unit_cost is not None and unit_cost < 0:
            raise DomainError("A cost cannot be negative.", code=InventoryError.NEGATIVE_COST, field="unit_cost")
        per_base_unit = None if unit_cost is None else unit_cost * qty.entered / qty.base
        return _move(
            actor=actor,
            item=item,
            qty=qty,
            source=virtual_location(LocationKind.SUPPLIER),
            target=target,
            lot=the_lot,
            reason=MoveReason.RECEIPT,
            reference=reference,
            unit_cost=per_base_unit,
        )


def stock_produce(
    *,
    actor: Membership,
    item: Item | int,
    location: Location | int,
    quantity: Decimal,
    unit_cost: Decimal,
    lot: str | None = None,
    reference: str = "",
) -> StockMove:
    """Finished goods from production into stock (a work order's last operation), at the cost they were made for;
    a lot- or serial-tracked item needs its lot or serial number (made on first use)."""
    with transaction.atomic():
        item = crud.ref(Item, item, "item")
        target = _physical(location, "location")
        qty = quantity_of(item, quantity, None)
        if unit_cost < 0:
            raise DomainError("A cost cannot be negative.", code=InventoryError.NEGATIVE_COST, field="unit_cost")
        return _move(
            actor=actor,
            item=item,
            qty=qty,
            source=virtual_location(LocationKind.PRODUCTION),
            target=target,
            lot=lot_for(item, lot, create=True),
            reason=MoveReason.PRODUCTION,
            reference=reference,
            unit_cost=unit_cost,
        )


def stock_transfer(
    *,
    actor: Membership,
    item: Item | int,
    from_location: Location | int,
    to_location: Location | int,
    quantity: Decimal,
    uom: int | None = None,
    lot: str | None = None,
    reference: str = "",
    note: str = "",
) -> StockMove:
    with transaction.atomic():
        item = crud.ref(Item, item, "item")
        source, target = _physical(from_location, "from_location"), _physical(to_location, "to_location")
        return _move(
            actor=actor,
            item=item,
            qty=quantity_of(item, quantity, uom),
            source=source,
            target=target,
            lot=lot_for(item, lot, create=False),
            reason=MoveReason.TRANSFER,
            reference=reference,
            note=note,
        )


def stock_adjust(
    *,
    actor: Membership,
    item: Item | int,
    location: Location | int,
    quantity: Decimal,
    reason: str,
    uom: int | None = None,
    lot: str | None = None,
    unit_cost: Decimal | None = None,
    note: str = "",
    count_reference: str = "",
) -> StockMove:
    """Add (quantity > 0) or remove (quantity < 0) stock for a stated reason."""
    if reason not in AdjustmentReason.values and not count_reference:
        raise DomainError(
            f"Choose a reason: {', '.join(AdjustmentReason.values)}.",
            code=InventoryError.REASON_REQUIRED,
            field="reason",
        )
    if quantity is None or Decimal(quantity) == 0:
        raise DomainError(
            "An adjustment changes the quantity: give a non-zero amount.",
            code=InventoryError.ZERO_ADJUSTMENT,
            field="quantity",
        )
    with transaction.atomic():
        item = crud.ref(Item, item, "item")
        location = _physical(location, "location")
        incoming = Decimal(quantity) > 0
        qty = quantity_of(item, abs(Decimal(quantity)), uom)
        the_lot = lot_for(item, lot, create=incoming)
        virtual = virtual_location(LocationKind.ADJUSTMENT)
        source, target = (virtual, location) if incoming else (location, virtual)
        return _move(
            actor=actor,
            item=item,
            qty=qty,
            source=source,
            target=target,
            lot=the_lot,
            reason=MoveReason.COUNT if count_reference else MoveReason.ADJUSTMENT,
            adjustment_reason="" if count_reference else reason,
            reference=count_reference,
            note=note,
            unit_cost=unit_cost if incoming else None,
        )


def _held_reservation(
    reservation: Reservation | int | None, item: Item, location: Location, lot: Lot | None
) -> Reservation | None:
    """The active reservation a move out consumes, locked, checked to hold this item at this location and lot."""
    if reservation is None:
        return None
    held = (
        Reservation.objects.select_for_update(of=("self",)).filter(pk=getattr(reservation, "pk", reservation)).first()
    )
    if held is None or not transitions.is_editable(held):
        raise DomainError(
            "No active reservation with that id.", code=InventoryError.NO_ACTIVE_RESERVATION, field="reservation"
        )
    if (held.item_id, held.location_id, held.lot_id) != (item.pk, location.pk, getattr(lot, "pk", None)):
        raise DomainError(
            "The reservation is for another item, location or lot.",
            code=InventoryError.RESERVATION_MISMATCH,
            field="reservation",
        )
    return held


def _move_out(
    *,
    actor: Membership,
    item: Item | int,
    location: Location | int,
    quantity: Decimal,
    uom: int | None,
    lot: Lot | str | None,
    reference: str,
    reservation: Reservation | int | None,
    to: str,
    reason: str,
    produced_lot: Lot | None = None,
    available_only: bool = False,
) -> StockMove:
    """Stock out of a physical location to the virtual location of kind ``to``, from a reservation when given: the
    reservation keeps its size, what it consumed grows, and it is consumed once all of it is used."""
    with transaction.atomic():
        item = crud.ref(Item, item, "item")
        location = _physical(location, "location", available=available_only)
        the_lot = _lot(item, lot)
        held = _held_reservation(reservation, item, location, the_lot)
        qty = quantity_of(item, quantity, uom)
        if held is not None and qty.base > held.remaining:
            raise DomainError(
                f"The reservation holds only {held.remaining.normalize():f}.",
                code=InventoryError.RESERVATION_EXCEEDED,
                field="quantity",
            )
        move = _move(
            actor=actor,
            item=item,
            qty=qty,
            source=location,
            target=virtual_location(to),
            lot=the_lot,
            reason=reason,
            reference=reference or (held.reference if held else ""),
            produced_lot=produced_lot,
            reservation=held,
        )
        if held is not None:
            consumed = {"consumed": held.consumed + qty.base}
            if consumed["consumed"] == held.quantity:
                transitions.transition(held, to=ReservationStatus.CONSUMED, actor=actor, fields=consumed)
            else:
                crud.update(held, actor=actor, changes=consumed, allowed=("consumed",))
        return move


def stock_issue(
    *,
    actor: Membership,
    item: Item | int,
    location: Location | int,
    quantity: Decimal,
    uom: int | None = None,
    lot: str | None = None,
    reference: str = "",
    produced_lot: int | None = None,
    reservation: Reservation | int | None = None,
) -> StockMove:
    """Issue to production (or consume a reservation made for it)."""
    return _move_out(
        actor=actor,
        item=item,
        location=location,
        quantity=quantity,
        uom=uom,
        lot=lot,
        reference=reference,
        reservation=reservation,
        to=LocationKind.PRODUCTION,
        reason=MoveReason.ISSUE,
        produced_lot=crud.ref(Lot, produced_lot, "produced_lot") if produced_lot else None,
    )


def stock_ship(
    *,
    actor: Membership,
    item: Item | int,
    location: Location | int,
    quantity: Decimal,
    lot: Lot | str | None = None,
    reference: str = "",
    reservation: Reservation | int | None = None,
) -> StockMove:
    """Goods out to a customer (a shipment), from available stock or consuming a reservation made for the order;
    never from a quarantine location."""
    return _move_out(
        actor=actor,
        item=item,
        location=location,
        quantity=quantity,
        uom=None,
        lot=lot,
        reference=reference,
        reservation=reservation,
        to=LocationKind.CUSTOMER,
        reason=MoveReason.SHIPMENT,
        available_only=True,
    )


def stock_return_to_supplier(
    *,
    actor: Membership,
    item: Item | int,
    location: Location | int,
    quantity: Decimal,
    lot: Lot | str | None = None,
    reference: str = "",
) -> StockMove:
    """Goods back to the supplier (from any physical location, quarantine included: that is where rejects wait)."""
    return _move_out(
        actor=actor,
        item=item,
        location=location,
        quantity=quantity,
        uom=None,
        lot=lot,
        reference=reference,
        reservation=None,
        to=LocationKind.SUPPLIER,
        reason=MoveReason.RETURN,
    )


def stock_return_from_customer(
    *,
    actor: Membership,
    item: Item | int,
    location: Location | int,
    quantity: Decimal,
    lot: Lot | str | None = None,
    reference: str = "",
    unit_cost: Decimal | None = None,
) -> StockMove:
    """Goods back from a customer into a physical (normally quarantine) location, an existing lot or serial. Valued at
    ``unit_cost``, by default the item's current average cost, so a return alone does not move the average."""
    with transaction.atomic():
        item = crud.ref(Item, item, "item")
        target = _physical(location, "location")
        qty = quantity_of(item, quantity, None)
        the_lot = _lot(item, lot)
        if unit_cost is not None and unit_cost < 0:
            raise DomainError("A cost cannot be negative.", code=InventoryError.NEGATIVE_COST, field="unit_cost")
        if unit_cost is None:
            average = ItemValuation.objects.filter(item=item).values_list("average_cost", flat=True).first()
            unit_cost = item.standard_cost if average is None else average
        return _move(
            actor=actor,
            item=item,
            qty=qty,
            source=virtual_location(LocationKind.CUSTOMER),
            target=target,
            lot=the_lot,
            reason=MoveReason.RETURN,
            reference=reference,
            unit_cost=unit_cost,
        )


# -- reservations ------------------------------------------------------------------------------------------------
@transaction.atomic
def stock_reserve(
    *,
    actor: Membership,
    item: Item | int,
    location: Location | int,
    quantity: Decimal,
    reference: str,
    lot: str | None = None,
) -> Reservation:
    item = crud.ref(Item, item, "item")
    location = _physical(location, "location", available=True)
    if not reference.strip():
        raise DomainError(
            "Say what the stock is reserved for, e.g. WO-1042.",
            code=InventoryError.REFERENCE_REQUIRED,
            field="reference",
        )
    the_lot = lot_for(item, lot, create=False)
    qty = quantity_of(item, quantity, None)
    level = _level_locked(item, location, the_lot)
    if not StockLevel.objects.filter(pk=level.pk, on_hand__gte=F("reserved") + qty.base).update(
        reserved=F("reserved") + qty.base
    ):
        raise InsufficientStock(item, location, level.on_hand - level.reserved, qty.base)
    values = {"item": item, "location": location, "lot": the_lot, "quantity": qty.base, "reference": reference.strip()}
    return crud.create(Reservation, actor=actor, values=values, allowed=values)


@transaction.atomic
def reserve_levels(*, actor: Membership, picks: list[tuple[StockLevel, Decimal]], reference: str) -> list[Reservation]:
    """Reserve ``quantity`` (in the item's own unit) on each of the ``picks``' levels, for ``reference``: the bulk
    form of ``stock_reserve`` for a caller that has already locked the levels (``select_for_update``) and chosen
    them (an order confirming its lines). Each level is still decremented conditionally, so a level without enough
    available is refused (409) and nothing is reserved; quarantined or virtual locations are refused as in
    ``stock_reserve``. One insert for all the reservations, one event each."""
    if not reference.strip():
        raise DomainError(
            "Say what the stock is reserved for, e.g. SO-1042.",
            code=InventoryError.REFERENCE_REQUIRED,
            field="reference",
        )
    made = []
    for level, quantity in picks:
        if level.location.is_virtual or level.location.quarantine:
            _physical(level.location, "location", available=True)  # raises the refusal stock_reserve would
        if quantity <= 0 or not StockLevel.objects.filter(pk=level.pk, on_hand__gte=F("reserved") + quantity).update(
            reserved=F("reserved") + quantity
        ):
            raise InsufficientStock(level.item, level.location, level.on_hand - level.reserved, quantity)
        made.append(
            Reservation(
                org=level.org,
                item_id=level.item_id,
                location_id=level.location_id,
                lot_id=level.lot_id,
                quantity=quantity,
                reference=reference.strip(),
            )
        )
    return crud.create_many(Reservation, made, actor=actor)


@transaction.atomic
def reservation_release(*, actor: Membership, obj: Reservation) -> Reservation:
    """Give back what an active reservation still holds (a released one can hold nothing more)."""
    released = transitions.transition(obj, to=ReservationStatus.RELEASED, actor=actor)
    level = _level_locked(released.item, released.location, released.lot)
    StockLevel.objects.filter(pk=level.pk).update(reserved=F("reserved") - (released.quantity - released.consumed))
    return released


# -- cycle counts ------------------------------------------------------------------------------------------------
@transaction.atomic
def count_sheet_create(*, actor: Membership, location: Location | int) -> CountSheet:
    """A count sheet of everything the system believes is at ``location`` now (expected quantities frozen)."""
    location = _physical(location, "location")
    sheet = crud.create(CountSheet, actor=actor, values={"location": location}, allowed=("location",))
    CountLine.objects.bulk_create(
        [
            CountLine(org=sheet.org, sheet=sheet, item_id=item_id, lot_id=lot_id, expected=on_hand)
            for item_id, lot_id, on_hand in StockLevel.objects.filter(location=location)
            .exclude(on_hand=0)
            .values_list("item_id", "lot_id", "on_hand")
        ]
    )
    return sheet


@transaction.atomic
def count_line_set(*, actor: Membership, obj: CountLine, counted: Decimal | None = None) -> CountLine:
    line = obj
    transitions.check_editable(line.sheet, field="counted")
    if counted is None or counted < 0:
        raise DomainError("Enter what you counted (zero or more).", code=CommonError.OUT_OF_RANGE, field="counted")
    return crud.update(line, actor=actor, changes={"counted": counted}, allowed=("counted",))


@transaction.atomic
def count_line_add(
    *, actor: Membership, sheet: CountSheet, item: Item | int, counted: Decimal, lot: str | None = None
) -> CountLine:
    """Stock found on the shelf that the sheet did not expect."""
    transitions.check_editable(sheet, field="sheet")
    item = crud.ref(Item, item, "item")
    the_lot = lot_for(item, lot, create=True)
    if sheet.lines.filter(item=item, lot=the_lot).exists():
        raise DomainError(
            f"{item.sku} is on this sheet already: enter its count there.",
            code=InventoryError.ALREADY_ON_SHEET,
            field="item",
        )
    values = {"sheet": sheet, "item": item, "lot": the_lot, "expected": ZERO, "counted": counted}
    return crud.create(CountLine, actor=actor, values=values, allowed=values)


@transaction.atomic
def count_sheet_post(*, actor: Membership, obj: CountSheet) -> CountSheet:
    """Post every variance as an adjustment (reason: cycle count). Uncounted lines are refused, not guessed."""
    sheet = transitions.locked(obj)
    transitions.check_transition(sheet, CountStatus.POSTED)
    lines = list(sheet.lines.select_related("item", "lot"))
    missing = [line.item.sku for line in lines if line.counted is None]
    if missing:
        raise DomainError(
            f"Count every line before posting; not counted: {', '.join(missing[:10])}.",
            code=InventoryError.UNCOUNTED_LINES,
            field="lines",
        )
    reference = f"COUNT-{sheet.pk}"
    for line in lines:
        if line.variance:
            stock_adjust(
                actor=actor,
                item=line.item,
                location=sheet.location,
                quantity=line.variance,
                reason=AdjustmentReason.CORRECTION,
                lot=line.lot.code if line.lot else None,
                count_reference=reference,
            )
    variances = sum(1 for line in lines if line.variance)
    return transitions.transition(sheet, to=CountStatus.POSTED, actor=actor, metadata={"variances": variances})
