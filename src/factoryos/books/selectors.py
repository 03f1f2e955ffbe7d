"""Reads of the book (Readers: see kernel/reads.py), its reports as plain rows in the organization's currency, the
journal an accountant loads into their ledger, and the credit exposure sales asks about.

Every report records one LIST event (or EXPORT, when it is downloaded) with its parameters and row count.
Amounts in the organization's currency are converted with each document's own stored rate (finance.money.convert,
rounded once per amount); a credit note counts negative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from factoryos.books import filters
from factoryos.books.models import (
    OPEN_BILL_STATUSES,
    OPEN_STATUSES,
    AccountMapping,
    Bill,
    BillLine,
    BillStatus,
    Direction,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
)
from factoryos.finance import services as finance
from factoryos.finance.money import ZERO, convert, round_money
from factoryos.inventory.models import ItemValuation, MoveReason, StockMove
from factoryos.kernel import events
from factoryos.kernel.events import Action, Actor
from factoryos.kernel.reads import Reader
from factoryos.kernel.tenancy import require_org
from factoryos.partners.models import Partner
from factoryos.sales.models import OPEN_STATUSES as OPEN_ORDER_STATUSES
from factoryos.sales.models import SalesOrderLine

invoices = Reader(
    Invoice,
    queryset=lambda: Invoice.objects.select_related("partner", "credited_invoice"),
    filterset=filters.InvoiceFilterSet,
)
invoice_lines = Reader(
    InvoiceLine,
    queryset=lambda: InvoiceLine.objects.select_related("invoice", "item", "tax_code", "order_line__order"),
    filterset=filters.InvoiceLineFilterSet,
)
bills = Reader(Bill, queryset=lambda: Bill.objects.select_related("partner"), filterset=filters.BillFilterSet)
bill_lines = Reader(
    BillLine,
    queryset=lambda: BillLine.objects.select_related("bill", "item", "tax_code", "po_line__purchase_order"),
    filterset=filters.BillLineFilterSet,
)
payments = Reader(
    Payment, queryset=lambda: Payment.objects.select_related("partner"), filterset=filters.PaymentFilterSet
)
payment_allocations = Reader(
    PaymentAllocation,
    queryset=lambda: PaymentAllocation.objects.select_related("payment", "invoice", "bill"),
    filterset=filters.PaymentAllocationFilterSet,
)


def _today() -> date:
    return timezone.localdate()


def org_currency() -> str:
    return require_org().currency


# -- credit exposure (sales asks before confirming an order) ---------------------------------------------------------
def credit_exposure(partner: Partner) -> tuple[Decimal, bool]:
    """(what the customer owes on issued invoices less open credit notes, in the partner's currency; whether any
    invoice is overdue). A document in another currency is converted through the organization's currency."""
    rows = Invoice.objects.filter(partner=partner, status__in=OPEN_STATUSES).values_list(
        "kind", "currency", "exchange_rate", "total", "amount_paid", "due_date"
    )
    currency = (partner.currency or org_currency()).upper()
    today = _today()
    owed, overdue = ZERO, False
    partner_rate: Decimal | None = None
    for kind, doc_currency, rate, total, paid, due in rows:
        sign = -1 if kind == InvoiceKind.CREDIT_NOTE else 1
        balance = sign * (total - paid)
        if doc_currency == currency:
            owed += balance
        else:
            partner_rate = partner_rate or finance.rate_for(currency)
            owed += round_money(balance * rate / partner_rate)
        overdue = overdue or (kind == InvoiceKind.INVOICE and due is not None and due < today)
    return owed, overdue


# -- reports -------------------------------------------------------------------------------------------------------
BUCKETS = (("current", "Current"), ("d1_30", "1-30"), ("d31_60", "31-60"), ("d61_90", "61-90"), ("d90_plus", "90+"))


def bucket_of(due: date | None, on: date) -> str:
    """The aging bucket of a document due on ``due``, seen on ``on``: current until its due date, then by days late."""
    late = (on - due).days if due is not None else 0
    if late <= 0:
        return "current"
    if late <= 30:
        return "d1_30"
    if late <= 60:
        return "d31_60"
    if late <= 90:
        return "d61_90"
    return "d90_plus"


@dataclass(frozen=True)
class Summary:
    """What a report page shows: its first rows, the totals of all its rows and how many there are."""

    rows: list[dict[str, Any]]
    totals: dict[str, Decimal]
    count: int


