"""Writes of shipping: shipments (proposed from the order, picked, packed, shipped or cancelled), their packing
slips, and customer returns received into quarantine.

Locks: shipping a shipment locks the shipment, then its sales order (the order sales locks before touching its
reservations, so a cancel and a shipment of one order queue rather than deadlock), then the stock levels line by
line in location order (inventory's own order). Two shipments drawing on the last units are serialized by those
level locks: the second finds the stock gone and is refused (409, ``insufficient_stock``) with nothing written.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone

from factoryos.catalog.models import Item, Tracking
from factoryos.core.models import Membership
from factoryos.documents import services as documents
from factoryos.documents.models import DocumentKind, Rendered
from factoryos.finance.models import SequenceKind
from factoryos.finance.services import next_number
from factoryos.inventory import services as inventory
from factoryos.inventory.errors import InventoryError
from factoryos.inventory.models import Location, Lot, ReservationStatus
from factoryos.kernel import crud, transitions
from factoryos.kernel.errors import CommonError, ConflictError, DomainError
from factoryos.partners.models import AddressKind, Partner
from factoryos.sales import services as sales
from factoryos.sales.errors import SalesError
from factoryos.sales.models import OPEN_STATUSES, SalesOrder, SalesOrderLine, SalesOrderReservation
from factoryos.shipping import selectors
from factoryos.shipping.errors import ShippingError
from factoryos.shipping.models import (
    CustomerReturn,
    CustomerReturnLine,
    ReturnStatus,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
)

ZERO = Decimal("0")


class ShipmentFields(TypedDict, total=False):
    ship_to: str
    carrier: str
    tracking_number: str
    notes: str


class ShipmentLineFields(TypedDict, total=False):
    order_line: SalesOrderLine | int
    location: Location | int
    lot: Lot | int | None
    quantity: Decimal


class CustomerReturnFields(TypedDict, total=False):
    customer: Partner | int
    shipment: Shipment | int | None
    reason: str


class CustomerReturnLineFields(TypedDict, total=False):
    shipment_line: ShipmentLine | int | None
    item: Item | int | None
    lot: Lot | int | None
    quantity: Decimal
    location: Location | int


# What may still change once a shipment has left: how it travels (a tracking number often comes later).
AFTER_SHIPPING = frozenset({"carrier", "tracking_number"})


# -- shipments ---------------------------------------------------------------------------------------------------
def _check_open(order: SalesOrder) -> None:
    if order.status not in OPEN_STATUSES:
        raise ConflictError(
            f"Sales order {order} is {order.get_status_display().lower()}: only a confirmed or part shipped order "
            "ships.",
            code=ShippingError.ORDER_NOT_OPEN,
            field="order",
        )


def ship_to_of(order: SalesOrder) -> str:
    """The customer's name and default shipping address (else another shipping address, else its billing
    address), one line each."""
    partner = order.partner
    shipping_first = Case(When(kind=AddressKind.SHIPPING, then=0), default=1)
    address = partner.addresses.order_by(shipping_first, "-is_default", "id").first()
    lines = [partner.legal_name, *(address.lines if address is not None else [])]
    return "\n".join(dict.fromkeys(line for line in lines if line))


def _pick_values(shipment: Shipment, fields: dict[str, Any], *, line: ShipmentLine | None = None) -> dict[str, Any]:
    """The line's values checked: a stocked line of the shipment's order, picked from a location whose stock may
    ship, the item's lot, and no more than is left to pick of the order line."""
    values = crud.refs(fields, {"order_line": SalesOrderLine, "location": Location, "lot": Lot})
    order_line: SalesOrderLine = values["order_line"]
    if order_line.order_id != shipment.order_id:
        raise DomainError(
            f"That line is not a line of {shipment.order}.",
            code=ShippingError.LINE_OF_ANOTHER_ORDER,
            field="order_line",
        )
    if not order_line.stocked:
        raise DomainError(
            f"Line {order_line.position} is not a stocked item: it does not ship from stock.",
            code=ShippingError.NOT_STOCKED,
            field="order_line",
        )
    item = order_line.item
    assert item is not None  # a stocked line has an item
    location: Location = values["location"]
    if location.is_virtual or location.quarantine or not location.active:
        raise DomainError(
            f"{location.code} cannot ship stock: choose an active warehouse, zone or bin out of quarantine.",
            code=InventoryError.QUARANTINED if location.quarantine else InventoryError.VIRTUAL_LOCATION,
            field="location",
        )
    lot: Lot | None = values.get("lot")
    if item.tracking == Tracking.NONE and lot is not None:
        raise DomainError(f"{item.sku} is not lot or serial tracked.", code=InventoryError.NOT_TRACKED, field="lot")
    if item.tracking != Tracking.NONE and lot is None:
        raise DomainError(f"{item.sku} is tracked: choose the lot.", code=InventoryError.LOT_REQUIRED, field="lot")
    if lot is not None and lot.item_id != item.pk:
        raise DomainError(
            f"Lot {lot.code} is not a lot of {item.sku}.", code=InventoryError.LOT_OF_OTHER_ITEM, field="lot"
        )
    quantity = inventory.quantity_of(item, values["quantity"], None).base
    left = selectors.to_pick(order_line, exclude=line)
    if quantity > left:
        raise DomainError(
            f"Only {max(left, ZERO).normalize():f} of line {order_line.position} is left to pick.",
            code=ShippingError.OVER_PICKED,
            field="quantity",
        )
    return {**values, "item": item, "lot": lot, "quantity": quantity}


