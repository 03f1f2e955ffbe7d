"""Writes of Buy: requisitions, requests for quotation and their answers, purchase orders and their approval,
receipts into stock and returns to suppliers.

Rules kept here:

- A purchase order is to a supplier; an item line without a price takes the supplier's price for its quantity
  (``partners.pricing.supplier_price``, converted when the supplier prices in another currency).
- Submitting an order approves it when its total in the organization's currency is within the submitter's limit
  (``ApprovalLimit`` of their role; owners and administrators have none, a role without a row has 0), else it waits
  for someone with ``purchasing.approve`` (or a limit that covers it); whoever approved is stamped.
- A receipt posts its lines into stock through ``inventory.services.stock_receive`` (the moving average is updated
  there) at the order line's net unit price in the organization's currency, and adds them to the lines' ``received``;
  more than ordered plus the organization's over-receipt tolerance is refused. The order becomes partly received or
  received.
- A return to the supplier takes goods of a posted receipt back out (``stock_return_to_supplier``) and takes them off
  the order lines' ``received``.
- Award turns an RFQ's chosen answers into one purchase order per supplier and marks the requisition ordered.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict, Unpack, cast

from django.db import IntegrityError, transaction
from django.utils import timezone

from factoryos.catalog.models import Item, Tracking
from factoryos.core.models import Membership, Role
from factoryos.documents import services as documents
from factoryos.documents.models import DocumentKind, Rendered
from factoryos.finance import money
from factoryos.finance import services as finance
from factoryos.finance.models import SequenceKind, TaxCode
from factoryos.finance.printing import pdf_context
from factoryos.inventory import services as inventory
from factoryos.inventory.models import Location
from factoryos.kernel import crud, transitions
from factoryos.kernel.errors import CommonError, ConflictError, DomainError, PermissionDeniedError
from factoryos.kernel.permissions import BuiltinRole
from factoryos.kernel.tenancy import require_org
from factoryos.partners import pricing
from factoryos.partners import selectors as partner_selectors
from factoryos.partners import services as partner_services
from factoryos.partners.models import Partner
from factoryos.purchasing.errors import PurchasingError
from factoryos.purchasing.models import (
    OPEN_FOR_RECEIPT,
    ApprovalLimit,
    POStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasingSettings,
    Receipt,
    ReceiptLine,
    ReceiptStatus,
    RequestForQuotation,
    Requisition,
    RequisitionLine,
    RequisitionStatus,
    RfqLine,
    RfqStatus,
    RfqSupplier,
    SupplierQuote,
    SupplierReturn,
    SupplierReturnLine,
    SupplierReturnStatus,
)

ZERO = Decimal("0")
HUNDRED = Decimal("100")
UNIT = Decimal("0.0001")  # unit prices and costs: four places
APPROVE = "purchasing.approve"
UNLIMITED_ROLES = frozenset({BuiltinRole.OWNER, BuiltinRole.ADMIN})


def _qty(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _supplier(partner: Partner | int | None, field: str = "partner") -> Partner:
    code, advice = PurchasingError.NOT_A_SUPPLIER, "mark it as one first."
    return partner_services.in_role(partner, "supplier", code=code, advice=advice, field=field)


# -- settings ------------------------------------------------------------------------------------------------------
class SettingsFields(TypedDict, total=False):
    over_receipt_tolerance_pct: Decimal


def current_settings() -> PurchasingSettings:
    """The organization's purchasing settings, made with the defaults on first use (no event: nobody chose them)."""
    found = PurchasingSettings.objects.first()
    if found is None:
        try:
            with transaction.atomic():
                PurchasingSettings.objects.create(org=require_org())
        except IntegrityError:  # another transaction made it first
            pass
        found = PurchasingSettings.objects.get()  # as stored (the defaults to their places)
    return found


def purchasing_settings_update(
    *, actor: Membership, obj: PurchasingSettings | None = None, **changes: Unpack[SettingsFields]
) -> PurchasingSettings:
    return crud.update(obj or current_settings(), actor=actor, changes=changes, allowed=SettingsFields)


# -- approval limits -------------------------------------------------------------------------------------------------
class ApprovalLimitFields(TypedDict, total=False):
    role: str
    custom_role: Role | int | None
    max_amount: Decimal


def _limit_values(fields: dict[str, Any], current: ApprovalLimit | None = None) -> dict[str, Any]:
    values = crud.refs(fields, {"custom_role": Role})
    role = values.get("role", current.role if current else "")
    custom = values.get("custom_role", current.custom_role if current else None)
    if values.get("custom_role") is not None and "role" not in values:
        values["role"] = role = ""  # choosing a custom role replaces the built-in one
    if values.get("role") and "custom_role" not in values:
        values["custom_role"] = custom = None
    if bool(role) == (custom is not None):
        raise DomainError(
            "Choose a built-in role or a custom role (one of them).", code=PurchasingError.ROLE_REQUIRED, field="role"
        )
    if role in UNLIMITED_ROLES:
        raise DomainError(
            "Owners and administrators approve any amount: they need no limit.",
            code=CommonError.INVALID_CHOICE,
            field="role",
        )
    return values


def approval_limit_create(*, actor: Membership, **fields: Unpack[ApprovalLimitFields]) -> ApprovalLimit:
    return crud.create(ApprovalLimit, actor=actor, values=_limit_values(dict(fields)), allowed=ApprovalLimitFields)


def approval_limit_update(
    *, actor: Membership, obj: ApprovalLimit, **changes: Unpack[ApprovalLimitFields]
) -> ApprovalLimit:
    return crud.update(obj, actor=actor, changes=_limit_values(dict(changes), obj), allowed=ApprovalLimitFields)


def approval_limit_delete(*, actor: Membership, obj: ApprovalLimit) -> None:
    crud.delete(obj, actor=actor)


def limit_of(member: Membership) -> Decimal | None:
    """The largest order total (organization currency) ``member`` approves by submitting; None: no limit."""
    if member.custom_role_id:
        rows = ApprovalLimit.objects.filter(custom_role_id=member.custom_role_id)
    elif member.role in UNLIMITED_ROLES:
        return None
    else:
        rows = ApprovalLimit.objects.filter(role=member.role)
    found = rows.values_list("max_amount", flat=True).first()
    return ZERO if found is None else found


def amount_of(order: PurchaseOrder) -> Decimal:
    """The order's total in the organization's currency."""
    return money.convert(order.total, order.exchange_rate)


def within_limit(member: Membership, order: PurchaseOrder) -> bool:
    limit = limit_of(member)
    return limit is None or amount_of(order) <= limit


