"""Writes of the book: invoices and credit notes, supplier bills with their three-way match, payments and their
allocations, and the organization's tolerances and account codes.

Rules kept here, once:

- A document's number is taken when it is issued (an invoice, INV- or CN-) or approved (a bill, BILL-), in the
  same transaction as the move, from finance's gapless sequence: a draft that is thrown away leaves no gap.
- Only drafts change; an issued invoice is reversed by a credit note (issued against it, it reduces its balance at
  once), and it may be voided only while nothing is paid or credited on it.
- A payment is in the partner's currency; each allocation goes to one open document of the same partner and
  currency, never past the document's balance nor the payment's unallocated amount. What it settles moves the
  document to part paid or paid. The realised exchange difference, (payment rate - document rate) x amount, in the
  organization's currency, is stored on the allocation (the journal posts it).
- A bill's lines are matched to their purchase order line: the quantity against what was received and not billed
  yet, the unit price against the order's, each within the organization's tolerance. A bill that does not match
  can be approved only by someone with ``finance.approve`` (who and when are stamped; the event says it was
  approved despite the mismatch). Approving adds the billed quantities to the order lines; voiding takes them off.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from factoryos.books.errors import BooksError
from factoryos.books.models import (
    OPEN_BILL_STATUSES,
    OPEN_STATUSES,
    AccountMapping,
    Bill,
    BillLine,
    BillStatus,
    BooksSettings,
    Direction,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    MatchStatus,
    Payment,
    PaymentAllocation,
)
from factoryos.core.models import Membership
from factoryos.documents import services as documents
from factoryos.documents.models import DocumentKind, Rendered
from factoryos.finance import money
from factoryos.finance import services as finance
from factoryos.finance.models import SequenceKind, TaxCode
from factoryos.finance.printing import pdf_context
from factoryos.kernel import crud, transitions
from factoryos.kernel.errors import ConflictError, DomainError, PermissionDeniedError
from factoryos.partners import services as partner_services
from factoryos.partners.models import Partner
from factoryos.purchasing.models import PurchaseOrder, PurchaseOrderLine, ReceiptLine
from factoryos.sales.models import OrderStatus, SalesOrder, SalesOrderLine
from factoryos.shipping.models import Shipment, ShipmentStatus

ZERO = Decimal("0")
HUNDRED = Decimal("100")
APPROVE = "finance.approve"


def _today() -> date:
    return timezone.localdate()


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


# -- shared: a document's header ---------------------------------------------------------------------------------
def _header_values(actor: Membership, partner: Partner, fields: dict[str, Any]) -> dict[str, Any]:
    """The partner's currency and its rate unless given (a currency given alone takes its rate of the day)."""
    values = {**finance.document_defaults(actor=actor, partner=partner), **fields}
    values["currency"] = str(values["currency"]).upper()
    if fields.get("currency") and not fields.get("exchange_rate"):
        values["exchange_rate"] = finance.rate_for(values["currency"])
    return values


def _check_due(issued_on: date | None, due: date | None) -> None:
    if issued_on and due and due < issued_on:
        raise DomainError(
            f"The due date ({due}) is before the issue date ({issued_on}).",
            code=BooksError.DUE_BEFORE_ISSUE,
            field="due_date",
        )


def _settle(document: Invoice | Bill, *, actor: Membership, delta: Decimal, metadata: dict | None = None) -> None:
    """Add ``delta`` to what is paid of ``document`` (locked by the caller) and move it to part paid or paid."""
    paid = document.amount_paid + delta
    state = "paid" if paid == document.total else "part_paid"
    if transitions.can_transition(document, state):
        transitions.transition(document, to=state, actor=actor, fields={"amount_paid": paid}, metadata=metadata)
    else:  # part paid, and still part paid
        crud.update(document, actor=actor, changes={"amount_paid": paid}, allowed=("amount_paid",))


# -- invoices and credit notes -----------------------------------------------------------------------------------
class InvoiceFields(TypedDict, total=False):
    partner: Partner | int
    kind: str
    credited_invoice: Invoice | int | None
    reference: str
    issued_on: date | None
    due_date: date | None
    currency: str
    exchange_rate: Decimal
    prices_include_tax: bool
    notes: str


def _customer(partner: Partner | int) -> Partner:
    advice = "mark it as one to invoice it."
    return partner_services.in_role(partner, "customer", code=BooksError.NOT_A_CUSTOMER, advice=advice)


def _credited(values: dict[str, Any]) -> None:
    """A credit note against an invoice: the same customer's issued invoice, in its currency and at its rate."""
    target = values.get("credited_invoice")
    if target is None:
        return
    invoice = crud.ref(Invoice, target, "credited_invoice")
    if values.get("kind", InvoiceKind.INVOICE) != InvoiceKind.CREDIT_NOTE or invoice.kind != InvoiceKind.INVOICE:
        raise DomainError(
            "Only a credit note is issued against an invoice (and only against an invoice).",
            code=BooksError.CREDIT_TARGET,
            field="credited_invoice",
        )
    if invoice.status not in (*OPEN_STATUSES, InvoiceStatus.PAID) or invoice.partner_id != values["partner"].pk:
        raise DomainError(
            f"Credit an issued invoice of the same customer ({invoice} is {invoice.get_status_display().lower()}).",
            code=BooksError.CREDIT_TARGET,
            field="credited_invoice",
        )
    values.update(credited_invoice=invoice, currency=invoice.currency, exchange_rate=invoice.exchange_rate)