LINE_VALUES = ("shipment", "order_line", "item", "location", "lot", "quantity")


@transaction.atomic
def shipment_create(*, actor: Membership, order: SalesOrder | int, **fields: Unpack[ShipmentFields]) -> Shipment:
    """A shipment of what is left to ship of ``order``, its lines proposed where the stock is: the order's own
    reservations first, then first expiry first (selectors.proposal). Change or remove lines while picking."""
    order = transitions.locked(crud.ref(SalesOrder, order, "order"))  # one proposal at a time per order
    _check_open(order)
    picks = selectors.proposal(order)
    if not picks:
        raise ConflictError(
            f"Nothing of {order} can ship now: every line has shipped, is being picked, or has no stock.",
            code=ShippingError.NOTHING_TO_SHIP,
            field="order",
        )
    values: dict[str, Any] = {
        **fields,
        "ship_to": fields.get("ship_to") or ship_to_of(order),
        "number": next_number(SequenceKind.SHIPMENT),
        "order": order,
        "created_by": actor.user,
    }
    shipment = crud.create(
        Shipment, actor=actor, values=values, allowed=(*ShipmentFields.__annotations__, "number", "order", "created_by")
    )
    for order_line, location, lot, quantity in picks:
        line = {"shipment": shipment, "order_line": order_line, "item": order_line.item}
        crud.create(
            ShipmentLine,
            actor=actor,
            values={**line, "location": location, "lot": lot, "quantity": quantity},
            allowed=LINE_VALUES,
        )
    return shipment


@transaction.atomic
def shipment_update(*, actor: Membership, obj: Shipment, **changes: Unpack[ShipmentFields]) -> Shipment:
    """The delivery address and notes change until the shipment leaves; carrier and tracking number after too."""
    shipment = transitions.locked(obj)
    changed: dict[str, Any] = {name: value for name, value in changes.items() if getattr(shipment, name) != value}
    late = shipment.status == ShipmentStatus.SHIPPED and set(changed) <= AFTER_SHIPPING
    if shipment.status not in (ShipmentStatus.PICKING, ShipmentStatus.PACKED) and not late:
        fixed = sorted(set(changed) - AFTER_SHIPPING) or sorted(changed) or ["status"]
        what = "only its carrier and tracking number" if shipment.status == ShipmentStatus.SHIPPED else "nothing"
        raise ConflictError(
            f"Shipment {shipment} is {shipment.get_status_display().lower()}: {what} can change.",
            code=CommonError.LOCKED,
            field=fixed[0],
        )
    return crud.update(shipment, actor=actor, changes=changed, allowed=ShipmentFields)