# -- purchase orders -------------------------------------------------------------------------------------------------
class PurchaseOrderFields(TypedDict, total=False):
    partner: Partner | int
    currency: str
    exchange_rate: Decimal
    prices_include_tax: bool
    order_date: date
    expected_date: date | None
    supplier_reference: str
    notes: str


def _order_values(actor: Membership, fields: dict[str, Any], current: PurchaseOrder | None) -> dict[str, Any]:
    values = dict(fields)
    if "partner" in values:
        values["partner"] = _supplier(values["partner"])
    partner = values.get("partner") or (current.partner if current else None)
    if partner is None:
        raise DomainError("Choose the supplier.", code=CommonError.REQUIRED, field="partner")
    on = values.get("order_date") or (current.order_date if current else None)
    if current is None or "partner" in values or values.get("currency"):
        if values.get("currency"):
            values["currency"] = str(values["currency"]).upper()
        elif current is None or "partner" in values:
            values["currency"] = finance.document_defaults(actor=actor, partner=partner)["currency"]
        if values.get("exchange_rate") is None and (current is None or values["currency"] != current.currency):
            values["exchange_rate"] = finance.rate_for(values["currency"], on)
    for name in ("exchange_rate", "order_date", "currency"):  # null: the default (today, the supplier's, its rate)
        if name in values and values[name] is None:
            values.pop(name)
    return values


@transaction.atomic
def purchase_order_create(*, actor: Membership, **fields: Unpack[PurchaseOrderFields]) -> PurchaseOrder:
    """A draft order to a supplier, in its currency (with today's rate unless one is given)."""
    return _new_order(actor, dict(fields))


def _new_order(actor: Membership, fields: dict[str, Any], rfq: RequestForQuotation | None = None) -> PurchaseOrder:
    values = _order_values(actor, fields, None)
    values.update(number=finance.next_number(SequenceKind.PURCHASE_ORDER), created_by=actor.user, rfq=rfq)
    return crud.create(PurchaseOrder, actor=actor, values=values, allowed=[*values])


@transaction.atomic
def purchase_order_update(
    *, actor: Membership, obj: PurchaseOrder, **changes: Unpack[PurchaseOrderFields]
) -> PurchaseOrder:
    transitions.check_editable(obj, field=next(iter(changes), "status"))
    values = _order_values(actor, dict(changes), obj)
    reprice = "prices_include_tax" in values and values["prices_include_tax"] != obj.prices_include_tax
    order = crud.update(obj, actor=actor, changes=values, allowed=[*values])
    if reprice:
        finance.reprice(order)
    return order


@transaction.atomic
def purchase_order_delete(*, actor: Membership, obj: PurchaseOrder) -> None:
    """Only a draft goes away (its lines with it); later, cancel it."""
    transitions.check_editable(obj)
    for line in obj.lines.all():
        crud.delete(line, actor=actor)
    crud.delete(obj, actor=actor)


class PurchaseOrderLineFields(TypedDict, total=False):
    item: Item | int | None
    description: str
    quantity: Decimal
    unit_price: Decimal | None
    discount_pct: Decimal
    tax_code: TaxCode | int | None
    position: int
    expected_date: date | None


def supplier_unit_price(order: PurchaseOrder, item: Item, quantity: Decimal) -> tuple[Decimal | None, int]:
    """The supplier's unit price of ``item`` for ``quantity`` in the order's currency (None: they have none), and
    their lead time in days."""
    price, supplier_item = pricing.supplier_price(order.partner, item, quantity)
    lead = supplier_item.lead_time_days if supplier_item is not None else 0
    if price is None or supplier_item is None:
        return None, lead
    if supplier_item.currency.upper() != order.currency:
        in_org = price * finance.rate_for(supplier_item.currency, order.order_date)
        price = (in_org / order.exchange_rate).quantize(UNIT, rounding=ROUND_HALF_UP)
    return price, lead


@transaction.atomic
def purchase_order_line_create(
    *, actor: Membership, purchase_order: PurchaseOrder | int, **fields: Unpack[PurchaseOrderLineFields]
) -> PurchaseOrderLine:
    """A line on a draft order: an item (priced from the supplier when no price is given) or free text."""
    order = crud.ref(PurchaseOrder, purchase_order, "purchase_order")
    transitions.check_editable(order, field="lines")
    values: dict[str, Any] = dict(fields)
    if values.get("item") is not None:
        values["item"] = item = crud.ref(Item, values["item"], "item")
        if values.get("unit_price") is None or values.get("expected_date") is None:
            price, lead = supplier_unit_price(order, item, Decimal(values.get("quantity") or 1))
            if values.get("unit_price") is None:
                values["unit_price"] = price
            if values.get("expected_date") is None and lead:
                values["expected_date"] = order.order_date + timedelta(days=lead)
    if values.get("expected_date") is None:
        values["expected_date"] = order.expected_date
    line = finance.line_add(actor=actor, document=order, **cast(Any, values))
    return cast(PurchaseOrderLine, line)


def purchase_order_line_update(
    *, actor: Membership, obj: PurchaseOrderLine, **changes: Unpack[PurchaseOrderLineFields]
) -> PurchaseOrderLine:
    return cast(PurchaseOrderLine, finance.line_update(actor=actor, obj=obj, **cast(Any, changes)))


def purchase_order_line_delete(*, actor: Membership, obj: PurchaseOrderLine) -> None:
    finance.line_delete(actor=actor, obj=obj)


@transaction.atomic
def purchase_order_submit(*, actor: Membership, obj: PurchaseOrder) -> PurchaseOrder:
    """Draft -> approved when the total (organization currency) is within the submitter's limit, else -> awaiting
    approval."""
    order = transitions.locked(obj)
    transitions.check_transition(order, POStatus.PENDING_APPROVAL)
    if not order.lines.exists():
        raise DomainError("Add a line before submitting the order.", code=PurchasingError.NO_LINES, field="lines")
    limit = limit_of(actor)
    amount = amount_of(order)
    to = POStatus.APPROVED if limit is None or amount <= limit else POStatus.PENDING_APPROVAL
    metadata = {"amount": str(amount), "limit": None if limit is None else str(limit)}
    return transitions.transition(order, to=to, actor=actor, metadata=metadata)