def aging(kind: str, *, on: date | None = None, limit: int | None = None) -> Summary:
    """Receivables (``ar``: open invoices less open credit notes) or payables (``ap``: open bills) per partner, by
    how late they are on ``on`` (today), in the organization's currency; the largest balance first, the first
    ``limit`` partners (all by default), with the totals over every partner.

    Two aggregates in the database: each document's open amount converted at its own rate and rounded to the cent
    (as finance.money.convert does), summed per partner into the buckets ``bucket_of`` describes (the top ``limit``
    by balance), and the same sums over all of them."""
    on = on or _today()
    if kind == "ar":
        documents: QuerySet[Any] = Invoice.objects.filter(status__in=OPEN_STATUSES)
        sign: Any = Case(When(kind=InvoiceKind.CREDIT_NOTE, then=Value(-1)), default=Value(1))
    else:
        documents, sign = Bill.objects.filter(status__in=OPEN_BILL_STATUSES), Value(1)
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)
    amount = Round((F("total") - F("amount_paid")) * F("exchange_rate") * sign, 2, output_field=money)
    late = {
        "current": Q(due_date__isnull=True) | Q(due_date__gte=on),
        "d1_30": Q(due_date__lt=on, due_date__gte=on - timedelta(days=30)),
        "d31_60": Q(due_date__lt=on - timedelta(days=30), due_date__gte=on - timedelta(days=60)),
        "d61_90": Q(due_date__lt=on - timedelta(days=60), due_date__gte=on - timedelta(days=90)),
        "d90_plus": Q(due_date__lt=on - timedelta(days=90)),
    }
    sums = {key: Coalesce(Sum(amount, filter=late[key]), Value(ZERO), output_field=money) for key, _label in BUCKETS}
    sums["total"] = Coalesce(Sum(amount), Value(ZERO), output_field=money)
    grouped = documents.values("partner_id").annotate(**sums).order_by("-total", "partner_id")
    per_partner = list(grouped if limit is None else grouped[:limit])
    partners = Partner.objects.in_bulk([row["partner_id"] for row in per_partner])
    rows = []
    for row in per_partner:
        partner = partners[row["partner_id"]]
        money_of = {key: round_money(row[key]) for key in sums}  # SQLite sums floats
        rows.append({"partner_id": partner.pk, "code": partner.code, "name": partner.display_name, **money_of})
    rows.sort(key=lambda r: (-r["total"], r["code"]))
    if limit is None:  # every partner's row is here: their sums are the totals
        return Summary(rows, totals_of(rows, sums), len(rows))
    whole = documents.aggregate(**sums, partners=Count("partner_id", distinct=True))
    return Summary(rows, {key: round_money(whole[key]) for key in sums}, whole["partners"])


def totals_of(rows: list[dict[str, Any]], keys: Iterable[str]) -> dict[str, Decimal]:
    return {key: sum((row[key] for row in rows), ZERO) for key in keys}


def _sold_lines(date_from: date | None, date_to: date | None) -> QuerySet[InvoiceLine]:
    lines = InvoiceLine.objects.filter(invoice__status__in=(*OPEN_STATUSES, InvoiceStatus.PAID))
    if date_from:
        lines = lines.filter(invoice__issued_on__gte=date_from)
    if date_to:
        lines = lines.filter(invoice__issued_on__lte=date_to)
    return lines