@transaction.atomic
def invoice_create(*, actor: Membership, **fields: Unpack[InvoiceFields]) -> Invoice:
    """A draft invoice or credit note for a customer, in the customer's currency unless another is given."""
    values: dict[str, Any] = dict(fields)
    values["partner"] = _customer(values.get("partner"))  # type: ignore[arg-type]
    values = {k: v for k, v in values.items() if v is not None or k in ("issued_on", "due_date")}
    _credited(values)
    _check_due(values.get("issued_on"), values.get("due_date"))
    values = _header_values(actor, values["partner"], values)
    values["created_by"] = actor.user
    return crud.create(Invoice, actor=actor, values=values, allowed=[*InvoiceFields.__annotations__, "created_by"])


@transaction.atomic
def invoice_update(*, actor: Membership, obj: Invoice, **changes: Unpack[InvoiceFields]) -> Invoice:
    invoice = transitions.locked(obj)
    transitions.check_editable(invoice)
    values: dict[str, Any] = dict(changes)
    if "kind" in values and values["kind"] != invoice.kind:
        raise DomainError("A draft keeps its kind: start a new one.", code=BooksError.CREDIT_TARGET, field="kind")
    if values.get("partner") is not None:
        values["partner"] = _customer(values["partner"])
    if "credited_invoice" in values:  # the credited invoice's currency and rate come with it
        probe = {**values, "kind": invoice.kind, "partner": values.get("partner", invoice.partner)}
        _credited(probe)
        values.update({key: probe[key] for key in ("credited_invoice", "currency", "exchange_rate") if key in probe})
    _check_due(values.get("issued_on", invoice.issued_on), values.get("due_date", invoice.due_date))
    if values.get("currency"):
        values["currency"] = values["currency"].upper()
        values.setdefault("exchange_rate", finance.rate_for(values["currency"]))
    saved = crud.update(invoice, actor=actor, changes=values, allowed=InvoiceFields)
    if "prices_include_tax" in values:
        finance.reprice(saved)
    return saved


def invoice_delete(*, actor: Membership, obj: Invoice) -> None:
    """Only a draft goes (it has no number yet); an issued one is voided or credited."""
    transitions.check_editable(obj)
    crud.delete(obj, actor=actor)


@transaction.atomic
def invoice_issue(
    *, actor: Membership, obj: Invoice, issued_on: date | None = None, due_date: date | None = None
) -> Invoice:
    """Issue a draft: its number (INV- or CN-) now, its date (today unless given or set) and its due date (from
    the customer's terms unless given or set). A credit note against an invoice reduces that invoice's balance."""
    invoice = transitions.locked(obj)
    transitions.check_transition(invoice, InvoiceStatus.ISSUED)
    if not invoice.lines.exists() or invoice.total <= 0:
        raise DomainError("Add a line with an amount before issuing.", code=BooksError.NO_LINES, field="lines")
    issued = issued_on or invoice.issued_on or _today()
    due = due_date or invoice.due_date or partner_services.due_date(invoice.partner, issued)
    _check_due(issued, due)
    kind = SequenceKind.CREDIT_NOTE if invoice.kind == InvoiceKind.CREDIT_NOTE else SequenceKind.INVOICE
    fields = {"number": finance.next_number(kind), "issued_on": issued, "due_date": due}
    invoice = transitions.transition(invoice, to=InvoiceStatus.ISSUED, actor=actor, fields=fields)
    if invoice.credited_invoice_id is not None:
        target = transitions.locked(Invoice.objects.get(pk=invoice.credited_invoice_id))
        applied = min(invoice.total, target.balance)
        if applied > 0:
            note = {"credit_note": invoice.number}
            _settle(target, actor=actor, delta=applied, metadata=note)
            _settle(invoice, actor=actor, delta=applied, metadata={"applied_to": target.number})
            invoice.refresh_from_db()
    return invoice


@transaction.atomic
def invoice_void(*, actor: Membership, obj: Invoice) -> Invoice:
    """Void an issued invoice on which nothing is paid or credited (its number stays used: no gap)."""
    invoice = transitions.locked(obj)
    transitions.check_transition(invoice, InvoiceStatus.VOID)
    if invoice.amount_paid > 0:
        raise ConflictError(
            f"{invoice} has {_fmt(invoice.amount_paid)} paid or credited: reverse it with a credit note instead.",
            code=BooksError.VOID_WITH_PAYMENTS,
            field="status",
        )
    return transitions.transition(invoice, to=InvoiceStatus.VOID, actor=actor)