@transaction.atomic
def purchase_order_approve(*, actor: Membership, obj: PurchaseOrder) -> PurchaseOrder:
    """Approve an order awaiting approval: needs ``purchasing.approve``, or a limit that covers its total."""
    order = transitions.locked(obj)
    if order.status != POStatus.PENDING_APPROVAL:
        raise ConflictError(
            f"{order} is not awaiting approval ({order.get_status_display().lower()}).",
            code=CommonError.TRANSITION_NOT_ALLOWED,
            field="status",
        )
    if not (actor.may(APPROVE) or within_limit(actor, order)):
        limit = limit_of(actor) or ZERO
        raise PermissionDeniedError(
            f"{order} comes to {amount_of(order)} {require_org().currency}, over your limit of {limit}: someone with "
            "the approve permission must approve it.",
            code=PurchasingError.APPROVAL_REQUIRED,
            field="status",
        )
    return transitions.transition(order, to=POStatus.APPROVED, actor=actor, metadata={"amount": str(amount_of(order))})


def purchase_order_send(*, actor: Membership, obj: PurchaseOrder) -> PurchaseOrder:
    """Mark an approved order as sent to the supplier (``purchase_order_email`` mails it too)."""
    return transitions.transition(obj, to=POStatus.SENT, actor=actor)


@transaction.atomic
def purchase_order_cancel(*, actor: Membership, obj: PurchaseOrder) -> PurchaseOrder:
    """Cancel an order nothing has been received on (after a receipt, close it instead)."""
    order = transitions.locked(obj)
    if order.status in (POStatus.PART_RECEIVED, POStatus.RECEIVED) or order.lines.filter(received__gt=0).exists():
        raise ConflictError(
            f"{order} has goods received: close it instead.", code=CommonError.TRANSITION_NOT_ALLOWED, field="status"
        )
    return transitions.transition(order, to=POStatus.CANCELLED, actor=actor)  # checks the move


def purchase_order_close(*, actor: Membership, obj: PurchaseOrder) -> PurchaseOrder:
    """Close a (partly) received order: nothing more is expected on it."""
    return transitions.transition(obj, to=POStatus.CLOSED, actor=actor)


def purchase_order_line_add(*, actor: Membership, document: PurchaseOrder, **fields: Any) -> PurchaseOrderLine:
    """``purchase_order_line_create`` in the shape of finance.services.line_add (the shared document pages)."""
    return purchase_order_line_create(actor=actor, purchase_order=document, **fields)


PDF_TEMPLATE = "purchasing/pdf/purchase_order.html"
SENDABLE = (POStatus.APPROVED, POStatus.SENT, POStatus.PART_RECEIVED, POStatus.RECEIVED)


def _pdf_context(order: PurchaseOrder) -> dict[str, Any]:
    """What the purchase order's PDF prints: each line's expected date, the supplier's primary contact."""
    dates: list[tuple[str, Any]] = [("Order date", order.order_date)]
    if order.expected_date:
        dates.append(("Deliver by", order.expected_date))
    contact = partner_selectors.primary_contact(order.partner)
    return pdf_context(
        order, "Purchase order", dates,
        line_extra=lambda line: {"expected_date": line.expected_date},
        contact=contact.name if contact else "", partner_label="Supplier", tax_ids=False,
        reference=f"Your reference {order.supplier_reference}" if order.supplier_reference else "",
    )  # fmt: skip


@transaction.atomic
def purchase_order_pdf(*, actor: Membership, obj: PurchaseOrder) -> Rendered:
    """Print the order (the next version of its PDF, kept sealed with it)."""
    return documents.render_and_store(
        actor=actor,
        record=obj,
        kind=DocumentKind.PURCHASE_ORDER,
        number=obj.number,
        template=PDF_TEMPLATE,
        context=_pdf_context(obj),
    )


def supplier_address(order: PurchaseOrder) -> tuple[str, int | None]:
    """Where the order is mailed: the supplier's primary contact's email, else its general address."""
    contact = partner_selectors.primary_contact(order.partner)
    if contact is not None:
        return contact.email, contact.pk
    return order.partner.email, None


@transaction.atomic
def purchase_order_email(
    *, actor: Membership, obj: PurchaseOrder, to: str | None = None, message: str = ""
) -> PurchaseOrder:
    """Print the order and mail it to the supplier (an approved order becomes sent)."""
    order = transitions.locked(obj)
    if order.status not in SENDABLE:
        raise ConflictError(
            f"{order} is {order.get_status_display().lower()}: only an approved order goes to the supplier.",
            code=CommonError.TRANSITION_NOT_ALLOWED,
            field="status",
        )
    contact_id = None
    if not to:
        to, contact_id = supplier_address(order)
    if not to:
        raise DomainError(
            f"{order.partner.code} has no email address: give one, or add a contact with an email.",
            code=PurchasingError.NO_EMAIL,
            field="to",
        )
    rendered = purchase_order_pdf(actor=actor, obj=order)
    if order.status == POStatus.APPROVED:
        order = transitions.transition(order, to=POStatus.SENT, actor=actor)
    org = require_org()
    name = org.trading_name or org.legal_name
    body = message.strip() or f"Please find attached our purchase order {order.number}.\n\nKind regards,\n{name}"
    documents.email_pdf(
        actor=actor,
        rendered=rendered,
        to=to,
        subject=f"Purchase order {order.number} from {name}",
        body=body,
        contact_id=contact_id,
    )
    return order


def _sync_order_status(actor: Membership, order: PurchaseOrder) -> PurchaseOrder:
    """Partly received or received, from its stocked lines' received quantities (after a receipt or a return)."""
    order = transitions.locked(order)
    if order.status not in (*OPEN_FOR_RECEIPT, POStatus.RECEIVED):
        return order
    lines = list(order.lines.filter(item__isnull=False).values_list("quantity", "received"))
    complete = all(received >= quantity for quantity, received in lines)
    to = POStatus.RECEIVED if complete else POStatus.PART_RECEIVED
    if order.status != to and transitions.can_transition(order, to):
        return transitions.transition(order, to=to, actor=actor)
    return order


@transaction.atomic
def service_line_receive(*, actor: Membership, obj: PurchaseOrderLine, quantity: Decimal) -> PurchaseOrderLine:
    """What came back of a service line (work done by the supplier on our parts: powder coat, plating): nothing
    enters stock here (the parts are the work order's), the line counts it as received. The order must have been
    sent; over-receipt tolerance applies as for goods."""
    line = PurchaseOrderLine.objects.select_for_update(of=("self",)).select_related("purchase_order").get(pk=obj.pk)
    if line.item_id is not None:
        raise DomainError(
            "A line of goods is received through a goods receipt.", code=PurchasingError.NOT_STOCKED, field="po_line"
        )
    _open_order(line.purchase_order, field="po_line")
    _check_over_receipt(line, quantity, current_settings().over_receipt_tolerance_pct, "")
    line = crud.update(line, actor=actor, changes={"received": line.received + quantity}, allowed=("received",))
    order = transitions.locked(line.purchase_order)
    complete = all(received >= ordered for ordered, received in order.lines.values_list("quantity", "received"))
    to = POStatus.RECEIVED if complete else POStatus.PART_RECEIVED
    if order.status != to and transitions.can_transition(order, to):
        transitions.transition(order, to=to, actor=actor)
    return line


