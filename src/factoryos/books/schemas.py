"""The book's API bodies, derived from the models and the services' fields (kernel/schemas.py)."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from factoryos.books import services as f  # the fields each service takes
from factoryos.books.models import (
    AccountMapping,
    Bill,
    BillLine,
    BooksSettings,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentAllocation,
)
from factoryos.books.reports import ROWS_SHOWN
from factoryos.kernel.filters import Day
from factoryos.kernel.limits import of
from factoryos.kernel.schemas import RefId, bodies, reply

LINE = ("position", "item", "description", "quantity", "unit_price", "discount_pct", "tax_code")
LINE_OUT = (*LINE, "tax_rate", "net", "tax", "gross")
TOTALS = ("currency", "exchange_rate", "prices_include_tax", "net_total", "tax_total", "total", "amount_paid")
STATE = {"display_status": str, "balance": Decimal}

InvoiceOut = reply(
    Invoice,
    ("number", "kind", "status", "partner", "credited_invoice", "reference", "issued_on", "due_date"),
    (*TOTALS, "notes", "created_at", "issued_at", "paid_at", "void_at"),
    extra=STATE,
)
InvoiceIn, InvoicePatch = bodies(
    Invoice, f.InvoiceFields, fixed=("kind",), defaulted=("currency", "exchange_rate"), required=("partner",)
)
InvoiceLineOut = reply(InvoiceLine, "invoice", *LINE_OUT, "order_line", "shipment_line")
InvoiceLineIn, InvoiceLinePatch = bodies(
    InvoiceLine,
    "invoice",
    *LINE,
    "order_line",
    fixed=("invoice",),
    required=("invoice", "quantity"),
    defaulted=("unit_price", "tax_code", "position"),
)

BillOut = reply(
    Bill,
    ("number", "status", "match_status", "partner", "supplier_reference", "bill_date", "due_date"),
    (*TOTALS, "notes", "created_at", "approved_at", "approved_by", "paid_at", "void_at"),
    extra=STATE,
)
BillIn, BillPatch = bodies(Bill, f.BillFields, defaulted=("currency", "exchange_rate"), required=("partner",))
BillLineOut = reply(BillLine, "bill", *LINE_OUT, "po_line", "receipt_line", "match_status", "match_reason")
BillLineIn, BillLinePatch = bodies(
    BillLine,
    "bill",
    *LINE,
    "po_line",
    "receipt_line",
    fixed=("bill",),
    required=("bill",),
    defaulted=("quantity", "unit_price", "tax_code", "position"),
)

Amount = Annotated[Decimal, Field(**of(PaymentAllocation, "amount").pydantic())]


class AllocationIn(Schema):
    invoice: RefId | None = Field(None, description="An invoice (payment in) or a credit note refunded (payment out)")
    bill: RefId | None = Field(None, description="A supplier bill (payment out)")
    amount: Amount


Allocations = Annotated[list[AllocationIn], Field(min_length=1, max_length=200)]

PaymentOut = reply(
    Payment,
    ("number", "direction", "partner", "paid_on", "amount", "currency", "exchange_rate", "method", "reference"),
    ("allocated", "notes", "created_at"),
    extra={"unallocated": Decimal},
)
PaymentIn, _ = bodies(
    Payment,
    f.PaymentFields,
    required=("direction", "partner", "amount"),
    defaulted=("paid_on", "currency", "exchange_rate"),
    extra={"allocations": (Allocations | None, Field(None, description="Apply the payment to documents at once"))},
)
_, PaymentPatch = bodies(Payment, f.PaymentChanges, name="PaymentChange")
PaymentAllocationOut = reply(PaymentAllocation, "payment", "invoice", "bill", "amount", "fx_difference", "created_at")


class AllocateIn(Schema):
    allocations: Allocations


class InvoiceIssueIn(Schema):
    issued_on: Day | None = Field(None, description="Today unless given (or set on the draft)")
    due_date: Day | None = Field(None, description="From the customer's payment terms unless given")


class ApproveIn(Schema):
    bill_date: Day | None = Field(None, description="Today unless given (or set on the draft)")
    due_date: Day | None = Field(None, description="From the supplier's payment terms unless given")


class FromOrderIn(Schema):
    order: RefId
    shipped_only: bool = Field(False, description="Only what is shipped and not invoiced yet")


class FromShipmentIn(Schema):
    shipment: RefId


class FromPurchaseOrderIn(Schema):
    order: RefId


BooksSettingsOut = reply(BooksSettings, f.BooksSettingsFields)
_, BooksSettingsPatch = bodies(BooksSettings, f.BooksSettingsFields)
AccountMappingOut = reply(AccountMapping, f.AccountMappingFields)
_, AccountMappingPatch = bodies(AccountMapping, f.AccountMappingFields)


class ReportParams(Schema):
    on: Day | None = Field(None, description="Aging: the day to age on (today)")
    date_from: Day | None = Field(None, description="Sales and spend: from this day (issue or bill date)")
    date_to: Day | None = Field(None, description="Sales and spend: up to this day")


class JournalParams(Schema):
    date_from: Day | None = Field(None, description="From this day (the first of this month)")
    date_to: Day | None = Field(None, description="Up to this day (today)")


class ColumnOut(Schema):
    key: str
    label: str
    numeric: bool
    money: bool = Field(description="An amount in the organization's currency (else a quantity, a count or a %)")


class ReportOut(Schema):
    report: str
    title: str
    currency: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]] = Field(
        description=f"The first {ROWS_SHOWN} rows (aging: the largest balances); the export has every row"
    )
    count: int = Field(description="How many rows the report has in all")
    totals: dict[str, Decimal] = Field(description="The totals of all the rows, not only of those shown")


class JournalLineOut(Schema):
    date: date
    document: str
    account: str
    debit: Decimal
    credit: Decimal
    currency: str
    memo: str


class JournalOut(Schema):
    date_from: date
    date_to: date
    debits: Decimal
    credits: Decimal
    lines: list[JournalLineOut]