def unit_costs(item_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each item's cost per unit for margins: its moving average cost, or its standard cost if it has none yet."""
    from factoryos.catalog.models import Item

    ids = [pk for pk in set(item_ids) if pk]
    costs = dict(Item.objects.filter(pk__in=ids).values_list("pk", "standard_cost"))
    average = ItemValuation.objects.filter(item_id__in=ids, quantity__gt=0).values_list("item_id", "average_cost")
    costs.update(dict(average))
    return costs


def shipped_costs(numbers: set[str]) -> dict[tuple[str, int], Decimal]:
    """The unit cost each shipment's stock moves went out at, by (shipment number, item): a shipped line's cost."""
    moves = StockMove.objects.filter(reason=MoveReason.SHIPMENT, reference__in=numbers, unit_cost__isnull=False)
    return {(reference, item): cost for reference, item, cost in moves.values_list("reference", "item_id", "unit_cost")}


def _margins(group: Callable[[dict[str, Any]], tuple[Any, ...]], date_from: date | None, date_to: date | None):
    """Net sales (org currency, credit notes negative), cost (quantity x unit cost) and margin, grouped."""
    fields = ("item_id", "quantity", "net", "invoice__kind", "invoice__exchange_rate", "invoice__partner_id")
    rows = list(
        _sold_lines(date_from, date_to).values(
            *fields, "item__sku", "item__name", "invoice__partner__code", "shipment_line__shipment__number"
        )
    )
    costs = unit_costs(row["item_id"] for row in rows)
    shipped = shipped_costs({row["shipment_line__shipment__number"] for row in rows} - {None})
    grouped: dict[tuple[Any, ...], dict[str, Decimal]] = defaultdict(
        lambda: {"quantity": ZERO, "net": ZERO, "cost": ZERO}
    )
    for row in rows:
        sign = -1 if row["invoice__kind"] == InvoiceKind.CREDIT_NOTE else 1
        entry = grouped[group(row)]
        entry["quantity"] += sign * row["quantity"]
        entry["net"] += convert(sign * row["net"], row["invoice__exchange_rate"])
        unit = shipped.get((row["shipment_line__shipment__number"], row["item_id"]), costs.get(row["item_id"], ZERO))
        entry["cost"] += round_money(sign * row["quantity"] * unit)
    return grouped


def _with_margin(entry: dict[str, Decimal]) -> dict[str, Decimal | None]:
    margin = entry["net"] - entry["cost"]
    pct = round_money(margin * 100 / entry["net"]) if entry["net"] else None
    return {**entry, "margin": margin, "margin_pct": pct}


def sales_by_customer(*, date_from: date | None = None, date_to: date | None = None) -> list[dict[str, Any]]:
    """Net sales, cost and margin per customer for invoices issued in the range (org currency)."""
    grouped = _margins(lambda row: (row["invoice__partner_id"],), date_from, date_to)
    partners = Partner.objects.in_bulk([key[0] for key in grouped])
    rows = [
        {"partner_id": pk, "code": partners[pk].code, "name": partners[pk].display_name, **_with_margin(entry)}
        for (pk,), entry in grouped.items()
    ]
    rows.sort(key=lambda r: (-r["net"], r["code"]))
    return rows


def sales_by_item(*, date_from: date | None = None, date_to: date | None = None) -> list[dict[str, Any]]:
    """Quantity, net sales, cost and margin per item (free-text lines together) for the range (org currency)."""
    grouped = _margins(lambda row: (row["item_id"], row["item__sku"], row["item__name"]), date_from, date_to)
    rows = [
        {"item_id": pk, "sku": sku or "", "name": name or "(lines without an item)", **_with_margin(entry)}
        for (pk, sku, name), entry in grouped.items()
    ]
    rows.sort(key=lambda r: (-r["net"], r["sku"]))
    return rows


def open_orders() -> list[dict[str, Any]]:
    """Lines of confirmed sales orders not fully shipped or not fully invoiced: what is left, and its value (the
    uninvoiced quantity at the line's net unit price, in the organization's currency)."""
    from factoryos.books.services import invoiced_quantities

    lines = list(
        SalesOrderLine.objects.filter(order__status__in=(*OPEN_ORDER_STATUSES, "shipped"))
        .select_related("order__partner", "item")
        .order_by("order__order_date", "order__number", "position", "id")
    )
    invoiced = invoiced_quantities([line.pk for line in lines])
    rows = []
    for line in lines:
        done = invoiced.get(line.pk, ZERO)
        to_ship, to_invoice = line.quantity - line.shipped, line.quantity - done
        if to_ship <= 0 and to_invoice <= 0:
            continue
        order = line.order
        value = convert(line.net * max(to_invoice, ZERO) / line.quantity, order.exchange_rate)
        rows.append(
            {
                "order_id": order.pk,
                "order": order.number,
                "order_date": order.order_date,
                "customer": order.partner.code,
                "item": line.item.sku if line.item_id else "",
                "description": line.description,
                "ordered": line.quantity,
                "shipped": line.shipped,
                "invoiced": done,
                "to_ship": max(to_ship, ZERO),
                "to_invoice": max(to_invoice, ZERO),
                "open_value": value,
            }
        )
    return rows


def purchase_spend(*, date_from: date | None = None, date_to: date | None = None) -> list[dict[str, Any]]:
    """Approved bills per supplier dated in the range: how many, net, tax and total in the organization's currency."""
    bills_in = Bill.objects.filter(status__in=(*OPEN_BILL_STATUSES, BillStatus.PAID))
    if date_from:
        bills_in = bills_in.filter(bill_date__gte=date_from)
    if date_to:
        bills_in = bills_in.filter(bill_date__lte=date_to)
    per_partner: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {"bills": Decimal(0), "net": ZERO, "tax": ZERO, "total": ZERO}
    )
    for partner_id, rate, net, tax in bills_in.values_list("partner_id", "exchange_rate", "net_total", "tax_total"):
        row = per_partner[partner_id]
        net_o, tax_o = convert(net, rate), convert(tax, rate)
        row["bills"] += 1
        row["net"] += net_o
        row["tax"] += tax_o
        row["total"] += net_o + tax_o
    partners = Partner.objects.in_bulk(list(per_partner))
    rows = [
        {"partner_id": pk, "code": partners[pk].code, "name": partners[pk].display_name, **row}
        for pk, row in per_partner.items()
    ]
    rows.sort(key=lambda r: (-r["total"], r["code"]))
    return rows