# -- receipts ----------------------------------------------------------------------------------------------------------
class ReceiptFields(TypedDict, total=False):
    purchase_order: PurchaseOrder | int
    received_at: datetime
    supplier_reference: str
    notes: str
    location: Location | int | None  # receive every outstanding line into it


class ReceiptLineFields(TypedDict, total=False):
    po_line: PurchaseOrderLine | int
    quantity: Decimal
    location: Location | int
    lot_code: str
    expires_on: date | None
    unit_cost: Decimal | None


def default_unit_cost(line: PurchaseOrderLine) -> Decimal:
    """The order line's net unit price (after discount, without tax) in the organization's currency."""
    order = line.purchase_order
    return (line.net_unit_price * order.exchange_rate).quantize(UNIT, rounding=ROUND_HALF_UP)


def _open_order(order: PurchaseOrder, field: str = "purchase_order") -> None:
    if order.status not in OPEN_FOR_RECEIPT:
        raise ConflictError(
            f"{order} is {order.get_status_display().lower()}: only a sent order receives goods.",
            code=PurchasingError.NOT_OPEN_FOR_RECEIPT,
            field=field,
        )


def _allowed_quantity(line: PurchaseOrderLine, tolerance_pct: Decimal) -> Decimal:
    return line.quantity * (HUNDRED + tolerance_pct) / HUNDRED


def _check_over_receipt(line: PurchaseOrderLine, incoming: Decimal, tolerance_pct: Decimal, position: str) -> None:
    """Refuse receiving ``incoming`` more of ``line`` beyond its quantity plus the tolerance."""
    allowed = _allowed_quantity(line, tolerance_pct)
    if line.received + incoming > allowed:
        item = line.item.sku if line.item else line.description
        raise DomainError(
            f"{position}{item}: {_qty(line.received)} of {_qty(line.quantity)} ordered received so far; "
            f"{_qty(incoming)} more would exceed what the over-receipt tolerance ({_qty(tolerance_pct)} %) allows "
            f"({_qty(allowed)}).",
            code=PurchasingError.OVER_RECEIPT,
            field="quantity",
        )


def _physical_location(location: Location | int | None, field: str = "location") -> Location:
    found = crud.ref(Location, location, field)
    if found.is_virtual or not found.active:
        raise DomainError(
            f"{found.code} cannot hold stock: choose an active warehouse, zone or bin.",
            code=CommonError.INVALID_CHOICE,
            field=field,
        )
    return found


@transaction.atomic
def receipt_create(*, actor: Membership, **fields: Unpack[ReceiptFields]) -> Receipt:
    """A draft receipt against a sent order; with ``location``, a line for everything still outstanding."""
    values: dict[str, Any] = dict(fields)
    location = values.pop("location", None)
    order = crud.ref(PurchaseOrder, values.get("purchase_order"), "purchase_order")
    _open_order(order)
    values.update(
        purchase_order=order,
        supplier=order.partner,
        number=finance.next_number(SequenceKind.RECEIPT),
        created_by=actor.user,
    )
    if values.get("received_at") is None:
        values.pop("received_at", None)
    receipt = crud.create(Receipt, actor=actor, values=values, allowed=[*values])
    if location is not None:
        place = _physical_location(location)
        for line in order.lines.filter(item__isnull=False).select_related("item"):
            if line.outstanding > 0:
                receipt_line_create(
                    actor=actor, receipt=receipt, po_line=line, quantity=line.outstanding, location=place
                )
    return receipt


def _receipt_line_values(
    receipt: Receipt, fields: dict[str, Any], current: ReceiptLine | None
) -> tuple[dict[str, Any], PurchaseOrderLine]:
    values = dict(fields)
    if "po_line" in values or current is None:
        line = crud.ref(PurchaseOrderLine, values.get("po_line"), "po_line")
        if line.purchase_order_id != receipt.purchase_order_id:
            raise DomainError(
                f"That line is on another order than {receipt.purchase_order}.",
                code=PurchasingError.OTHER_ORDER,
                field="po_line",
            )
        if line.item_id is None:
            raise DomainError(
                "A line without an item (a service) is not received into stock.",
                code=PurchasingError.NOT_STOCKED,
                field="po_line",
            )
        values.update(po_line=line, item=line.item)
        if values.get("unit_cost") is None:
            values["unit_cost"] = default_unit_cost(line)
    else:
        line = current.po_line
        if "unit_cost" in values and values["unit_cost"] is None:
            values["unit_cost"] = default_unit_cost(line)
    if "location" in values or current is None:
        values["location"] = _physical_location(values.get("location"))
    lot_code = str(values.get("lot_code", current.lot_code if current else "") or "").strip()
    if "lot_code" in values:
        values["lot_code"] = lot_code
    if lot_code and line.item is not None and line.item.tracking == Tracking.NONE:
        raise DomainError(
            f"{line.item.sku} is not lot or serial tracked.", code=PurchasingError.NOT_STOCKED, field="lot_code"
        )
    quantity = values.get("quantity", current.quantity if current else None)
    if quantity is None or Decimal(quantity) <= 0:
        raise DomainError("The quantity must be more than zero.", code=CommonError.OUT_OF_RANGE, field="quantity")
    others = receipt.lines.filter(po_line=line)
    if current is not None:
        others = others.exclude(pk=current.pk)
    already = sum((other.quantity for other in others), ZERO)
    _check_over_receipt(line, already + Decimal(quantity), current_settings().over_receipt_tolerance_pct, "")
    return values, line


@transaction.atomic
def receipt_line_create(
    *, actor: Membership, receipt: Receipt | int, **fields: Unpack[ReceiptLineFields]
) -> ReceiptLine:
    receipt = transitions.locked(crud.ref(Receipt, receipt, "receipt"))
    transitions.check_editable(receipt, field="lines")
    values, _line = _receipt_line_values(receipt, dict(fields), None)
    values["receipt"] = receipt
    return crud.create(ReceiptLine, actor=actor, values=values, allowed=[*values])


@transaction.atomic
def receipt_line_update(*, actor: Membership, obj: ReceiptLine, **changes: Unpack[ReceiptLineFields]) -> ReceiptLine:
    receipt = transitions.locked(obj.receipt)
    transitions.check_editable(receipt, field="lines")
    values, _line = _receipt_line_values(receipt, dict(changes), obj)
    return crud.update(obj, actor=actor, changes=values, allowed=[*values])