@transaction.atomic
def invoice_pdf(*, actor: Membership, obj: Invoice) -> Rendered:
    """The issued invoice (or credit note) printed as a tax invoice and kept with it (the next version of its PDF)."""
    if not obj.number:
        raise ConflictError(
            "Issue the invoice first: a draft has no number to print.", code=BooksError.NOT_ISSUED, field="status"
        )
    credit = obj.kind == InvoiceKind.CREDIT_NOTE
    dates: list[tuple[str, Any]] = [("Date", obj.issued_on)]
    dates += [] if credit or not obj.due_date else [("Due", obj.due_date)]
    reference = f"Credit for {obj.credited_invoice.number}" if credit and obj.credited_invoice else obj.reference
    due = obj.total - obj.amount_paid
    footer = (
        "" if credit else f"Amount due {due:f} {obj.currency} by {obj.due_date:%d %b %Y}. Terms: {obj.partner.terms}."
    )
    context = pdf_context(obj, "Credit note" if credit else "Tax invoice", dates, footer=footer, reference=reference)
    return documents.render_and_store(
        actor=actor, record=obj, kind=DocumentKind.CREDIT_NOTE if credit else DocumentKind.INVOICE,
        number=obj.number, template="books/pdf/invoice.html", context=context,
    )  # fmt: skip


@transaction.atomic
def credit_note_for(*, actor: Membership, obj: Invoice) -> Invoice:
    """A draft credit note against an issued invoice with its lines copied (the whole invoice reversed; edit the
    draft to credit part of it)."""
    note = invoice_create(
        actor=actor, partner=obj.partner, kind=InvoiceKind.CREDIT_NOTE, credited_invoice=obj,
        reference=obj.number, prices_include_tax=obj.prices_include_tax,
    )  # fmt: skip
    for line in obj.lines.select_related("tax_code", "item").order_by("position", "id"):
        finance.line_add(
            actor=actor, document=note, item=line.item, description=line.description, quantity=line.quantity,
            unit_price=line.unit_price, discount_pct=line.discount_pct, tax_code=line.tax_code,
        )  # fmt: skip
    note.refresh_from_db()
    return note


class LineFields(TypedDict, total=False):
    item: Any
    description: str
    quantity: Decimal
    unit_price: Decimal | None
    discount_pct: Decimal
    tax_code: TaxCode | int | None
    position: int


class InvoiceLineFields(LineFields, total=False):
    order_line: SalesOrderLine | int | None


def invoiced_quantities(order_lines: list[int]) -> dict[int, Decimal]:
    """How much of each sales order line is on invoices that are not void (drafts count: they will be issued)."""
    rows = (
        InvoiceLine.objects.filter(order_line__in=order_lines, invoice__kind=InvoiceKind.INVOICE)
        .exclude(invoice__status=InvoiceStatus.VOID)
        .values("order_line")
        .annotate(quantity=Sum("quantity"))
    )
    return {row["order_line"]: row["quantity"] for row in rows}


def _order_line_for(invoice: Invoice, value: Any, quantity: Decimal | None, *, exclude: int | None = None) -> Any:
    """The sales order line an invoice line bills: the invoice's customer's, not past what is left to invoice."""
    if value is None:
        return None
    line = crud.ref(SalesOrderLine, value, "order_line")
    if line.order.partner_id != invoice.partner_id:
        raise DomainError(
            f"{line.order} is another customer's order.", code=BooksError.OTHER_CUSTOMER, field="order_line"
        )
    if invoice.kind == InvoiceKind.INVOICE and quantity is not None:
        on_invoices = InvoiceLine.objects.filter(order_line=line, invoice__kind=InvoiceKind.INVOICE).exclude(
            Q(invoice__status=InvoiceStatus.VOID) | Q(pk=exclude)
        )
        invoiced = on_invoices.aggregate(q=Sum("quantity"))["q"] or ZERO
        if invoiced + quantity > line.quantity:
            raise DomainError(
                f"Only {_fmt(line.quantity - invoiced)} of {line.description} is left to invoice on {line.order}.",
                code=BooksError.OVER_INVOICED,
                field="quantity",
            )
    return line


def _default_price(invoice: Invoice, fields: dict[str, Any]) -> None:
    """An item line without a price takes the customer's price list price, if it has one."""
    if fields.get("unit_price") is None and fields.get("item") is not None:
        from factoryos.catalog.models import Item
        from factoryos.partners.pricing import customer_price

        item = crud.ref(Item, fields["item"], "item")
        price = customer_price(invoice.partner, item, fields.get("quantity") or 1)
        if price is not None:
            fields["unit_price"] = price


@transaction.atomic
def invoice_line_create(
    *, actor: Membership, invoice: Invoice | int, **fields: Unpack[InvoiceLineFields]
) -> InvoiceLine:
    """A line on a draft invoice: an item (priced from the customer's price list unless a price is given), free
    text, or a sales order line (its item, description, price, discount and tax code unless given)."""
    document = crud.ref(Invoice, invoice, "invoice")
    transitions.check_editable(document, field="lines")
    values: dict[str, Any] = {k: v for k, v in fields.items() if v is not None or k == "unit_price"}
    order_line = _order_line_for(document, values.get("order_line"), values.get("quantity"))
    if order_line is not None:
        values["order_line"] = order_line
        for name in ("item", "description", "unit_price", "discount_pct", "tax_code"):
            if values.get(name) is None:
                values[name] = getattr(order_line, name)
    _default_price(document, values)
    return finance.line_add(actor=actor, document=document, **values)  # type: ignore[return-value]