@transaction.atomic
def shipment_line_create(
    *, actor: Membership, shipment: Shipment | int, **fields: Unpack[ShipmentLineFields]
) -> ShipmentLine:
    shipment = transitions.locked(crud.ref(Shipment, shipment, "shipment"))
    transitions.check_editable(shipment, field="shipment")
    missing = [name for name in ("order_line", "location", "quantity") if fields.get(name) is None]
    if missing:
        raise DomainError("This field is required.", code=CommonError.REQUIRED, field=missing[0])
    values = _pick_values(shipment, dict(fields))
    return crud.create(ShipmentLine, actor=actor, values={**values, "shipment": shipment}, allowed=LINE_VALUES)


@transaction.atomic
def shipment_line_update(
    *, actor: Membership, obj: ShipmentLine, **changes: Unpack[ShipmentLineFields]
) -> ShipmentLine:
    """Pick from another location or lot, or less (or more, up to what is left): while picking only."""
    shipment = transitions.locked(obj.shipment)
    transitions.check_editable(shipment, field=next(iter(changes), None))
    current = {"order_line": obj.order_line, "location": obj.location, "lot": obj.lot, "quantity": obj.quantity}
    given = {name: value for name, value in changes.items() if value is not None or name == "lot"}
    values = _pick_values(shipment, {**current, **given}, line=obj)
    return crud.update(obj, actor=actor, changes={k: values[k] for k in given}, allowed=ShipmentLineFields)


@transaction.atomic
def shipment_line_delete(*, actor: Membership, obj: ShipmentLine) -> None:
    transitions.check_editable(transitions.locked(obj.shipment), field="shipment")
    crud.delete(obj, actor=actor)


@transaction.atomic
def shipment_pack(*, actor: Membership, obj: Shipment) -> Shipment:
    """Picked and packed: the lines are fixed (what they pick is checked again: the order may have moved)."""
    shipment = transitions.locked(obj)
    transitions.check_transition(shipment, ShipmentStatus.PACKED)
    lines = list(shipment.lines.select_related("order_line__item", "location", "lot"))
    if not lines:
        raise DomainError("Pick at least one line before packing.", code=ShippingError.NO_LINES, field="lines")
    for line in lines:
        fields = {"order_line": line.order_line, "location": line.location, "lot": line.lot, "quantity": line.quantity}
        _pick_values(shipment, fields, line=line)
    return transitions.transition(shipment, to=ShipmentStatus.PACKED, actor=actor)


def _ship_line(actor: Membership, shipment: Shipment, line: ShipmentLine) -> None:
    """Move one line's stock to the customer: from what the order line's reservations hold at that location and
    lot first (consuming them), the rest from available stock."""
    left = line.quantity
    links = SalesOrderReservation.objects.filter(
        line=line.order_line,
        reservation__status=ReservationStatus.ACTIVE,
        reservation__location=line.location,
        reservation__lot=line.lot,
    ).select_related("reservation")
    for link in links.order_by("reservation_id"):
        take = min(left, link.reservation.remaining)
        if take > 0:
            inventory.stock_ship(
                actor=actor,
                item=line.item,
                location=line.location,
                quantity=take,
                lot=line.lot,
                reference=shipment.number,
                reservation=link.reservation,
            )
            left -= take
    if left > 0:
        inventory.stock_ship(
            actor=actor, item=line.item, location=line.location, quantity=left, lot=line.lot, reference=shipment.number
        )


def _trim_reservations(actor: Membership, order_line: SalesOrderLine) -> None:
    """A line that shipped from stock it had not reserved holds more than it still needs: give the rest back (the
    newest reservations first; one held in part is released and reserved again for what is still needed)."""
    order_line.refresh_from_db(fields=["quantity", "shipped"])
    needed = order_line.quantity - order_line.shipped
    links = list(
        SalesOrderReservation.objects.filter(line=order_line, reservation__status=ReservationStatus.ACTIVE)
        .select_related("reservation__item", "reservation__location", "reservation__lot")
        .order_by("-reservation_id")
    )
    held = sum((link.reservation.remaining for link in links), ZERO)
    for link in links:
        if held <= needed:
            break
        reservation = link.reservation
        keep = max(needed - (held - reservation.remaining), ZERO)
        held -= reservation.remaining
        inventory.reservation_release(actor=actor, obj=reservation)
        if keep > 0:
            again = inventory.stock_reserve(
                actor=actor,
                item=reservation.item,
                location=reservation.location,
                quantity=keep,
                reference=reservation.reference,
                lot=reservation.lot.code if reservation.lot else None,
            )
            values = {"line": order_line, "reservation": again}
            crud.create(SalesOrderReservation, actor=actor, values=values, allowed=values)
            held += keep