@transaction.atomic
def receipt_line_delete(*, actor: Membership, obj: ReceiptLine) -> None:
    transitions.check_editable(transitions.locked(obj.receipt), field="lines")
    crud.delete(obj, actor=actor)


class ReceiptChangeFields(TypedDict, total=False):
    received_at: datetime
    supplier_reference: str
    notes: str


def receipt_update(*, actor: Membership, obj: Receipt, **changes: Unpack[ReceiptChangeFields]) -> Receipt:
    transitions.check_editable(obj, field=next(iter(changes), "status"))
    return crud.update(obj, actor=actor, changes=changes, allowed=ReceiptChangeFields)


@transaction.atomic
def receipt_delete(*, actor: Membership, obj: Receipt) -> None:
    """Only a draft receipt goes away (its lines with it)."""
    transitions.check_editable(obj)
    for line in obj.lines.all():
        crud.delete(line, actor=actor)
    crud.delete(obj, actor=actor)


@transaction.atomic
def receipt_post(*, actor: Membership, obj: Receipt) -> Receipt:
    """Bring the receipt's lines into stock, add them to the order lines' received, move the order on."""
    receipt = transitions.locked(obj)
    transitions.check_transition(receipt, ReceiptStatus.POSTED)
    lines = list(receipt.lines.select_related("item__uom", "location").order_by("id"))
    if not lines:
        raise DomainError("Add what arrived before posting.", code=PurchasingError.NO_LINES, field="lines")
    order = transitions.locked(receipt.purchase_order)
    _open_order(order, field="status")
    tolerance = current_settings().over_receipt_tolerance_pct
    ids = sorted({line.po_line_id for line in lines})
    po_lines = {
        line.pk: line
        for line in PurchaseOrderLine.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("item")
        .order_by("pk")
    }
    incoming: dict[int, Decimal] = defaultdict(Decimal)
    for number, line in enumerate(lines, start=1):
        incoming[line.po_line_id] += line.quantity
        if line.item.tracking != Tracking.NONE and not line.lot_code:
            kind = "serial number" if line.item.tracking == Tracking.SERIAL else "lot"
            raise DomainError(
                f"Line {number} ({line.item.sku}) is tracked by {kind}: give one.",
                code=PurchasingError.NOT_STOCKED,
                field="lot_code",
            )
    for number, line in enumerate(lines, start=1):
        po_line = po_lines[line.po_line_id]
        _check_over_receipt(po_line, incoming.pop(line.po_line_id, ZERO), tolerance, f"Line {number}: ")
    for line in lines:
        inventory.stock_receive(
            actor=actor,
            item=line.item,
            location=line.location,
            quantity=line.quantity,
            lot=line.lot_code or None,
            unit_cost=line.unit_cost,
            reference=receipt.number,
            expires_on=line.expires_on,
        )
        incoming[line.po_line_id] += line.quantity
    for pk, quantity in incoming.items():
        po_line = po_lines[pk]
        crud.update(po_line, actor=actor, changes={"received": po_line.received + quantity}, allowed=("received",))
    _sync_order_status(actor, order)
    return transitions.transition(receipt, to=ReceiptStatus.POSTED, actor=actor)


def receipt_cancel(*, actor: Membership, obj: Receipt) -> Receipt:
    """Cancel a draft receipt (nothing was brought into stock)."""
    return transitions.transition(obj, to=ReceiptStatus.CANCELLED, actor=actor)


# -- returns to suppliers --------------------------------------------------------------------------------------------
class SupplierReturnFields(TypedDict, total=False):
    receipt: Receipt | int
    reason: str


class SupplierReturnLineFields(TypedDict, total=False):
    receipt_line: ReceiptLine | int
    quantity: Decimal


@transaction.atomic
def supplier_return_create(*, actor: Membership, **fields: Unpack[SupplierReturnFields]) -> SupplierReturn:
    """A draft return of goods of a posted receipt."""
    values: dict[str, Any] = dict(fields)
    receipt = crud.ref(Receipt, values.get("receipt"), "receipt")
    if receipt.status != ReceiptStatus.POSTED:
        raise ConflictError(
            f"{receipt} is {receipt.get_status_display().lower()}: only posted goods can go back.",
            code=CommonError.TRANSITION_NOT_ALLOWED,
            field="receipt",
        )
    values.update(
        receipt=receipt,
        supplier=receipt.supplier,
        number=finance.next_number(SequenceKind.SUPPLIER_RETURN),
        created_by=actor.user,
    )
    return crud.create(SupplierReturn, actor=actor, values=values, allowed=[*values])


class SupplierReturnChangeFields(TypedDict, total=False):
    reason: str


def supplier_return_update(
    *, actor: Membership, obj: SupplierReturn, **changes: Unpack[SupplierReturnChangeFields]
) -> SupplierReturn:
    transitions.check_editable(obj, field="reason")
    return crud.update(obj, actor=actor, changes=changes, allowed=SupplierReturnChangeFields)


@transaction.atomic
def supplier_return_delete(*, actor: Membership, obj: SupplierReturn) -> None:
    transitions.check_editable(obj)
    for line in obj.lines.all():
        crud.delete(line, actor=actor)
    crud.delete(obj, actor=actor)


def _check_return(line: ReceiptLine, quantity: Decimal, position: str = "") -> None:
    if quantity > line.returnable:
        raise DomainError(
            f"{position}{line.item.sku}: {_qty(line.quantity)} received, {_qty(line.returned)} returned already; "
            f"at most {_qty(line.returnable)} more can go back.",
            code=PurchasingError.OVER_RETURN,
            field="quantity",
        )


def _return_line_values(
    supplier_return: SupplierReturn, fields: dict[str, Any], current: SupplierReturnLine | None
) -> dict[str, Any]:
    values = dict(fields)
    if "receipt_line" in values or current is None:
        line = crud.ref(ReceiptLine, values.get("receipt_line"), "receipt_line")
        if line.receipt_id != supplier_return.receipt_id:
            raise DomainError(
                f"That line is on another receipt than {supplier_return.receipt}.",
                code=PurchasingError.OTHER_RECEIPT,
                field="receipt_line",
            )
        values["receipt_line"] = line
    else:
        line = current.receipt_line
    quantity = values.get("quantity", current.quantity if current else None)
    if quantity is None or Decimal(quantity) <= 0:
        raise DomainError("The quantity must be more than zero.", code=CommonError.OUT_OF_RANGE, field="quantity")
    others = supplier_return.lines.filter(receipt_line=line)
    if current is not None:
        others = others.exclude(pk=current.pk)
    _check_return(line, Decimal(quantity) + sum((other.quantity for other in others), ZERO))
    return values