@transaction.atomic
def invoice_line_update(*, actor: Membership, obj: InvoiceLine, **changes: Unpack[InvoiceLineFields]) -> InvoiceLine:
    values: dict[str, Any] = dict(changes)
    if "order_line" in values or "quantity" in values:
        values["order_line"] = _order_line_for(
            obj.invoice,
            values.get("order_line", obj.order_line_id),
            values.get("quantity", obj.quantity),
            exclude=obj.pk,
        )
    return finance.line_update(actor=actor, obj=obj, **values)  # type: ignore[return-value]


def invoice_line_delete(*, actor: Membership, obj: InvoiceLine) -> None:
    finance.line_delete(actor=actor, obj=obj)


def _orderable(order: SalesOrder) -> None:
    if order.status in (OrderStatus.DRAFT, OrderStatus.CANCELLED):
        raise DomainError(
            f"{order} is {order.get_status_display().lower()}: confirm it first.",
            code=BooksError.ORDER_NOT_OPEN,
            field="order",
        )


@transaction.atomic
def invoice_from_order(*, actor: Membership, order: SalesOrder | int, shipped_only: bool = False) -> Invoice:
    """A draft invoice for what of a confirmed sales order is not invoiced yet (or, ``shipped_only``, for what is
    shipped and not invoiced), at the order's prices, currency and tax inclusion."""
    order = crud.ref(SalesOrder, order, "order")
    _orderable(order)
    lines = list(order.lines.select_related("tax_code", "item").order_by("position", "id"))
    invoiced = invoiced_quantities([line.pk for line in lines])
    wanted = []
    for line in lines:
        ceiling = line.shipped if shipped_only else line.quantity
        quantity = ceiling - invoiced.get(line.pk, ZERO)
        if quantity > 0:
            wanted.append((line, quantity))
    if not wanted:
        what = "shipped and not invoiced" if shipped_only else "left to invoice"
        raise DomainError(f"Nothing on {order} is {what}.", code=BooksError.NOTHING_TO_INVOICE, field="order")
    invoice = invoice_create(
        actor=actor,
        partner=order.partner,
        reference=order.customer_reference or order.number,
        currency=order.currency,
        exchange_rate=finance.rate_for(order.currency),
        prices_include_tax=order.prices_include_tax,
    )
    for line, quantity in wanted:
        finance.line_add(
            actor=actor,
            document=invoice,
            **{
                "order_line": line,
                "item": line.item,
                "description": line.description,
                "quantity": quantity,
                "unit_price": line.unit_price,
                "discount_pct": line.discount_pct,
                "tax_code": line.tax_code,
            },
        )
    invoice.refresh_from_db()
    return invoice


@transaction.atomic
def invoice_from_shipment(*, actor: Membership, shipment: Shipment | int) -> Invoice:
    """A draft invoice for what a shipped shipment carried (each line once: a shipment line already on an invoice
    that is not void is left out, and no order line is invoiced past what was ordered), at the order's prices."""
    shipment = crud.ref(Shipment, shipment, "shipment")
    if shipment.status != ShipmentStatus.SHIPPED:
        raise DomainError(
            f"{shipment} is {shipment.get_status_display().lower()}: invoice it once it has shipped.",
            code=BooksError.NOTHING_TO_INVOICE,
            field="shipment",
        )
    order = shipment.order
    lines = list(shipment.lines.select_related("order_line__tax_code", "order_line__item").order_by("id"))
    billed = set(
        InvoiceLine.objects.filter(shipment_line__in=lines)
        .exclude(invoice__status=InvoiceStatus.VOID)
        .values_list("shipment_line_id", flat=True)
    )
    invoiced = invoiced_quantities([line.order_line_id for line in lines])
    wanted = []
    for line in lines:
        left = line.order_line.quantity - invoiced.get(line.order_line_id, ZERO)
        quantity = min(line.quantity, left)
        if line.pk not in billed and quantity > 0:
            wanted.append((line, quantity))
            invoiced[line.order_line_id] = invoiced.get(line.order_line_id, ZERO) + quantity
    if not wanted:
        raise DomainError(
            f"Everything {shipment} carried is invoiced.", code=BooksError.NOTHING_TO_INVOICE, field="shipment"
        )
    invoice = invoice_create(
        actor=actor,
        partner=order.partner,
        reference=order.customer_reference or order.number,
        currency=order.currency,
        exchange_rate=finance.rate_for(order.currency),
        prices_include_tax=order.prices_include_tax,
    )
    for line, quantity in wanted:
        order_line = line.order_line
        finance.line_add(
            actor=actor,
            document=invoice,
            **{
                "order_line": order_line,
                "shipment_line": line,
                "item": order_line.item,
                "description": order_line.description,
                "quantity": quantity,
                "unit_price": order_line.unit_price,
                "discount_pct": order_line.discount_pct,
                "tax_code": order_line.tax_code,
            },
        )
    invoice.refresh_from_db()
    return invoice