@transaction.atomic
def shipment_ship(*, actor: Membership, obj: Shipment) -> Shipment:
    """The packed shipment leaves: every line's stock moves to the customer (inventory.stock_ship, consuming the
    order's reservations where they hold it), the order learns what shipped (part shipped or shipped), and
    reservations the order no longer needs are released; all or nothing."""
    shipment = transitions.locked(obj)
    transitions.check_transition(shipment, ShipmentStatus.SHIPPED)
    order = transitions.locked(shipment.order)
    _check_open(order)
    lines = list(shipment.lines.select_related("order_line", "item__uom", "location", "lot"))
    if not lines:
        raise DomainError("A shipment without lines cannot ship.", code=ShippingError.NO_LINES, field="lines")
    shipped: defaultdict[int, Decimal] = defaultdict(Decimal)
    by_pk: dict[int, SalesOrderLine] = {}
    for line in sorted(lines, key=lambda ln: (ln.location_id, ln.item_id, ln.lot_id or 0, ln.pk)):
        _ship_line(actor, shipment, line)
        shipped[line.order_line_id] += line.quantity
        by_pk[line.order_line_id] = line.order_line
    for pk in sorted(shipped):
        sales.order_line_shipped(actor=actor, line=by_pk[pk], quantity=shipped[pk])
        _trim_reservations(actor, by_pk[pk])
    return transitions.transition(shipment, to=ShipmentStatus.SHIPPED, actor=actor)


@transaction.atomic
def shipment_cancel(*, actor: Membership, obj: Shipment) -> Shipment:
    """Cancel a shipment that has not left: no stock has moved, the order's reservations stay as they were."""
    return transitions.transition(obj, to=ShipmentStatus.CANCELLED, actor=actor)


def packing_slip_context(shipment: Shipment) -> dict[str, Any]:
    order = shipment.order
    ship_to = [line for line in shipment.ship_to.splitlines() if line.strip()]
    lines = [
        {
            "position": n,
            "sku": line.item.sku,
            "description": line.order_line.description or line.item.name,
            "quantity": line.quantity,
            "unit": line.item.uom.code,
            "lot": line.lot.code if line.lot else "",
            "location": line.location.code,
        }
        for n, line in enumerate(selectors.shipment_lines.all().filter(shipment=shipment), start=1)
    ]
    reference = f"Order {order.number}" + (
        f", your ref. {order.customer_reference}" if order.customer_reference else ""
    )
    when = shipment.shipped_at or timezone.now()
    return {
        "document": {
            "title": "Packing slip",
            "number": shipment.number,
            "dates": [("Date", when)],
            "reference": reference,
        },
        "ship_to": {"name": ship_to[0] if ship_to else order.partner.legal_name, "address": ship_to[1:]},
        "shipment": shipment,
        "lines": lines,
        "notes": shipment.notes,
    }


@transaction.atomic
def packing_slip(*, actor: Membership, obj: Shipment) -> Rendered:
    """Print the shipment's packing slip (no prices: what is in the box, lots included) and keep it with it."""
    if obj.status == ShipmentStatus.CANCELLED:
        raise ConflictError(
            f"Shipment {obj} is cancelled: it has no packing slip.", code=CommonError.LOCKED, field="status"
        )
    return documents.render_and_store(
        actor=actor,
        record=obj,
        kind=DocumentKind.PACKING_SLIP,
        number=obj.number,
        template="shipping/pdf/packing_slip.html",
        context=packing_slip_context(obj),
        view_permission="sales.view",
    )