@transaction.atomic
def supplier_return_line_create(
    *, actor: Membership, supplier_return: SupplierReturn | int, **fields: Unpack[SupplierReturnLineFields]
) -> SupplierReturnLine:
    supplier_return = transitions.locked(crud.ref(SupplierReturn, supplier_return, "supplier_return"))
    transitions.check_editable(supplier_return, field="lines")
    values = _return_line_values(supplier_return, dict(fields), None)
    values["supplier_return"] = supplier_return
    return crud.create(SupplierReturnLine, actor=actor, values=values, allowed=[*values])


@transaction.atomic
def supplier_return_line_update(
    *, actor: Membership, obj: SupplierReturnLine, **changes: Unpack[SupplierReturnLineFields]
) -> SupplierReturnLine:
    supplier_return = transitions.locked(obj.supplier_return)
    transitions.check_editable(supplier_return, field="lines")
    values = _return_line_values(supplier_return, dict(changes), obj)
    return crud.update(obj, actor=actor, changes=values, allowed=[*values])


@transaction.atomic
def supplier_return_line_delete(*, actor: Membership, obj: SupplierReturnLine) -> None:
    transitions.check_editable(transitions.locked(obj.supplier_return), field="lines")
    crud.delete(obj, actor=actor)


@transaction.atomic
def supplier_return_post(*, actor: Membership, obj: SupplierReturn) -> SupplierReturn:
    """Take the goods out of stock to the supplier, off the receipt lines and the order lines' received."""
    supplier_return = transitions.locked(obj)
    transitions.check_transition(supplier_return, SupplierReturnStatus.POSTED)
    lines = list(supplier_return.lines.order_by("id"))
    if not lines:
        raise DomainError("Add what goes back before posting.", code=PurchasingError.NO_LINES, field="lines")
    ids = sorted({line.receipt_line_id for line in lines})
    receipt_lines = {
        line.pk: line
        for line in ReceiptLine.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("item", "location")
        .order_by("pk")
    }
    going: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        going[line.receipt_line_id] += line.quantity
    for number, (pk, quantity) in enumerate(sorted(going.items()), start=1):
        _check_return(receipt_lines[pk], quantity, f"Line {number}: ")
    order_lines: dict[int, Decimal] = defaultdict(Decimal)
    for pk, quantity in sorted(going.items()):
        line = receipt_lines[pk]
        inventory.stock_return_to_supplier(
            actor=actor,
            item=line.item,
            location=line.location,
            quantity=quantity,
            lot=line.lot_code or None,
            reference=supplier_return.number,
        )
        crud.update(line, actor=actor, changes={"returned": line.returned + quantity}, allowed=("returned",))
        order_lines[line.po_line_id] += quantity
    for po_line in PurchaseOrderLine.objects.select_for_update(of=("self",)).filter(pk__in=sorted(order_lines)):
        received = max(po_line.received - order_lines[po_line.pk], ZERO)
        crud.update(po_line, actor=actor, changes={"received": received}, allowed=("received",))
    _sync_order_status(actor, supplier_return.receipt.purchase_order)
    return transitions.transition(supplier_return, to=SupplierReturnStatus.POSTED, actor=actor)


def supplier_return_cancel(*, actor: Membership, obj: SupplierReturn) -> SupplierReturn:
    return transitions.transition(obj, to=SupplierReturnStatus.CANCELLED, actor=actor)


# -- requisitions ------------------------------------------------------------------------------------------------------
class RequisitionFields(TypedDict, total=False):
    needed_by: date | None
    notes: str


class RequisitionLineFields(TypedDict, total=False):
    item: Item | int
    quantity: Decimal
    note: str


@transaction.atomic
def requisition_create(*, actor: Membership, **fields: Unpack[RequisitionFields]) -> Requisition:
    values: dict[str, Any] = {
        **fields,
        "number": finance.next_number(SequenceKind.REQUISITION),
        "requested_by": actor.user,
    }
    return crud.create(Requisition, actor=actor, values=values, allowed=[*values])


def requisition_update(*, actor: Membership, obj: Requisition, **changes: Unpack[RequisitionFields]) -> Requisition:
    transitions.check_editable(obj, field=next(iter(changes), "status"))
    return crud.update(obj, actor=actor, changes=changes, allowed=RequisitionFields)


@transaction.atomic
def requisition_delete(*, actor: Membership, obj: Requisition) -> None:
    transitions.check_editable(obj)
    for line in obj.lines.all():
        crud.delete(line, actor=actor)
    crud.delete(obj, actor=actor)


@transaction.atomic
def requisition_line_create(
    *, actor: Membership, requisition: Requisition | int, **fields: Unpack[RequisitionLineFields]
) -> RequisitionLine:
    requisition = transitions.locked(crud.ref(Requisition, requisition, "requisition"))
    transitions.check_editable(requisition, field="lines")
    values: dict[str, Any] = {**crud.refs(fields, {"item": Item}), "requisition": requisition}
    return crud.create(RequisitionLine, actor=actor, values=values, allowed=[*values])


@transaction.atomic
def requisition_line_update(
    *, actor: Membership, obj: RequisitionLine, **changes: Unpack[RequisitionLineFields]
) -> RequisitionLine:
    transitions.check_editable(transitions.locked(obj.requisition), field="lines")
    return crud.update(obj, actor=actor, changes=crud.refs(changes, {"item": Item}), allowed=RequisitionLineFields)


@transaction.atomic
def requisition_line_delete(*, actor: Membership, obj: RequisitionLine) -> None:
    transitions.check_editable(transitions.locked(obj.requisition), field="lines")
    crud.delete(obj, actor=actor)


@transaction.atomic
def requisition_submit(*, actor: Membership, obj: Requisition) -> Requisition:
    requisition = transitions.locked(obj)
    transitions.check_transition(requisition, RequisitionStatus.SUBMITTED)
    if not requisition.lines.exists():
        raise DomainError("Add what is needed before submitting.", code=PurchasingError.NO_LINES, field="lines")
    return transitions.transition(requisition, to=RequisitionStatus.SUBMITTED, actor=actor)


def _check_approver(actor: Membership) -> None:
    if not actor.may(APPROVE):
        raise PermissionDeniedError(
            "You need the 'purchasing.approve' permission to decide on requisitions.",
            code=PurchasingError.APPROVAL_REQUIRED,
            field="status",
        )