# -- supplier bills ----------------------------------------------------------------------------------------------
class BillFields(TypedDict, total=False):
    partner: Partner | int
    supplier_reference: str
    bill_date: date | None
    due_date: date | None
    currency: str
    exchange_rate: Decimal
    prices_include_tax: bool
    notes: str


class BillLineFields(LineFields, total=False):
    po_line: PurchaseOrderLine | int | None
    receipt_line: ReceiptLine | int | None


def _supplier(partner: Partner | int) -> Partner:
    advice = "mark it as one to enter its bills."
    return partner_services.in_role(partner, "supplier", code=BooksError.NOT_A_SUPPLIER, advice=advice)


@transaction.atomic
def bill_create(*, actor: Membership, **fields: Unpack[BillFields]) -> Bill:
    """A draft supplier bill, in the supplier's currency unless another is given."""
    values: dict[str, Any] = {k: v for k, v in fields.items() if v is not None or k in ("bill_date", "due_date")}
    values["partner"] = _supplier(values.get("partner"))  # type: ignore[arg-type]
    _check_due(values.get("bill_date"), values.get("due_date"))
    values = _header_values(actor, values["partner"], values)
    values["created_by"] = actor.user
    return crud.create(Bill, actor=actor, values=values, allowed=[*BillFields.__annotations__, "created_by"])


@transaction.atomic
def bill_update(*, actor: Membership, obj: Bill, **changes: Unpack[BillFields]) -> Bill:
    bill = transitions.locked(obj)
    transitions.check_editable(bill)
    values: dict[str, Any] = dict(changes)
    if values.get("partner") is not None:
        values["partner"] = _supplier(values["partner"])
    _check_due(values.get("bill_date", bill.bill_date), values.get("due_date", bill.due_date))
    if values.get("currency"):
        values["currency"] = values["currency"].upper()
        values.setdefault("exchange_rate", finance.rate_for(values["currency"]))
    saved = crud.update(bill, actor=actor, changes=values, allowed=BillFields)
    if "prices_include_tax" in values:
        finance.reprice(saved)
    match(saved)
    return saved


def bill_delete(*, actor: Membership, obj: Bill) -> None:
    transitions.check_editable(obj)
    crud.delete(obj, actor=actor)


def _po_line_for(bill: Bill, values: dict[str, Any], *, defaults: bool = True) -> None:
    """Resolve the order and receipt lines a bill line refers to (a receipt line names its order line), which must
    be the bill's supplier's; for a new line, the order line's item, text, price, discount and tax code fill what is
    not given (``defaults``)."""
    receipt_line = values.get("receipt_line")
    if receipt_line is not None:
        receipt_line = crud.ref(ReceiptLine, receipt_line, "receipt_line")
        values["receipt_line"] = receipt_line
        if values.get("po_line") is None:
            values["po_line"] = receipt_line.po_line
    po_line = values.get("po_line")
    if po_line is None:
        return
    po_line = crud.ref(PurchaseOrderLine, po_line, "po_line")
    if po_line.purchase_order.partner_id != bill.partner_id:
        raise DomainError(
            f"{po_line.purchase_order} is another supplier's order.", code=BooksError.OTHER_SUPPLIER, field="po_line"
        )
    if receipt_line is not None and receipt_line.po_line_id != po_line.pk:
        raise DomainError(
            "The receipt line is for another order line.", code=BooksError.OTHER_SUPPLIER, field="receipt_line"
        )
    values["po_line"] = po_line
    if not defaults:
        return
    for name in ("item", "description", "unit_price", "discount_pct", "tax_code"):
        if values.get(name) is None:
            values[name] = getattr(po_line, name)
    if values.get("quantity") is None:
        open_quantity = (receipt_line.quantity if receipt_line is not None else po_line.received) - po_line.billed
        values["quantity"] = max(open_quantity, ZERO) or po_line.quantity


@transaction.atomic
def bill_line_create(*, actor: Membership, bill: Bill | int, **fields: Unpack[BillLineFields]) -> BillLine:
    """A line on a draft bill: a purchase order line (or receipt line) billed, or free text (freight); the bill is
    matched again."""
    document = crud.ref(Bill, bill, "bill")
    transitions.check_editable(document, field="lines")
    values: dict[str, Any] = {k: v for k, v in fields.items() if v is not None or k == "unit_price"}
    _po_line_for(document, values)
    line = finance.line_add(actor=actor, document=document, **values)
    match(document)
    line.refresh_from_db()
    return line  # type: ignore[return-value]


@transaction.atomic
def bill_line_update(*, actor: Membership, obj: BillLine, **changes: Unpack[BillLineFields]) -> BillLine:
    values: dict[str, Any] = dict(changes)
    if values.get("po_line") is not None or values.get("receipt_line") is not None:
        _po_line_for(obj.bill, values, defaults=False)
    line = finance.line_update(actor=actor, obj=obj, **values)
    match(obj.bill)
    line.refresh_from_db()
    return line  # type: ignore[return-value]