# -- customer returns --------------------------------------------------------------------------------------------
def _return_values(fields: dict[str, Any]) -> dict[str, Any]:
    values = crud.refs(fields, {"customer": Partner, "shipment": Shipment})
    shipment: Shipment | None = values.get("shipment")
    if shipment is not None:
        if shipment.status != ShipmentStatus.SHIPPED:
            raise DomainError(
                f"Shipment {shipment} has not shipped: nothing of it can come back.",
                code=ShippingError.SHIPMENT_NOT_SHIPPED,
                field="shipment",
            )
        values.setdefault("customer", shipment.order.partner)
        if values["customer"] is None:
            values["customer"] = shipment.order.partner
        if shipment.order.partner_id != values["customer"].pk:
            raise DomainError(
                f"Shipment {shipment} went to another customer.",
                code=ShippingError.SHIPMENT_OF_ANOTHER_CUSTOMER,
                field="shipment",
            )
    customer = values.get("customer")
    if customer is not None and not customer.is_customer:
        raise DomainError(f"{customer.code} is not a customer.", code=SalesError.NOT_A_CUSTOMER, field="customer")
    return values


@transaction.atomic
def customer_return_create(*, actor: Membership, **fields: Unpack[CustomerReturnFields]) -> CustomerReturn:
    """A draft return (RMA number) from a customer, of a shipment when it names one (its customer then)."""
    values = _return_values(dict(fields))
    if values.get("customer") is None:
        raise DomainError("Choose the customer (or the shipment).", code=CommonError.REQUIRED, field="customer")
    values.update(number=next_number(SequenceKind.RETURN), created_by=actor.user)
    allowed = (*CustomerReturnFields.__annotations__, "number", "created_by")
    return crud.create(CustomerReturn, actor=actor, values=values, allowed=allowed)


@transaction.atomic
def customer_return_update(
    *, actor: Membership, obj: CustomerReturn, **changes: Unpack[CustomerReturnFields]
) -> CustomerReturn:
    transitions.check_editable(obj, field=next(iter(changes), None))
    current = {"customer": obj.customer, "shipment": obj.shipment}
    values = _return_values({**current, **changes})
    if obj.lines.exclude(shipment_line__isnull=True).exclude(shipment_line__shipment=values.get("shipment")).exists():
        raise DomainError(
            "Its lines name another shipment's lines: remove them first.",
            code=ShippingError.LINE_OF_ANOTHER_SHIPMENT,
            field="shipment",
        )
    return crud.update(obj, actor=actor, changes={k: values[k] for k in changes}, allowed=CustomerReturnFields)


def _return_line_values(
    customer_return: CustomerReturn, fields: dict[str, Any], *, line: CustomerReturnLine | None = None
) -> dict[str, Any]:
    """The line checked: into a quarantine location; of a shipped line of the return's shipment (its item and lot,
    no more than has not come back yet), or of an item (and its lot) alone."""
    values = crud.refs(fields, {"shipment_line": ShipmentLine, "item": Item, "lot": Lot, "location": Location})
    shipment_line: ShipmentLine | None = values.get("shipment_line")
    if shipment_line is not None:
        shipment = shipment_line.shipment
        if customer_return.shipment_id is not None and shipment.pk != customer_return.shipment_id:
            raise DomainError(
                f"That line left on {shipment}, not on {customer_return.shipment}.",
                code=ShippingError.LINE_OF_ANOTHER_SHIPMENT,
                field="shipment_line",
            )
        if shipment.status != ShipmentStatus.SHIPPED or shipment.order.partner_id != customer_return.customer_id:
            raise DomainError(
                "That line is not of a shipment this customer received.",
                code=ShippingError.SHIPMENT_NOT_SHIPPED,
                field="shipment_line",
            )
        for name in ("item", "lot"):
            given = values.get(name)
            if given is not None and given.pk != getattr(shipment_line, f"{name}_id"):
                raise DomainError(f"The {name} is the shipment line's.", code=CommonError.INVALID, field=name)
        values.update(item=shipment_line.item, lot=shipment_line.lot)
    item: Item | None = values.get("item")
    if item is None:
        raise DomainError("Choose the item (or the shipment line).", code=CommonError.REQUIRED, field="item")
    lot: Lot | None = values.get("lot")
    if item.tracking == Tracking.NONE and lot is not None:
        raise DomainError(f"{item.sku} is not lot or serial tracked.", code=InventoryError.NOT_TRACKED, field="lot")
    if item.tracking != Tracking.NONE and lot is None:
        raise DomainError(f"{item.sku} is tracked: give its lot.", code=InventoryError.LOT_REQUIRED, field="lot")
    if lot is not None and lot.item_id != item.pk:
        raise DomainError(
            f"Lot {lot.code} is not a lot of {item.sku}.", code=InventoryError.LOT_OF_OTHER_ITEM, field="lot"
        )
    location: Location | None = values.get("location")
    if location is None or location.is_virtual or not location.quarantine:
        raise DomainError(
            "Returns come back into quarantine: choose a quarantine location.",
            code=ShippingError.NOT_QUARANTINE,
            field="location",
        )
    quantity = inventory.quantity_of(item, values.get("quantity", ZERO), None).base
    if shipment_line is not None:
        left = selectors.returnable(shipment_line, exclude=line)
        if quantity > left:
            raise DomainError(
                f"Only {max(left, ZERO).normalize():f} of that shipment line can still come back.",
                code=ShippingError.OVER_RETURNED,
                field="quantity",
            )
    return {**values, "quantity": quantity}