def requisition_approve(*, actor: Membership, obj: Requisition) -> Requisition:
    _check_approver(actor)
    return transitions.transition(obj, to=RequisitionStatus.APPROVED, actor=actor)


def requisition_reject(*, actor: Membership, obj: Requisition, reason: str = "") -> Requisition:
    _check_approver(actor)
    fields = {"rejection_reason": " ".join(reason.split())[:300]}
    return transitions.transition(obj, to=RequisitionStatus.REJECTED, actor=actor, fields=fields)


# -- requests for quotation ------------------------------------------------------------------------------------------
class RfqFields(TypedDict, total=False):
    respond_by: date | None
    notes: str


class RfqCreateFields(RfqFields, total=False):
    requisition: Requisition | int
    suppliers: list[int]


class RfqLineFields(TypedDict, total=False):
    item: Item | int
    quantity: Decimal
    note: str


class RfqSupplierFields(TypedDict, total=False):
    supplier: Partner | int


class SupplierQuoteFields(TypedDict, total=False):
    rfq_supplier: RfqSupplier | int
    rfq_line: RfqLine | int
    unit_price: Decimal
    lead_time_days: int
    valid_until: date | None
    note: str


@transaction.atomic
def request_for_quotation_create(*, actor: Membership, **fields: Unpack[RfqCreateFields]) -> RequestForQuotation:
    """An RFQ of an approved requisition's lines, to the ``suppliers`` given (more can be added while a draft)."""
    values: dict[str, Any] = dict(fields)
    suppliers = values.pop("suppliers", None) or []
    requisition = crud.ref(Requisition, values.get("requisition"), "requisition")
    if requisition.status != RequisitionStatus.APPROVED:
        raise ConflictError(
            f"{requisition} is {requisition.get_status_display().lower()}: only an approved requisition is quoted.",
            code=PurchasingError.NOT_APPROVED,
            field="requisition",
        )
    values.update(requisition=requisition, number=finance.next_number(SequenceKind.RFQ), created_by=actor.user)
    rfq = crud.create(RequestForQuotation, actor=actor, values=values, allowed=[*values])
    for line in requisition.lines.all():
        made = {"rfq": rfq, "requisition_line": line, "item_id": line.item_id, "quantity": line.quantity}
        crud.create(RfqLine, actor=actor, values={**made, "note": line.note}, allowed=[*made, "note"])
    for supplier in dict.fromkeys(suppliers):
        rfq_supplier_create(actor=actor, rfq=rfq, supplier=supplier)
    return rfq


def request_for_quotation_update(
    *, actor: Membership, obj: RequestForQuotation, **changes: Unpack[RfqFields]
) -> RequestForQuotation:
    transitions.check_editable(obj, field=next(iter(changes), "status"))
    return crud.update(obj, actor=actor, changes=changes, allowed=RfqFields)


@transaction.atomic
def request_for_quotation_delete(*, actor: Membership, obj: RequestForQuotation) -> None:
    transitions.check_editable(obj)
    for quote in SupplierQuote.objects.filter(rfq_line__rfq=obj):
        crud.delete(quote, actor=actor)
    for row in [*obj.suppliers.all(), *obj.lines.all()]:
        crud.delete(row, actor=actor)
    crud.delete(obj, actor=actor)


@transaction.atomic
def rfq_line_create(*, actor: Membership, rfq: RequestForQuotation | int, **fields: Unpack[RfqLineFields]) -> RfqLine:
    rfq = transitions.locked(crud.ref(RequestForQuotation, rfq, "rfq"))
    transitions.check_editable(rfq, field="lines")
    values: dict[str, Any] = {**crud.refs(fields, {"item": Item}), "rfq": rfq}
    return crud.create(RfqLine, actor=actor, values=values, allowed=[*values])


@transaction.atomic
def rfq_line_update(*, actor: Membership, obj: RfqLine, **changes: Unpack[RfqLineFields]) -> RfqLine:
    transitions.check_editable(transitions.locked(obj.rfq), field="lines")
    return crud.update(obj, actor=actor, changes=crud.refs(changes, {"item": Item}), allowed=RfqLineFields)


@transaction.atomic
def rfq_line_delete(*, actor: Membership, obj: RfqLine) -> None:
    transitions.check_editable(transitions.locked(obj.rfq), field="lines")
    for quote in obj.quotes.all():
        crud.delete(quote, actor=actor)
    crud.delete(obj, actor=actor)


@transaction.atomic
def rfq_supplier_create(
    *, actor: Membership, rfq: RequestForQuotation | int, **fields: Unpack[RfqSupplierFields]
) -> RfqSupplier:
    rfq = transitions.locked(crud.ref(RequestForQuotation, rfq, "rfq"))
    transitions.check_editable(rfq, field="suppliers")
    supplier = _supplier(fields.get("supplier"), "supplier")
    values = {"rfq": rfq, "supplier": supplier, "currency": supplier.currency.upper()}
    return crud.create(RfqSupplier, actor=actor, values=values, allowed=[*values])


@transaction.atomic
def rfq_supplier_delete(*, actor: Membership, obj: RfqSupplier) -> None:
    transitions.check_editable(transitions.locked(obj.rfq), field="suppliers")
    for quote in obj.quotes.all():
        crud.delete(quote, actor=actor)
    crud.delete(obj, actor=actor)


def _check_answerable(rfq: RequestForQuotation) -> None:
    if rfq.status not in (RfqStatus.DRAFT, RfqStatus.SENT):
        raise ConflictError(
            f"{rfq} is {rfq.get_status_display().lower()}: its answers cannot change any more.",
            code=CommonError.LOCKED,
            field="unit_price",
        )


@transaction.atomic
def supplier_quote_create(*, actor: Membership, **fields: Unpack[SupplierQuoteFields]) -> SupplierQuote:
    """A supplier's answer to one line (one per supplier and line: change it to correct it)."""
    values: dict[str, Any] = crud.refs(fields, {"rfq_supplier": RfqSupplier, "rfq_line": RfqLine})
    rfq_supplier, rfq_line = values.get("rfq_supplier"), values.get("rfq_line")
    if rfq_supplier is None or rfq_line is None:
        missing = "rfq_supplier" if rfq_supplier is None else "rfq_line"
        raise DomainError("Choose the supplier and the line.", code=CommonError.REQUIRED, field=missing)
    if rfq_line.rfq_id != rfq_supplier.rfq_id:
        raise DomainError("That line is on another RFQ.", code=PurchasingError.OTHER_RFQ, field="rfq_line")
    _check_answerable(transitions.locked(rfq_supplier.rfq))
    return crud.create(SupplierQuote, actor=actor, values=values, allowed=SupplierQuoteFields)


