"""Writes of sales: quotes and their revisions, sales orders, their lines, confirmation (credit check and stock
reservation), cancellation, and the shipped quantities shipping reports back.

Lines are written by finance's line services (the document must be editable, totals recomputed in the same
transaction); these wrappers add what selling knows: the customer's price from its price list when a line gives
none, and the promised lead time.

Confirming an order reserves stock line by line, in item order, from the organization's physical locations that
have stock available: the candidate levels are locked in location order (the order inventory locks them in, so a
confirmation and a stock move cannot deadlock) and drawn on earliest-expiring lot first, then by location code. A
line short of stock is reserved in part; the rest shows as to make or to buy. Two confirmations competing for the
last units are serialized by those row locks: the second sees what the first reserved.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from factoryos.catalog.models import Item
from factoryos.core.models import Membership
from factoryos.documents import services as documents
from factoryos.documents.models import DocumentKind, Rendered
from factoryos.finance import services as finance
from factoryos.finance.models import SequenceKind, TaxCode
from factoryos.finance.printing import pdf_context
from factoryos.inventory import services as inventory
from factoryos.inventory.models import VIRTUAL_KINDS, ReservationStatus, StockLevel
from factoryos.kernel import crud, transitions
from factoryos.kernel.errors import CommonError, ConflictError, DomainError
from factoryos.partners import services as partner_services
from factoryos.partners.models import Contact, Partner
from factoryos.partners.pricing import customer_price
from factoryos.sales import credit
from factoryos.sales.errors import SalesError
from factoryos.sales.models import (
    OPEN_STATUSES,
    OrderStatus,
    Quote,
    QuoteLine,
    QuoteStatus,
    SalesOrder,
    SalesOrderLine,
    SalesOrderReservation,
)

ZERO = Decimal("0")
PRICE_PLACES = Decimal("0.0001")


# -- the parties -----------------------------------------------------------------------------------------------------
def _customer(partner: Partner | int | None) -> Partner:
    advice = "tick Customer on the partner first."
    return partner_services.in_role(partner, "customer", code=SalesError.NOT_A_CUSTOMER, advice=advice)


def _contact(contact: Contact | int | None, partner: Partner) -> Contact | None:
    """The contact given (it must be the partner's), or the partner's primary contact."""
    if contact is None:
        return Contact.objects.filter(partner=partner, is_primary=True).first()
    found = crud.ref(Contact, contact, "contact")
    if found.partner_id != partner.pk:
        raise DomainError(
            f"That contact works for another partner, not {partner.code}.",
            code=SalesError.CONTACT_OF_ANOTHER_PARTNER,
            field="contact",
        )
    return found


def _new_document(
    actor: Membership, model: type[Any], kind: str, values: dict[str, Any], *, partner: Partner, **fixed: Any
) -> Any:
    """A new priced document for ``partner``: its currency and rate, the next number of ``kind``, who made it."""
    values = {**finance.document_defaults(actor=actor, partner=partner), **values, **fixed}
    values.update(partner=partner, number=fixed.get("number") or finance.next_number(kind), created_by=actor.user)
    return crud.create(model, actor=actor, values=values, allowed=[*values])


def _reprice_if(document: Any, changes: dict[str, Any], before: bool) -> Any:
    """Price every line again when the document's tax inclusion changed."""
    if "prices_include_tax" in changes and bool(changes["prices_include_tax"]) != before:
        finance.reprice(document)
    return document


def _delete_document(actor: Membership, obj: Any) -> None:
    """Remove a draft document and its lines (each recorded)."""
    transitions.check_editable(obj)
    for line in obj.lines.all():
        crud.delete(line, actor=actor)
    crud.delete(obj, actor=actor)


# -- prices ----------------------------------------------------------------------------------------------------------
def default_price(document: Any, item: Item, quantity: Decimal | None, on: date | None = None) -> Decimal:
    """The customer's price of ``item`` for ``quantity`` (its price list's break), in the document's currency; an
    item on no price list sells at its standard cost, converted at the document's rate."""
    found = customer_price(document.partner, item, Decimal(quantity or 1), on=on)
    if found is None:
        found = Decimal(item.standard_cost) / Decimal(document.exchange_rate or 1)
    return Decimal(found).quantize(PRICE_PLACES, rounding=ROUND_HALF_UP)


class LineFields(TypedDict, total=False):
    item: Item | int | None
    description: str
    quantity: Decimal
    unit_price: Decimal | None
    discount_pct: Decimal
    tax_code: TaxCode | int | None
    position: int
    lead_time_days: int


class OrderLineFields(LineFields, total=False):
    promised_date: date | None


def _line_values(document: Any, fields: dict[str, Any], *, line: Any = None, on: date | None = None) -> dict[str, Any]:
    """``fields`` with the item resolved, the price list's price when none is given (or it is cleared), and the
    item's lead time on a new line that names none."""
    values = crud.refs(fields, {"item": Item})
    item = values["item"] if "item" in values else getattr(line, "item", None)
    wants_price = values.get("unit_price") is None and ("unit_price" in values or "item" in values or line is None)
    if wants_price and item is not None:
        quantity = values.get("quantity") or getattr(line, "quantity", None)
        values["unit_price"] = default_price(document, item, quantity, on)
    if line is None and values.get("lead_time_days") is None:
        values["lead_time_days"] = item.lead_time_days if item is not None else 0
    elif "lead_time_days" in values and values["lead_time_days"] is None:
        values.pop("lead_time_days")
    return values


# -- quotes ----------------------------------------------------------------------------------------------------------
class QuoteFields(TypedDict, total=False):
    partner: Partner | int
    contact: Contact | int | None
    valid_until: date | None
    prices_include_tax: bool
    notes: str


@transaction.atomic
def quote_create(*, actor: Membership, **fields: Unpack[QuoteFields]) -> Quote:
    """A draft quote to a customer, in its currency, numbered from the quote sequence."""
    values: dict[str, Any] = dict(fields)
    crud.refuse_unknown(values, QuoteFields)
    partner = _customer(values.pop("partner", None))
    values["contact"] = _contact(values.get("contact"), partner)
    return _new_document(actor, Quote, SequenceKind.QUOTE, values, partner=partner)


@transaction.atomic
def quote_update(*, actor: Membership, obj: Quote, **changes: Unpack[QuoteFields]) -> Quote:
    values: dict[str, Any] = dict(changes)
    transitions.check_editable(obj, field=next(iter(values), None))
    if "partner" in values:
        raise DomainError("A quote's customer cannot change.", code=CommonError.NOT_SETTABLE, field="partner")
    if "contact" in values:
        values["contact"] = _contact(values["contact"], obj.partner) if values["contact"] is not None else None
    before = obj.prices_include_tax
    quote = crud.update(obj, actor=actor, changes=values, allowed=QuoteFields)
    return _reprice_if(quote, values, before)


@transaction.atomic
def quote_delete(*, actor: Membership, obj: Quote) -> None:
    """Remove a draft quote (a sent one is lost, expired or revised instead)."""
    _delete_document(actor, obj)


def quote_line_add(*, actor: Membership, document: Quote, **fields: Unpack[LineFields]) -> QuoteLine:
    """A line on a draft quote; an item's price comes from the customer's price list unless given."""
    values = _line_values(document, dict(fields))
    return finance.line_add(actor=actor, document=document, **values)  # type: ignore[return-value]


def quote_line_create(*, actor: Membership, quote: Quote | int, **fields: Unpack[LineFields]) -> QuoteLine:
    """``quote_line_add`` for the quote named by id (the API's body)."""
    return quote_line_add(actor=actor, document=crud.ref(Quote, quote, "quote"), **fields)


def quote_line_update(*, actor: Membership, obj: QuoteLine, **changes: Unpack[LineFields]) -> QuoteLine:
    values = _line_values(obj.quote, dict(changes), line=obj)
    return finance.line_update(actor=actor, obj=obj, **values)  # type: ignore[return-value]


def quote_line_delete(*, actor: Membership, obj: QuoteLine) -> None:
    finance.line_delete(actor=actor, obj=obj)


def quote_send(*, actor: Membership, obj: Quote) -> Quote:
    """The quote goes to the customer: it can no longer change (revise it instead)."""
    if obj.status == QuoteStatus.DRAFT and not obj.lines.exists():
        raise DomainError("Add at least one line before sending the quote.", code=SalesError.NO_LINES, field="lines")
    return transitions.transition(obj, to=QuoteStatus.SENT, actor=actor)


def quote_lose(*, actor: Membership, obj: Quote, reason: str = "") -> Quote:
    """The customer declined: why is required (price, lead time, went elsewhere...)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "Say why the quote was lost (price, lead time, ...).", code=SalesError.LOST_REASON_REQUIRED, field="reason"
        )
    limit = Quote._meta.get_field("lost_reason").max_length or 0
    if len(reason) > limit:
        raise DomainError(f"At most {limit} characters.", code=CommonError.TOO_LONG, field="reason")
    return transitions.transition(obj, to=QuoteStatus.LOST, actor=actor, fields={"lost_reason": reason})


def quote_expire(*, actor: Membership, obj: Quote) -> Quote:
    return transitions.transition(obj, to=QuoteStatus.EXPIRED, actor=actor)


@transaction.atomic
def quotes_expire_due(*, actor: Membership, on: date | None = None) -> int:
    """Expire every sent quote whose validity ended before ``on`` (today); the number expired."""
    on = on or timezone.localdate()
    due = list(Quote.objects.filter(status=QuoteStatus.SENT, valid_until__lt=on))
    for quote in due:
        quote_expire(actor=actor, obj=quote)
    return len(due)


def _copy_lines(actor: Membership, source: Any, target: Any) -> None:
    """``source``'s lines onto ``target`` as they were priced (a revision or an order keeps the quoted prices)."""
    for line in source.lines.select_related("tax_code").order_by("position", "pk"):
        values: dict[str, Any] = {
            "item": line.item_id,
            "description": line.description,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "discount_pct": line.discount_pct,
            "tax_code": line.tax_code,
            "position": line.position,
            "lead_time_days": line.lead_time_days,  # the line model's own field: line_add passes it through
        }
        finance.line_add(actor=actor, document=target, **values)


def _root_number(quote: Quote) -> str:
    """The number of the first revision: QU-00012 for QU-00012-R3."""
    suffix = f"-R{quote.revision}"
    return quote.number.removesuffix(suffix) if quote.revision > 1 else quote.number


@transaction.atomic
def quote_revise(*, actor: Membership, obj: Quote) -> Quote:
    """A new draft revision of a sent or expired quote (number ``-R<n>``, same lines and prices); the old one is
    superseded. A validity that has passed is moved on by as many days as the quote was valid for."""
    old = transitions.transition(obj, to=QuoteStatus.SUPERSEDED, actor=actor, metadata={"revision": obj.revision + 1})
    valid_until = old.valid_until
    today = timezone.localdate()
    if valid_until is not None and valid_until < today:
        valid_until = today + max(valid_until - timezone.localtime(old.created_at).date(), timedelta(days=0))
    revision = old.revision + 1
    values = {
        "contact": old.contact,
        "valid_until": valid_until,
        "prices_include_tax": old.prices_include_tax,
        "notes": old.notes,
        "currency": old.currency,
        "exchange_rate": old.exchange_rate,
    }
    new = _new_document(
        actor,
        Quote,
        SequenceKind.QUOTE,
        values,
        partner=old.partner,
        number=f"{_root_number(old)}-R{revision}",
        revision=revision,
        revised_from=old,
    )
    _copy_lines(actor, old, new)
    return finance.recompute(new)  # type: ignore[return-value]


@transaction.atomic
def quote_accept(*, actor: Membership, obj: Quote, customer_reference: str = "") -> SalesOrder:
    """The customer accepted: a draft sales order with the quote's lines, prices and lead times."""
    today = timezone.localdate()
    if obj.status == QuoteStatus.SENT and obj.valid_until is not None and obj.valid_until < today:
        raise ConflictError(
            f"Quote {obj} was valid until {obj.valid_until}: revise it to quote again.",
            code=SalesError.QUOTE_EXPIRED,
            field="valid_until",
        )
    quote = transitions.transition(obj, to=QuoteStatus.ACCEPTED, actor=actor)
    values = {
        "contact": quote.contact,
        "customer_reference": customer_reference,
        "order_date": today,
        "prices_include_tax": quote.prices_include_tax,
        "notes": quote.notes,
        "currency": quote.currency,
        "exchange_rate": finance.rate_for(quote.currency, today),
    }
    order = _new_document(actor, SalesOrder, SequenceKind.SALES_ORDER, values, partner=quote.partner, quote=quote)
    _copy_lines(actor, quote, order)
    return finance.recompute(order)  # type: ignore[return-value]


# -- sales orders ----------------------------------------------------------------------------------------------------
class SalesOrderFields(TypedDict, total=False):
    partner: Partner | int
    contact: Contact | int | None
    customer_reference: str
    order_date: date
    prices_include_tax: bool
    notes: str


@transaction.atomic
def sales_order_create(*, actor: Membership, **fields: Unpack[SalesOrderFields]) -> SalesOrder:
    """A draft order straight from a customer (no quote); dated today unless given."""
    values: dict[str, Any] = dict(fields)
    crud.refuse_unknown(values, SalesOrderFields)
    partner = _customer(values.pop("partner", None))
    values["contact"] = _contact(values.get("contact"), partner)
    values["order_date"] = values.get("order_date") or timezone.localdate()
    return _new_document(actor, SalesOrder, SequenceKind.SALES_ORDER, values, partner=partner)


@transaction.atomic
def sales_order_update(*, actor: Membership, obj: SalesOrder, **changes: Unpack[SalesOrderFields]) -> SalesOrder:
    values: dict[str, Any] = dict(changes)
    transitions.check_editable(obj, field=next(iter(values), None))
    if "partner" in values:
        raise DomainError("An order's customer cannot change.", code=CommonError.NOT_SETTABLE, field="partner")
    if "contact" in values:
        values["contact"] = _contact(values["contact"], obj.partner) if values["contact"] is not None else None
    if "order_date" in values and values["order_date"] is None:
        raise DomainError("Give the order date.", code=CommonError.REQUIRED, field="order_date")
    before = obj.prices_include_tax
    order = crud.update(obj, actor=actor, changes=values, allowed=SalesOrderFields)
    return _reprice_if(order, values, before)


@transaction.atomic
def sales_order_delete(*, actor: Membership, obj: SalesOrder) -> None:
    """Remove a draft order (a confirmed one is cancelled instead)."""
    _delete_document(actor, obj)


def sales_order_line_add(
    *, actor: Membership, document: SalesOrder, **fields: Unpack[OrderLineFields]
) -> SalesOrderLine:
    """A line on a draft order; an item's price comes from the customer's price list (on the order date) unless
    given."""
    values = _line_values(document, dict(fields), on=document.order_date)
    return finance.line_add(actor=actor, document=document, **values)  # type: ignore[return-value]


def sales_order_line_create(
    *, actor: Membership, order: SalesOrder | int, **fields: Unpack[OrderLineFields]
) -> SalesOrderLine:
    """``sales_order_line_add`` for the order named by id (the API's body)."""
    return sales_order_line_add(actor=actor, document=crud.ref(SalesOrder, order, "order"), **fields)


def sales_order_line_update(
    *, actor: Membership, obj: SalesOrderLine, **changes: Unpack[OrderLineFields]
) -> SalesOrderLine:
    values = _line_values(obj.order, dict(changes), line=obj, on=obj.order.order_date)
    return finance.line_update(actor=actor, obj=obj, **values)  # type: ignore[return-value]


def sales_order_line_delete(*, actor: Membership, obj: SalesOrderLine) -> None:
    finance.line_delete(actor=actor, obj=obj)


def _credit_check(actor: Membership, order: SalesOrder) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Refuse (409 ``credit_hold``) an order that takes the customer over its credit limit, or a customer with
    overdue invoices, unless ``actor`` may approve it: then (the approval's fields, the event's metadata)."""
    partner = order.partner
    balance, overdue = credit.exposure(partner)
    limit = partner.credit_limit
    exposure = balance + order.total
    reasons = []
    if limit is not None and exposure > limit:
        reasons.append(
            f"{balance:f} {order.currency} open plus this order's {order.total:f} is over the limit of {limit:f}"
        )
    if overdue:
        reasons.append("it has overdue invoices")
    if not reasons:
        return {}, None
    if not actor.may("sales.approve"):
        raise ConflictError(
            f"{partner.code} is on credit hold: {' and '.join(reasons)}. Someone with the approve permission must "
            "confirm this order.",
            code=SalesError.CREDIT_HOLD,
            field="partner",
        )
    approval = {
        "approved_by": actor.user_id,
        "open_balance": str(balance),
        "order_total": str(order.total),
        "credit_limit": None if limit is None else str(limit),
        "overdue": overdue,
    }
    return {"credit_approved_at": timezone.now(), "credit_approved_by": actor.user}, {"credit_approval": approval}


def _available_levels(item_ids: list[int]) -> dict[int, list[StockLevel]]:
    """The stock levels with something available of each item, at the organization's active physical locations,
    locked (item by item, in location order: the order inventory locks them in) and, per item, in the order they
    are drawn on: earliest-expiring lot first, then by location code."""
    levels = (
        StockLevel.objects.select_for_update(of=("self",))
        .filter(item_id__in=item_ids, on_hand__gt=F("reserved"), location__active=True, location__quarantine=False)
        .exclude(location__kind__in=sorted(VIRTUAL_KINDS))
        .select_related("location", "lot")
        .order_by("item_id", "location_id", "pk")
    )
    by_item: dict[int, list[StockLevel]] = defaultdict(list)
    for level in levels:
        by_item[level.item_id].append(level)
    far = date.max
    for found in by_item.values():
        found.sort(key=lambda lv: ((lv.lot.expires_on or far) if lv.lot else far, lv.location.code, lv.pk))
    return by_item


def _picks(needed: Decimal, levels: list[StockLevel], taken: dict[int, Decimal]) -> list[tuple[StockLevel, Decimal]]:
    """Up to ``needed`` from ``levels`` (locked, in the order to draw on them) as (level, quantity) picks; ``taken``
    counts what earlier lines of the same item already picked from each level."""
    picks = []
    for level in levels:
        if needed <= 0:
            break
        take = min(level.on_hand - level.reserved - taken.get(level.pk, ZERO), needed)
        if take <= 0:
            continue
        taken[level.pk] = taken.get(level.pk, ZERO) + take
        needed -= take
        picks.append((level, take))
    return picks


@transaction.atomic
def sales_order_confirm(*, actor: Membership, obj: SalesOrder) -> SalesOrder:
    """Confirm a draft order: the credit check, then each item line reserves what stock is available."""
    order = transitions.locked(obj)
    transitions.check_transition(order, OrderStatus.CONFIRMED)
    lines = list(order.lines.select_related("item").order_by("item_id", "pk"))  # one lock order for every order
    if not lines:
        raise DomainError("Add at least one line before confirming.", code=SalesError.NO_LINES, field="lines")
    approval, metadata = _credit_check(actor, order)
    order = transitions.transition(order, to=OrderStatus.CONFIRMED, actor=actor, fields=approval, metadata=metadata)
    stocked = [line for line in lines if line.stocked and line.back_order > 0]
    levels = _available_levels(sorted({line.item_id for line in stocked if line.item_id is not None}))
    lines_of: list[SalesOrderLine] = []
    picks: list[tuple[StockLevel, Decimal]] = []
    taken: dict[int, Decimal] = {}
    for line in stocked:
        for pick in _picks(line.back_order, levels.get(line.item_id or 0, []), taken):
            lines_of.append(line)
            picks.append(pick)
    reservations = inventory.reserve_levels(actor=actor, picks=picks, reference=order.number)
    links = [
        SalesOrderReservation(org=order.org, line=line, reservation=reservation)
        for line, reservation in zip(lines_of, reservations, strict=True)
    ]
    crud.create_many(SalesOrderReservation, links, actor=actor)
    return order


def _release(actor: Membership, order: SalesOrder) -> int:
    """Give back what the order's reservations still hold; how many were released."""
    links = SalesOrderReservation.objects.filter(line__order=order, reservation__status=ReservationStatus.ACTIVE)
    released = 0
    for link in links.select_related("reservation").order_by("reservation__location_id", "pk"):
        inventory.reservation_release(actor=actor, obj=link.reservation)
        released += 1
    return released


@transaction.atomic
def sales_order_cancel(*, actor: Membership, obj: SalesOrder) -> SalesOrder:
    """Cancel a draft or confirmed order (nothing shipped yet); its reservations are released."""
    order = transitions.transition(obj, to=OrderStatus.CANCELLED, actor=actor)
    _release(actor, order)
    return order


@transaction.atomic
def sales_order_close(*, actor: Membership, obj: SalesOrder) -> SalesOrder:
    """Close a shipped order, or a part-shipped one short (the rest will not ship): reservations are released."""
    order = transitions.transition(obj, to=OrderStatus.CLOSED, actor=actor)
    _release(actor, order)
    return order


# -- shipping reports what shipped ----------------------------------------------------------------------------------
def _shipping_status(order: SalesOrder) -> str:
    """Confirmed (nothing shipped), part shipped or shipped, from the lines of stocked items."""
    lines = [line for line in order.lines.select_related("item") if line.stocked]
    shipped = [line.shipped for line in lines]
    if not any(shipped):
        return OrderStatus.CONFIRMED
    if all(line.shipped >= line.quantity for line in lines):
        return OrderStatus.SHIPPED
    return OrderStatus.PART_SHIPPED


def _set_shipping_status(actor: Membership, order: SalesOrder) -> SalesOrder:
    if order.status not in (*OPEN_STATUSES, OrderStatus.SHIPPED):
        return order  # a closed order keeps its state when goods come back
    target = _shipping_status(order)
    if target == order.status:
        return order
    keep: dict[str, Any] = {}
    if getattr(order, f"{target}_at") is not None:  # back to a state it was in: keep when it first got there
        keep = {f"{target}_at": getattr(order, f"{target}_at"), f"{target}_by_id": getattr(order, f"{target}_by_id")}
    return transitions.transition(order, to=target, actor=actor, fields=keep)


def _shipping_line(line: SalesOrderLine, quantity: Decimal) -> tuple[SalesOrder, SalesOrderLine]:
    """The order (locked first) and the line (locked), for a change of what shipped."""
    if quantity is None or Decimal(quantity) <= 0:
        raise DomainError("The quantity must be more than zero.", code=CommonError.OUT_OF_RANGE, field="quantity")
    order = transitions.locked(line.order)
    return order, SalesOrderLine._base_manager.select_for_update(of=("self",)).select_related("item").get(pk=line.pk)


@transaction.atomic
def order_line_shipped(*, actor: Membership, line: SalesOrderLine, quantity: Decimal) -> SalesOrderLine:
    """``quantity`` of the line left in a shipment: shipped grows, the order moves to part shipped or shipped."""
    order, line = _shipping_line(line, quantity)
    if order.status not in (*OPEN_STATUSES,):
        raise ConflictError(
            f"Sales order {order} is {order.get_status_display().lower()}: nothing more ships on it.",
            code=CommonError.TRANSITION_NOT_ALLOWED,
            field="status",
        )
    shipped = line.shipped + Decimal(quantity)
    if shipped > line.quantity:
        raise ConflictError(
            f"Only {line.back_order.normalize():f} of line {line.position} is still to ship.",
            code=SalesError.OVER_SHIPPED,
            field="quantity",
        )
    line = crud.update(line, actor=actor, changes={"shipped": shipped}, allowed=("shipped",))
    _set_shipping_status(actor, order)
    return line


@transaction.atomic
def order_line_unshipped(*, actor: Membership, line: SalesOrderLine, quantity: Decimal) -> SalesOrderLine:
    """``quantity`` of the line came back (a return) or its shipment was undone: shipped shrinks, and the order
    moves back to part shipped or confirmed (a closed order stays closed)."""
    order, line = _shipping_line(line, quantity)
    if Decimal(quantity) > line.shipped:
        raise ConflictError(
            f"Only {line.shipped.normalize():f} of line {line.position} has shipped.",
            code=SalesError.UNSHIPPED_MORE_THAN_SHIPPED,
            field="quantity",
        )
    line = crud.update(line, actor=actor, changes={"shipped": line.shipped - Decimal(quantity)}, allowed=("shipped",))
    _set_shipping_status(actor, order)
    return line


# -- documents: the quote and the order confirmation as PDFs, the quote emailed ------------------------------------
def _pdf_context(document: Quote | SalesOrder, title: str, dates: list[tuple[str, date]], **extra: Any) -> dict:
    """What documents/base.html prints of a quote or an order: each line's lead time (and an order line's promised
    date), the contact, the payment terms."""

    def line_extra(line: Any) -> dict[str, Any]:
        promised = {"promised": line.promised_on} if isinstance(line, SalesOrderLine) else {}
        return {"lead_time_days": line.lead_time_days, **promised}

    contact = document.contact.name if document.contact is not None else ""
    footer = f"Payment terms: {document.partner.terms}."
    return pdf_context(document, title, dates, line_extra=line_extra, footer=footer, contact=contact, **extra)


@transaction.atomic
def quote_pdf(*, actor: Membership, obj: Quote) -> Rendered:
    """The quote printed and kept with it (the next version of its PDF)."""
    dates = [("Date", timezone.localtime(obj.created_at).date())]
    if obj.valid_until:
        dates.append(("Valid until", obj.valid_until))
    reference = f"Revision {obj.revision}" if obj.revision > 1 else ""
    context = _pdf_context(obj, "Quote", dates, reference=reference)
    return documents.render_and_store(
        actor=actor, record=obj, kind=DocumentKind.QUOTE, number=obj.number, template="sales/pdf/quote.html",
        context=context,
    )  # fmt: skip


@transaction.atomic
def sales_order_pdf(*, actor: Membership, obj: SalesOrder) -> Rendered:
    """The order confirmation printed and kept with the order."""
    reference = f"Your order {obj.customer_reference}" if obj.customer_reference else ""
    context = _pdf_context(obj, "Order confirmation", [("Order date", obj.order_date)], reference=reference)
    return documents.render_and_store(
        actor=actor, record=obj, kind=DocumentKind.ORDER_CONFIRMATION, number=obj.number,
        template="sales/pdf/order_confirmation.html", context=context,
    )  # fmt: skip


@transaction.atomic
def quote_email(*, actor: Membership, obj: Quote, to: str = "", subject: str = "", message: str = "") -> Rendered:
    """Print the quote and mail it, attached, to ``to`` or else the quote's contact (through the task queue, once
    the transaction commits)."""
    contact = obj.contact
    to = (to or "").strip() or (contact.email if contact is not None else "")
    if not to:
        raise DomainError(
            "The quote has no contact with an email address: give the address to send it to.",
            code=SalesError.NO_RECIPIENT,
            field="to",
        )
    rendered = quote_pdf(actor=actor, obj=obj)
    greeting = f"Dear {contact.name},\n\n" if contact is not None and contact.email == to else "Hello,\n\n"
    body = message.strip() or (
        f"{greeting}please find attached our quote {obj.number}"
        + (f", valid until {obj.valid_until:%d %B %Y}" if obj.valid_until else "")
        + f".\n\nKind regards,\n{actor.org.display_name}"
    )
    documents.email_pdf(
        actor=actor,
        rendered=rendered,
        to=to,
        subject=subject.strip() or f"Quote {obj.number} from {actor.org.display_name}",
        body=body,
        contact_id=contact.pk if contact is not None and contact.email == to else None,
    )
    return rendered