@transaction.atomic
def bill_line_delete(*, actor: Membership, obj: BillLine) -> None:
    bill = obj.bill
    finance.line_delete(actor=actor, obj=obj)
    match(bill)


@transaction.atomic
def bill_from_order(*, actor: Membership, order: PurchaseOrder | int) -> Bill:
    """A draft bill for what of a purchase order was received and is not billed yet, at the order's prices."""
    order = crud.ref(PurchaseOrder, order, "order")
    wanted = [(line, line.received - line.billed) for line in order.lines.select_related("tax_code", "item")]
    wanted = [(line, quantity) for line, quantity in wanted if quantity > 0]
    if not wanted:
        raise DomainError(
            f"Nothing on {order} is received and not billed.", code=BooksError.NOTHING_TO_BILL, field="order"
        )
    bill = bill_create(
        actor=actor,
        partner=order.partner,
        currency=order.currency,
        exchange_rate=finance.rate_for(order.currency),
        prices_include_tax=order.prices_include_tax,
    )
    for line, quantity in wanted:
        finance.line_add(
            actor=actor,
            document=bill,
            **{
                "po_line": line,
                "item": line.item,
                "description": line.description,
                "quantity": quantity,
                "unit_price": line.unit_price,
                "discount_pct": line.discount_pct,
                "tax_code": line.tax_code,
            },
        )
    match(bill)
    bill.refresh_from_db()
    return bill


def tolerances() -> BooksSettings:
    """The organization's matching tolerances (the defaults until someone changes them)."""
    return BooksSettings.objects.first() or BooksSettings()


def _net_unit(unit_price: Decimal, discount_pct: Decimal) -> Decimal:
    return unit_price * (HUNDRED - discount_pct) / HUNDRED


def line_match(
    line: BillLine, *, billed_before: Decimal, on_this_bill: Decimal, settings: BooksSettings
) -> tuple[str, str]:
    """(match status, reasons) of one bill line against its order line: ``billed_before`` is what approved bills
    took of the order line, ``on_this_bill`` what this bill's earlier lines take of it."""
    po_line = line.po_line
    if po_line is None:
        return MatchStatus.MISMATCH, "Not on a purchase order."
    reasons = []
    order = po_line.purchase_order
    open_quantity = po_line.received - billed_before - on_this_bill
    allowed = open_quantity + open_quantity * settings.qty_tolerance_pct / HUNDRED if open_quantity > 0 else ZERO
    if line.quantity > allowed:
        reasons.append(
            f"Billed {_fmt(line.quantity)}, received and not billed {_fmt(max(open_quantity, ZERO))} "
            f"(tolerance {_fmt(settings.qty_tolerance_pct)} %)."
        )
    if line.bill.currency != order.currency:
        reasons.append(f"Billed in {line.bill.currency}, ordered in {order.currency}.")
    else:
        ordered = _net_unit(po_line.unit_price, po_line.discount_pct)
        billed = _net_unit(line.unit_price, line.discount_pct)
        if abs(billed - ordered) > ordered * settings.price_tolerance_pct / HUNDRED:
            reasons.append(
                f"Unit price {money.round_money(billed)} against {money.round_money(ordered)} on "
                f"{order} (tolerance {_fmt(settings.price_tolerance_pct)} %)."
            )
    return (MatchStatus.MISMATCH if reasons else MatchStatus.MATCHED), " ".join(reasons)


def match(bill: Bill, *, lock: bool = False) -> str:
    """Match every line of ``bill`` (its order lines locked when ``lock``, as approving does) and store the line
    and bill statuses (derived values, like the totals: no event of their own). The bill's status."""
    settings = tolerances()
    lines = list(bill.lines.select_related("po_line__purchase_order", "bill").order_by("position", "id"))
    ids = sorted({line.po_line_id for line in lines if line.po_line_id})
    rows = PurchaseOrderLine.objects.filter(pk__in=ids)
    if lock:
        rows = rows.select_for_update(of=("self",)).order_by("pk")
    billed = {row.pk: row.billed for row in rows}
    taken: dict[int, Decimal] = defaultdict(Decimal)
    statuses = set()
    for line in lines:
        po_line = line.po_line
        before = this_bill = ZERO
        if po_line is not None:
            po_line.billed = billed.get(po_line.pk, po_line.billed)
            before, this_bill = po_line.billed, taken[po_line.pk]
            taken[po_line.pk] += line.quantity
        status, reason = line_match(line, billed_before=before, on_this_bill=this_bill, settings=settings)
        statuses.add(status)
        BillLine.objects.filter(pk=line.pk).update(match_status=status, match_reason=reason[:300])
    overall = "" if not lines else MatchStatus.MISMATCH if MatchStatus.MISMATCH in statuses else MatchStatus.MATCHED
    Bill.objects.filter(pk=bill.pk).update(match_status=overall)
    bill.match_status = overall
    return overall