class SupplierQuoteChangeFields(TypedDict, total=False):
    unit_price: Decimal
    lead_time_days: int
    valid_until: date | None
    note: str


@transaction.atomic
def supplier_quote_update(
    *, actor: Membership, obj: SupplierQuote, **changes: Unpack[SupplierQuoteChangeFields]
) -> SupplierQuote:
    _check_answerable(transitions.locked(obj.rfq_supplier.rfq))
    return crud.update(obj, actor=actor, changes=changes, allowed=SupplierQuoteChangeFields)


@transaction.atomic
def supplier_quote_delete(*, actor: Membership, obj: SupplierQuote) -> None:
    _check_answerable(transitions.locked(obj.rfq_supplier.rfq))
    crud.delete(obj, actor=actor)


@transaction.atomic
def request_for_quotation_send(*, actor: Membership, obj: RequestForQuotation) -> RequestForQuotation:
    rfq = transitions.locked(obj)
    transitions.check_transition(rfq, RfqStatus.SENT)
    if not rfq.lines.exists():
        raise DomainError("The RFQ has no lines.", code=PurchasingError.NO_LINES, field="lines")
    if not rfq.suppliers.exists():
        raise DomainError("Add the suppliers to ask.", code=PurchasingError.NO_SUPPLIERS, field="suppliers")
    return transitions.transition(rfq, to=RfqStatus.SENT, actor=actor)


def request_for_quotation_cancel(*, actor: Membership, obj: RequestForQuotation) -> RequestForQuotation:
    return transitions.transition(obj, to=RfqStatus.CANCELLED, actor=actor)


def quote_in_org_currency(quote: SupplierQuote, quantity: Decimal) -> tuple[Decimal, Decimal]:
    """(line total in the supplier's currency, the same in the organization's)."""
    total = money.round_money(quantity * quote.unit_price)
    rate = finance.rate_for(quote.rfq_supplier.currency)
    return total, money.convert(total, rate)


def cheapest(
    quotes: list[SupplierQuote], quantity: Decimal, on: date, *, unpriced_ok: bool = False
) -> SupplierQuote | None:
    """The valid quote (not expired on ``on``) with the lowest total in the organization's currency; ties go to the
    shorter lead time, then the earlier answer. A quote in a currency without an exchange rate cannot be ranked: it
    is refused (the rate's error), or with ``unpriced_ok`` left out (the comparison page shows it without a mark)."""
    ranked = []
    for quote in quotes:
        if quote.valid_until is not None and quote.valid_until < on:
            continue
        try:
            ranked.append(((quote_in_org_currency(quote, quantity)[1], quote.lead_time_days, quote.pk), quote))
        except DomainError:
            if not unpriced_ok:
                raise
    return min(ranked, key=lambda pair: pair[0])[1] if ranked else None


class AwardChoice(TypedDict):
    line: int
    supplier: int  # the RfqSupplier's id


@transaction.atomic
def request_for_quotation_award(
    *, actor: Membership, obj: RequestForQuotation, choices: list[AwardChoice] | None = None
) -> list[PurchaseOrder]:
    """Order each line from the chosen supplier (by default, the cheapest valid answer): one draft purchase order
    per supplier at the quoted prices, expected after the quoted lead time; the RFQ becomes awarded and its
    requisition ordered."""
    rfq = transitions.locked(obj)
    transitions.check_transition(rfq, RfqStatus.AWARDED)
    today = timezone.localdate()
    lines = {line.pk: line for line in rfq.lines.select_related("item").order_by("id")}
    quotes = list(SupplierQuote.objects.filter(rfq_line__rfq=rfq).select_related("rfq_supplier__supplier"))
    by_line: dict[int, list[SupplierQuote]] = defaultdict(list)
    for quote in quotes:
        by_line[quote.rfq_line_id].append(quote)
    chosen: list[tuple[RfqLine, SupplierQuote]] = []
    if choices:
        for choice in choices:
            line = lines.get(choice["line"])
            if line is None:
                raise DomainError(
                    f"No line {choice['line']} on {rfq}.", code=CommonError.UNKNOWN_REFERENCE, field="choices"
                )
            quote = next((q for q in by_line[line.pk] if q.rfq_supplier_id == choice["supplier"]), None)
            if quote is None:
                raise DomainError(
                    f"{line.item.sku}: that supplier has not answered this line.",
                    code=PurchasingError.NO_QUOTE,
                    field="choices",
                )
            if quote.valid_until is not None and quote.valid_until < today:
                raise DomainError(
                    f"{line.item.sku}: that answer expired on {quote.valid_until}.",
                    code=PurchasingError.QUOTE_EXPIRED,
                    field="choices",
                )
            chosen.append((line, quote))
    else:
        for line in lines.values():
            best = cheapest(by_line[line.pk], line.quantity, today)
            if best is None:
                raise DomainError(
                    f"{line.item.sku}: no valid answer to order from; enter one or choose the lines to order.",
                    code=PurchasingError.NO_QUOTE,
                    field="choices",
                )
            chosen.append((line, best))
    if not chosen:
        raise DomainError("Choose at least one answer to order.", code=PurchasingError.NO_QUOTE, field="choices")
    by_supplier: dict[int, list[tuple[RfqLine, SupplierQuote]]] = defaultdict(list)
    for line, quote in chosen:
        by_supplier[quote.rfq_supplier_id].append((line, quote))
    orders = []
    for answers in by_supplier.values():
        rfq_supplier = answers[0][1].rfq_supplier
        order = _new_order(actor, {"partner": rfq_supplier.supplier}, rfq)
        for line, quote in answers:
            price = quote.unit_price
            if rfq_supplier.currency != order.currency:
                in_org = price * finance.rate_for(rfq_supplier.currency)
                price = (in_org / order.exchange_rate).quantize(UNIT, rounding=ROUND_HALF_UP)
            purchase_order_line_create(
                actor=actor,
                purchase_order=order,
                item=line.item,
                quantity=line.quantity,
                unit_price=price,
                expected_date=order.order_date + timedelta(days=quote.lead_time_days),
            )
        order.refresh_from_db(fields=["net_total", "tax_total", "total"])  # the line services summed them
        orders.append(order)
    transitions.transition(rfq, to=RfqStatus.AWARDED, actor=actor, metadata={"orders": [o.number for o in orders]})
    requisition = rfq.requisition
    if requisition is not None and transitions.can_transition(requisition, RequisitionStatus.ORDERED):
        transitions.transition(requisition, to=RequisitionStatus.ORDERED, actor=actor)
    return orders