def sales_by_month(months: int = 6, *, on: date | None = None) -> list[dict[str, Any]]:
    """Net sales (org currency) of each of the last ``months`` calendar months, oldest first (the dashboard)."""
    on = on or _today()
    starts = []
    year, month = on.year, on.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    rows = []
    for start in starts:
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        total = ZERO
        invoiced = Invoice.objects.filter(
            status__in=(*OPEN_STATUSES, InvoiceStatus.PAID), issued_on__gte=start, issued_on__lte=end
        )
        for kind, rate, net in invoiced.values_list("kind", "exchange_rate", "net_total"):
            total += convert(-net if kind == InvoiceKind.CREDIT_NOTE else net, rate)
        rows.append({"month": start.strftime("%b %Y"), "net": total})
    return rows


# -- the journal ---------------------------------------------------------------------------------------------------
@dataclass
class Entry:
    """One document's journal lines (account, debit, credit), balanced by construction."""

    day: date
    document: str
    memo: str
    lines: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)

    def add(self, account: str, amount: Decimal, *, debit: bool) -> None:
        """A line of ``amount`` (a negative one goes to the other side); zero amounts are left out."""
        if amount == 0:
            return
        if amount < 0:
            amount, debit = -amount, not debit
        self.lines.append((account, amount, ZERO) if debit else (account, ZERO, amount))

    @property
    def debits(self) -> Decimal:
        return sum((d for _a, d, _c in self.lines), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((c for _a, _d, c in self.lines), ZERO)


def _day(moment: Any) -> date:
    return timezone.localdate(moment) if moment is not None else _today()


def _invoice_entries(invoice: Invoice, codes: AccountMapping, date_from: date, date_to: date) -> list[Entry]:
    """Issuing posts receivables against revenue and tax collected (a credit note the other way); voiding posts
    the reverse on the day it was voided."""
    net, tax = convert(invoice.net_total, invoice.exchange_rate), convert(invoice.tax_total, invoice.exchange_rate)
    entries = []
    memo = f"{invoice.get_kind_display()} {invoice.partner.code}"
    for day, reverse, label in ((invoice.issued_on, False, ""), (_day(invoice.void_at), True, " void")):
        if label and invoice.status != InvoiceStatus.VOID:
            continue
        if day is None or not date_from <= day <= date_to:
            continue
        debit = (invoice.kind == InvoiceKind.INVOICE) != reverse
        entry = Entry(day, invoice.number, memo + label)
        entry.add(codes.receivables, net + tax, debit=debit)
        entry.add(codes.revenue, net, debit=not debit)
        entry.add(codes.tax_collected, tax, debit=not debit)
        entries.append(entry)
    return entries


def _bill_entries(bill: Bill, codes: AccountMapping, date_from: date, date_to: date) -> list[Entry]:
    net, tax = convert(bill.net_total, bill.exchange_rate), convert(bill.tax_total, bill.exchange_rate)
    entries = []
    memo = f"Bill {bill.partner.code} {bill.supplier_reference}".strip()
    for day, reverse, label in ((bill.bill_date, False, ""), (_day(bill.void_at), True, " void")):
        if label and (bill.status != BillStatus.VOID or bill.approved_at is None):
            continue
        if day is None or not date_from <= day <= date_to:
            continue
        entry = Entry(day, bill.number, memo + label)
        entry.add(codes.purchases, net, debit=not reverse)
        entry.add(codes.tax_paid, tax, debit=not reverse)
        entry.add(codes.payables, net + tax, debit=reverse)
        entries.append(entry)
    return entries


def _payment_entry(payment: Payment, codes: AccountMapping) -> Entry:
    """Bank against the documents it settles, each at its own rate; the exchange difference to its account (a
    gain on money received at a higher rate, a loss on money paid at one); what is not allocated yet is a
    prepayment on the partner's account at the payment's rate."""
    incoming = payment.direction == Direction.IN
    entry = Entry(
        payment.paid_on, payment.number, f"Payment {payment.get_direction_display().lower()} {payment.partner.code}"
    )
    bank = ZERO
    for allocation in payment.allocations.all():
        document = allocation.document
        assert document is not None
        account = codes.payables if allocation.bill_id else codes.receivables
        settled = convert(allocation.amount, document.exchange_rate)
        entry.add(account, settled, debit=not incoming)
        entry.add(codes.fx_gain_loss, allocation.fx_difference, debit=not incoming)
        bank += settled + allocation.fx_difference
    if payment.unallocated:
        prepaid = convert(payment.unallocated, payment.exchange_rate)
        entry.add(codes.receivables if incoming else codes.payables, prepaid, debit=not incoming)
        bank += prepaid
    entry.lines.insert(0, (codes.bank, bank, ZERO) if incoming else (codes.bank, ZERO, bank))
    return entry


def journal_entries(*, date_from: date, date_to: date) -> list[Entry]:
    """The journal of the range: issued (and voided) invoices and credit notes, approved (and voided) bills,
    payments; each document's entry balances, in the organization's currency; by date, then document."""
    from factoryos.books.services import accounts

    codes = accounts()
    entries: list[Entry] = []
    in_range = Q(void_at__date__gte=date_from)
    issued = Invoice.objects.filter(issued_on__isnull=False, issued_on__lte=date_to)
    for invoice in issued.filter(Q(issued_on__gte=date_from) | in_range).select_related("partner"):
        entries += _invoice_entries(invoice, codes, date_from, date_to)
    approved = Bill.objects.filter(approved_at__isnull=False, bill_date__lte=date_to)
    for bill in approved.filter(Q(bill_date__gte=date_from) | in_range).select_related("partner"):
        entries += _bill_entries(bill, codes, date_from, date_to)
    paid = Payment.objects.filter(paid_on__gte=date_from, paid_on__lte=date_to).select_related("partner")
    for payment in paid.prefetch_related("allocations__invoice", "allocations__bill"):
        entries.append(_payment_entry(payment, codes))
    entries.sort(key=lambda e: (e.day, e.document))
    return entries


JOURNAL_HEADERS = ["date", "document", "account", "debit", "credit", "currency", "memo"]


def journal_rows(entries: list[Entry]) -> list[list[Any]]:
    currency = org_currency()
    return [
        [entry.day.isoformat(), entry.document, account, debit, credit, currency, entry.memo]
        for entry in entries
        for account, debit, credit in entry.lines
    ]


# -- the dashboard -------------------------------------------------------------------------------------------------
def headline(*, on: date | None = None) -> dict[str, Any]:
    """The numbers the Book dashboard leads with (org currency)."""
    on = on or _today()
    ar_totals, ap_totals = aging("ar", on=on, limit=0).totals, aging("ap", on=on, limit=0).totals
    month_start = on.replace(day=1)
    sold = sales_by_customer(date_from=month_start, date_to=on)
    unallocated = (
        Payment.objects.filter(direction=Direction.IN).aggregate(open=Sum(F("amount") - F("allocated")))["open"] or ZERO
    )
    return {
        "currency": org_currency(),
        "receivable": ar_totals["total"],
        "overdue_receivable": ar_totals["total"] - ar_totals["current"],
        "payable": ap_totals["total"],
        "overdue_payable": ap_totals["total"] - ap_totals["current"],
        "sales_this_month": sum((row["net"] for row in sold), ZERO),
        "margin_this_month": sum((row["margin"] for row in sold), ZERO),
        "unallocated_receipts": unallocated,
        "ar_buckets": [(label, ar_totals[key]) for key, label in BUCKETS],
        "ap_buckets": [(label, ap_totals[key]) for key, label in BUCKETS],
        "by_month": sales_by_month(on=on),
        "top_customers": sold[:5],
    }


def record_report(
    *,
    actor: Actor | None,
    report: str,
    object_type: str,
    criteria: dict[str, Any],
    count: int,
    action: str = Action.LIST,
) -> None:
    events.record_list(
        object_type=object_type, criteria=criteria, count=count, actor=actor, action=action, report=report
    )