@transaction.atomic
def bill_approve(*, actor: Membership, obj: Bill, bill_date: date | None = None, due_date: date | None = None) -> Bill:
    """Approve a draft bill: matched again under the order lines' locks; a mismatch needs ``finance.approve``. It
    takes its number (BILL-), its date and due date (the supplier's terms), and adds what it bills to the order
    lines."""
    bill = transitions.locked(obj)
    transitions.check_transition(bill, BillStatus.APPROVED)
    if not bill.lines.exists() or bill.total <= 0:
        raise DomainError("Add a line with an amount before approving.", code=BooksError.NO_LINES, field="lines")
    status = match(bill, lock=True)
    if status == MatchStatus.MISMATCH and not actor.may(APPROVE):
        reasons = "; ".join(
            f"{line.description}: {line.match_reason}" for line in bill.lines.filter(match_status=MatchStatus.MISMATCH)
        )
        raise PermissionDeniedError(
            f"{bill} does not match its order and receipts ({reasons}); someone with the approve permission must "
            "approve it.",
            code=BooksError.MISMATCH_NEEDS_APPROVAL,
            field="match_status",
        )
    dated = bill_date or bill.bill_date or _today()
    due = due_date or bill.due_date or partner_services.due_date(bill.partner, dated)
    _check_due(dated, due)
    fields = {"number": finance.next_number(SequenceKind.BILL), "bill_date": dated, "due_date": due}
    metadata = {"match": status, "approved_despite_mismatch": status == MatchStatus.MISMATCH}
    bill = transitions.transition(bill, to=BillStatus.APPROVED, actor=actor, fields=fields, metadata=metadata)
    _add_billed(bill, actor=actor, sign=1)
    return bill


def _add_billed(bill: Bill, *, actor: Membership, sign: int) -> None:
    """Add (or take back) the bill's quantities to its order lines' ``billed`` (locked, audited)."""
    per_line: dict[int, Decimal] = defaultdict(Decimal)
    for po_line_id, quantity in bill.lines.filter(po_line__isnull=False).values_list("po_line_id", "quantity"):
        per_line[po_line_id] += quantity
    for po_line in PurchaseOrderLine.objects.select_for_update(of=("self",)).filter(pk__in=per_line).order_by("pk"):
        billed = max(po_line.billed + sign * per_line[po_line.pk], ZERO)
        crud.update(po_line, actor=actor, changes={"billed": billed}, allowed=("billed",))


@transaction.atomic
def bill_void(*, actor: Membership, obj: Bill) -> Bill:
    """Void a draft, or an approved bill nothing is paid on (its quantities go back to unbilled)."""
    bill = transitions.locked(obj)
    transitions.check_transition(bill, BillStatus.VOID)
    if bill.amount_paid > 0:
        raise ConflictError(
            f"{bill} has {_fmt(bill.amount_paid)} paid: it cannot be voided.",
            code=BooksError.VOID_WITH_PAYMENTS,
            field="status",
        )
    was_approved = bill.status == BillStatus.APPROVED
    bill = transitions.transition(bill, to=BillStatus.VOID, actor=actor)
    if was_approved:
        _add_billed(bill, actor=actor, sign=-1)
    return bill


# -- payments ------------------------------------------------------------------------------------------------------
class PaymentFields(TypedDict, total=False):
    direction: str
    partner: Partner | int
    paid_on: date
    amount: Decimal
    currency: str
    exchange_rate: Decimal
    method: str
    reference: str
    notes: str


class PaymentChanges(TypedDict, total=False):
    method: str
    reference: str
    notes: str


class AllocationFields(TypedDict, total=False):
    invoice: Invoice | int | None
    bill: Bill | int | None
    amount: Decimal


@transaction.atomic
def payment_create(
    *,
    actor: Membership,
    allocations: list[AllocationFields] | None = None,
    **fields: Unpack[PaymentFields],
) -> Payment:
    """A payment received (in: RCPT-) or made (out: PAY-) in the partner's currency unless another is given, at
    the rate of its day unless given; ``allocations`` apply it to documents at once."""
    values: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
    partner = crud.ref(Partner, values.get("partner"), "partner")
    values["partner"] = partner
    values.setdefault("paid_on", _today())
    values["currency"] = str(values.get("currency") or partner.currency or actor.org.currency).upper()
    if not values.get("exchange_rate"):
        values["exchange_rate"] = finance.rate_for(values["currency"], values["paid_on"])
    kind = SequenceKind.PAYMENT_OUT if values.get("direction") == Direction.OUT else SequenceKind.PAYMENT_IN
    values["number"] = finance.next_number(kind)
    values["created_by"] = actor.user
    payment = crud.create(
        Payment, actor=actor, values=values, allowed=[*PaymentFields.__annotations__, "number", "created_by"]
    )
    if allocations:
        payment = payment_allocate(actor=actor, obj=payment, allocations=allocations)
    return payment


def payment_update(*, actor: Membership, obj: Payment, **changes: Unpack[PaymentChanges]) -> Payment:
    """A payment's method, reference and notes (its amount, date and rate are what the bank did)."""
    return crud.update(obj, actor=actor, changes=changes, allowed=PaymentChanges)