RETURN_LINE_VALUES = ("customer_return", *CustomerReturnLineFields.__annotations__)


@transaction.atomic
def customer_return_line_create(
    *, actor: Membership, customer_return: CustomerReturn | int, **fields: Unpack[CustomerReturnLineFields]
) -> CustomerReturnLine:
    rma = transitions.locked(crud.ref(CustomerReturn, customer_return, "customer_return"))
    transitions.check_editable(rma, field="customer_return")
    values = _return_line_values(rma, dict(fields))
    return crud.create(
        CustomerReturnLine, actor=actor, values={**values, "customer_return": rma}, allowed=RETURN_LINE_VALUES
    )


@transaction.atomic
def customer_return_line_update(
    *, actor: Membership, obj: CustomerReturnLine, **changes: Unpack[CustomerReturnLineFields]
) -> CustomerReturnLine:
    rma = transitions.locked(obj.customer_return)
    transitions.check_editable(rma, field=next(iter(changes), None))
    current = {name: getattr(obj, name) for name in CustomerReturnLineFields.__annotations__}
    if changes.get("shipment_line") is not None or changes.get("item") is not None:  # a new source: its own lot
        current.pop("lot")
    values = _return_line_values(rma, {**current, **changes}, line=obj)
    return crud.update(
        obj, actor=actor, changes={k: values[k] for k in (*changes, "item", "lot")}, allowed=CustomerReturnLineFields
    )


@transaction.atomic
def customer_return_line_delete(*, actor: Membership, obj: CustomerReturnLine) -> None:
    transitions.check_editable(transitions.locked(obj.customer_return), field="customer_return")
    crud.delete(obj, actor=actor)


@transaction.atomic
def customer_return_receive(*, actor: Membership, obj: CustomerReturn) -> CustomerReturn:
    """The goods are here: each line's stock comes back into its quarantine location at the item's average cost,
    and a line of a shipment tells its sales order that quantity came back (shipped shrinks)."""
    rma = transitions.locked(obj)
    transitions.check_transition(rma, ReturnStatus.RECEIVED)
    lines = list(rma.lines.select_related("shipment_line__order_line", "item", "lot", "location").order_by("pk"))
    if not lines:
        raise DomainError("Add what comes back before receiving.", code=ShippingError.NO_LINES, field="lines")
    for line in lines:
        fields = {name: getattr(line, name) for name in CustomerReturnLineFields.__annotations__}
        _return_line_values(rma, fields, line=line)  # other returns may have taken it back since
        inventory.stock_return_from_customer(
            actor=actor,
            item=line.item,
            location=line.location,
            quantity=line.quantity,
            lot=line.lot,
            reference=rma.number,
        )
        if line.shipment_line is not None:
            sales.order_line_unshipped(actor=actor, line=line.shipment_line.order_line, quantity=line.quantity)
    return transitions.transition(rma, to=ReturnStatus.RECEIVED, actor=actor)


@transaction.atomic
def customer_return_cancel(*, actor: Membership, obj: CustomerReturn) -> CustomerReturn:
    return transitions.transition(obj, to=ReturnStatus.CANCELLED, actor=actor)