def _allocation_target(payment: Payment, spec: AllocationFields) -> Invoice | Bill:
    """The document an allocation names, locked: one of the payment's partner, in its currency, open, and of the
    kind the payment's direction settles (in: invoices; out: bills, or a credit note refunded)."""
    invoice, bill = spec.get("invoice"), spec.get("bill")
    if (invoice is None) == (bill is None):
        raise DomainError(
            "Allocate to an invoice or to a bill (one of them).", code=BooksError.ALLOCATION_DOCUMENT, field="invoice"
        )
    field = "invoice" if invoice is not None else "bill"
    document: Invoice | Bill = (
        crud.ref(Invoice, invoice, "invoice") if invoice is not None else crud.ref(Bill, bill, "bill")
    )
    document = transitions.locked(document)
    if isinstance(document, Invoice):
        settles = InvoiceKind.INVOICE if payment.direction == Direction.IN else InvoiceKind.CREDIT_NOTE
        fits, is_open = document.kind == settles, document.status in OPEN_STATUSES
    else:
        fits, is_open = payment.direction == Direction.OUT, document.status in OPEN_BILL_STATUSES
    if not fits:
        what = "invoices" if payment.direction == Direction.IN else "bills and credit notes (refunds)"
        raise DomainError(
            f"A payment {payment.get_direction_display().lower()} settles {what}; {document} is not one.",
            code=BooksError.ALLOCATION_DOCUMENT,
            field=field,
        )
    if document.partner_id != payment.partner_id:
        raise DomainError(f"{document} is another partner's.", code=BooksError.ALLOCATION_PARTNER, field=field)
    if document.currency != payment.currency:
        raise DomainError(
            f"{document} is in {document.currency}, the payment in {payment.currency}.",
            code=BooksError.ALLOCATION_CURRENCY,
            field=field,
        )
    if not is_open:
        raise DomainError(
            f"{document} is {document.get_status_display().lower()}: nothing is open on it.",
            code=BooksError.ALLOCATION_NOT_OPEN,
            field=field,
        )
    return document


@transaction.atomic
def payment_allocate(*, actor: Membership, obj: Payment, allocations: list[AllocationFields]) -> Payment:
    """Apply parts of a payment to documents: each within its document's balance, all within what of the payment
    is not allocated yet; each document moves to part paid or paid, the exchange difference is stored."""
    payment = transitions.locked(obj)
    if not allocations:
        raise DomainError("Name at least one document.", code=BooksError.ALLOCATION_DOCUMENT, field="allocations")
    asked = sum((Decimal(spec.get("amount") or 0) for spec in allocations), ZERO)
    if asked > payment.unallocated:
        raise DomainError(
            f"Allocating {_fmt(asked)} is more than the {_fmt(payment.unallocated)} of {payment} not allocated yet.",
            code=BooksError.OVER_ALLOCATED,
            field="amount",
        )
    for spec in allocations:
        document = _allocation_target(payment, spec)
        amount = Decimal(spec.get("amount") or 0)
        if amount <= 0:
            raise DomainError("Allocate a positive amount.", code=BooksError.OVER_PAID, field="amount")
        if amount > document.balance:
            raise DomainError(
                f"{document} has {_fmt(document.balance)} open; {_fmt(amount)} is more.",
                code=BooksError.OVER_PAID,
                field="amount",
            )
        fx = money.round_money((payment.exchange_rate - document.exchange_rate) * amount)
        key = "invoice" if isinstance(document, Invoice) else "bill"
        values = {"payment": payment, key: document, "amount": amount, "fx_difference": fx}
        crud.create(PaymentAllocation, actor=actor, values=values, allowed=[*values])
        _settle(document, actor=actor, delta=amount, metadata={"payment": payment.number})
    return crud.update(payment, actor=actor, changes={"allocated": payment.allocated + asked}, allowed=("allocated",))


# -- settings and account codes ------------------------------------------------------------------------------------
class BooksSettingsFields(TypedDict, total=False):
    qty_tolerance_pct: Decimal
    price_tolerance_pct: Decimal


class AccountMappingFields(TypedDict, total=False):
    receivables: str
    payables: str
    revenue: str
    purchases: str
    tax_collected: str
    tax_paid: str
    bank: str
    fx_gain_loss: str


def accounts() -> AccountMapping:
    """The organization's account codes (the defaults until someone changes them)."""
    return AccountMapping.objects.first() or AccountMapping()


@transaction.atomic
def books_settings_update(*, actor: Membership, **changes: Unpack[BooksSettingsFields]) -> BooksSettings:
    current = BooksSettings.objects.first()
    if current is None:
        return crud.create(BooksSettings, actor=actor, values=dict(changes), allowed=BooksSettingsFields)
    return crud.update(current, actor=actor, changes=changes, allowed=BooksSettingsFields)


@transaction.atomic
def account_mapping_update(*, actor: Membership, **changes: Unpack[AccountMappingFields]) -> AccountMapping:
    current = AccountMapping.objects.first()
    if current is None:
        return crud.create(AccountMapping, actor=actor, values=dict(changes), allowed=AccountMappingFields)
    return crud.update(current, actor=actor, changes=changes, allowed=AccountMappingFields)
