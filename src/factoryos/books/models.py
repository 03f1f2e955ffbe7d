"""Book: customer invoices and credit notes, supplier bills matched to their order and receipts, payments in and
out allocated to them, the organization's matching tolerances and the account codes of its journal export.

Statuses (each a Flow, who/when stamped):

- Invoice / credit note: draft -> issued -> part_paid -> paid; issued -> void (only while nothing is paid: a paid
  or part-paid invoice is reversed with a credit note, so what was paid stays on the books). The number (INV-/CN-)
  is taken when it is issued, not drafted: drafts that are thrown away leave no gap.
- Bill: draft -> approved -> part_paid -> paid; draft or approved -> void (nothing paid). Approving takes the
  number (BILL-) and adds the billed quantities to the purchase order lines.
- Overdue is not stored: an issued or part-paid invoice (or an approved bill) whose due date has passed *is*
  overdue, so lists and reports derive it from the due date when they read (``display_status``, the ``overdue``
  filter). A stored flag would need a nightly task, be wrong until it ran, and stamp a "transition" nobody made.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from factoryos.finance.models import MONEY, RATE, ZERO, PricedDocument, PricedLine
from factoryos.kernel.fields import BoundedTextField
from factoryos.kernel.tenancy import TenantModel
from factoryos.kernel.transitions import Flow, stamps

TOLERANCE = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(ZERO), MaxValueValidator(100)]}


# -- invoices and credit notes ---------------------------------------------------------------------------------------
class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit_note", "Credit note"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"
    PART_PAID = "part_paid", "Part paid"
    PAID = "paid", "Paid"
    VOID = "void", "Void"


OVERDUE = "overdue"  # a derived status (see the module's docstring)
OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PART_PAID)

INVOICE_FLOW = Flow(
    moves={
        InvoiceStatus.DRAFT: {InvoiceStatus.ISSUED},
        InvoiceStatus.ISSUED: {InvoiceStatus.PART_PAID, InvoiceStatus.PAID, InvoiceStatus.VOID},
        InvoiceStatus.PART_PAID: {InvoiceStatus.PAID},
    },
    editable={InvoiceStatus.DRAFT},
    locked_message="{obj} is {state}: only a draft changes (reverse an issued one with a credit note).",
)


class Invoice(PricedDocument):
    """A customer invoice or credit note, in the customer's currency with the rate of its day."""

    flow = INVOICE_FLOW

    kind = models.CharField(max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    status = models.CharField(max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT)
    credited_invoice = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        help_text="For a credit note: the invoice it reverses (its balance is reduced when the note is issued)",
    )
    reference = models.CharField(max_length=60, blank=True, help_text="The customer's order number")
    issued_on = models.DateField("issue date", null=True, blank=True, help_text="Today when issued, unless given")
    due_date = models.DateField(null=True, blank=True, help_text="From the customer's payment terms, unless given")
    amount_paid = models.DecimalField(**MONEY, default=ZERO, editable=False, help_text="Paid or credited so far")
    issued_at, issued_by = stamps()
    part_paid_at, part_paid_by = stamps()
    paid_at, paid_by = stamps()
    void_at, void_by = stamps()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind", "number"], condition=~Q(number=""), name="invoice_org_kind_number"
            ),
            models.CheckConstraint(condition=Q(amount_paid__gte=0), name="invoice_paid_non_negative"),
            models.CheckConstraint(condition=Q(amount_paid__lte=F("total")), name="invoice_paid_within_total"),
            models.CheckConstraint(
                condition=Q(credited_invoice__isnull=True) | Q(kind=InvoiceKind.CREDIT_NOTE),
                name="invoice_credit_only_on_notes",
            ),
        ]
        indexes = [models.Index(fields=["org", "status", "due_date"], name="invoice_org_status_due")]

    def __str__(self) -> str:
        return self.number or f"Draft {self.get_kind_display().lower()} {self.pk}"

    @property
    def balance(self) -> Decimal:
        """What is still to be paid (or, for a credit note, to be refunded or used)."""
        return self.total - self.amount_paid

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_STATUSES and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def display_status(self) -> str:
        """The status people see: ``overdue`` for an open document past its due date (derived, never stored)."""
        return OVERDUE if self.is_overdue else self.status

    @property
    def sign(self) -> int:
        """+1 for an invoice, -1 for a credit note (what the customer owes)."""
        return -1 if self.kind == InvoiceKind.CREDIT_NOTE else 1


class InvoiceLine(PricedLine):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "sales.SalesOrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_lines"
    )
    shipment_line = models.ForeignKey(
        "shipping.ShipmentLine", null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_lines"
    )

    document_field = "invoice"

    class Meta(PricedLine.Meta):
        pass


# -- supplier bills --------------------------------------------------------------------------------------------------
class BillStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PART_PAID = "part_paid", "Part paid"
    PAID = "paid", "Paid"
    VOID = "void", "Void"


class MatchStatus(models.TextChoices):
    MATCHED = "matched", "Matched"
    MISMATCH = "mismatch", "Mismatch"


OPEN_BILL_STATUSES = (BillStatus.APPROVED, BillStatus.PART_PAID)

BILL_FLOW = Flow(
    moves={
        BillStatus.DRAFT: {BillStatus.APPROVED, BillStatus.VOID},
        BillStatus.APPROVED: {BillStatus.PART_PAID, BillStatus.PAID, BillStatus.VOID},
        BillStatus.PART_PAID: {BillStatus.PAID},
    },
    editable={BillStatus.DRAFT},
    locked_message="{obj} is {state}: only a draft bill changes.",
)


class Bill(PricedDocument):
    """A supplier's invoice to us, matched line by line to the purchase order and what was received."""

    flow = BILL_FLOW

    status = models.CharField(max_length=10, choices=BillStatus.choices, default=BillStatus.DRAFT)
    supplier_reference = models.CharField(
        "supplier's invoice number", max_length=60, blank=True, help_text="The number on the supplier's invoice"
    )
    bill_date = models.DateField(null=True, blank=True, help_text="The supplier's invoice date (today unless given)")
    due_date = models.DateField(null=True, blank=True, help_text="From the supplier's payment terms, unless given")
    amount_paid = models.DecimalField(**MONEY, default=ZERO, editable=False)
    match_status = models.CharField(max_length=10, choices=MatchStatus.choices, blank=True, editable=False)
    approved_at, approved_by = stamps()
    part_paid_at, part_paid_by = stamps()
    paid_at, paid_by = stamps()
    void_at, void_by = stamps()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], condition=~Q(number=""), name="bill_org_number"),
            models.CheckConstraint(condition=Q(amount_paid__gte=0), name="bill_paid_non_negative"),
            models.CheckConstraint(condition=Q(amount_paid__lte=F("total")), name="bill_paid_within_total"),
        ]
        indexes = [models.Index(fields=["org", "status", "due_date"], name="bill_org_status_due")]

    def __str__(self) -> str:
        return self.number or f"Draft bill {self.pk}"

    @property
    def balance(self) -> Decimal:
        return self.total - self.amount_paid

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_BILL_STATUSES and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def display_status(self) -> str:
        return OVERDUE if self.is_overdue else self.status


class BillLine(PricedLine):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines")
    po_line = models.ForeignKey(
        "purchasing.PurchaseOrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="bill_lines"
    )
    receipt_line = models.ForeignKey(
        "purchasing.ReceiptLine", null=True, blank=True, on_delete=models.PROTECT, related_name="bill_lines"
    )
    match_status = models.CharField(max_length=10, choices=MatchStatus.choices, blank=True, editable=False)
    match_reason = models.CharField(max_length=300, blank=True, editable=False)

    document_field = "bill"

    class Meta(PricedLine.Meta):
        pass


# -- payments --------------------------------------------------------------------------------------------------------
class Direction(models.TextChoices):
    IN = "in", "Received"
    OUT = "out", "Paid"


class PaymentMethod(models.TextChoices):
    BANK = "bank", "Bank transfer"
    CARD = "card", "Card"
    CASH = "cash", "Cash"
    CHEQUE = "cheque", "Cheque"
    OTHER = "other", "Other"


class Payment(TenantModel):
    """Money received from a customer (in) or paid to a supplier (out), allocated to invoices or bills."""

    number = models.CharField(max_length=24, editable=False)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField("date", help_text="The day the money moved")
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    currency = models.CharField(max_length=3)
    exchange_rate = models.DecimalField(
        **RATE, validators=[MinValueValidator(Decimal("0.00000001"))], help_text="Organization currency per one unit"
    )
    method = models.CharField(max_length=8, choices=PaymentMethod.choices, default=PaymentMethod.BANK)
    reference = models.CharField(max_length=80, blank=True, help_text="The bank's or the remitter's reference")
    allocated = models.DecimalField(**MONEY, default=ZERO, editable=False, help_text="Allocated to documents so far")
    notes = BoundedTextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="payment_org_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(allocated__lte=F("amount")), name="payment_allocated_within"
            ),
            models.CheckConstraint(condition=Q(exchange_rate__gt=0), name="payment_rate_positive"),
        ]

    def __str__(self) -> str:
        return self.number or f"Payment {self.pk}"

    @property
    def unallocated(self) -> Decimal:
        return self.amount - self.allocated


class PaymentAllocation(TenantModel):
    """Part of a payment applied to one invoice, credit note or bill, in their common currency; ``fx_difference``
    is the realised exchange difference in the organization's currency: (payment rate - document rate) x amount."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations")
    bill = models.ForeignKey(Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    fx_difference = models.DecimalField(**MONEY, default=ZERO, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(
                condition=(Q(invoice__isnull=False) & Q(bill__isnull=True))
                | (Q(invoice__isnull=True) & Q(bill__isnull=False)),
                name="allocation_one_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} of {self.payment_id} to {self.document}"

    @property
    def document(self) -> Invoice | Bill | None:
        return self.invoice or self.bill


# -- settings --------------------------------------------------------------------------------------------------------
class BooksSettings(TenantModel):
    """How closely a supplier bill must match its order and receipts before it passes without approval."""

    qty_tolerance_pct = models.DecimalField(
        "quantity tolerance (%)", **TOLERANCE, default=ZERO, help_text="Billed over what was received and not billed"
    )
    price_tolerance_pct = models.DecimalField(
        "price tolerance (%)", **TOLERANCE, default=Decimal("2"), help_text="Unit price above or below the order's"
    )

    class Meta:
        verbose_name_plural = "books settings"
        constraints = [
            models.UniqueConstraint(fields=["org"], name="bookssettings_one_per_org"),
            models.CheckConstraint(
                condition=Q(qty_tolerance_pct__gte=0) & Q(qty_tolerance_pct__lte=100), name="bookssettings_qty_tol"
            ),
            models.CheckConstraint(
                condition=Q(price_tolerance_pct__gte=0) & Q(price_tolerance_pct__lte=100),
                name="bookssettings_price_tol",
            ),
        ]

    def __str__(self) -> str:
        return f"Tolerances: quantity {self.qty_tolerance_pct} %, price {self.price_tolerance_pct} %"


ACCOUNT = {"max_length": 20}
DEFAULT_ACCOUNTS = {
    "receivables": "1100",
    "payables": "2000",
    "revenue": "4000",
    "purchases": "5000",
    "tax_collected": "2200",
    "tax_paid": "2210",
    "bank": "1000",
    "fx_gain_loss": "7900",
}


class AccountMapping(TenantModel):
    """The ledger account codes the journal export writes, as the organization's accountant numbers them."""

    receivables = models.CharField(**ACCOUNT, default=DEFAULT_ACCOUNTS["receivables"])
    payables = models.CharField(**ACCOUNT, default=DEFAULT_ACCOUNTS["payables"])
    revenue = models.CharField(**ACCOUNT, default=DEFAULT_ACCOUNTS["revenue"])
    purchases = models.CharField(
        "purchases / inventory", **ACCOUNT, default=DEFAULT_ACCOUNTS["purchases"], help_text="Debited by bills"
    )
    tax_collected = models.CharField(**ACCOUNT, default=DEFAULT_ACCOUNTS["tax_collected"])
    tax_paid = models.CharField(**ACCOUNT, default=DEFAULT_ACCOUNTS["tax_paid"])
    bank = models.CharField(**ACCOUNT, default=DEFAULT_ACCOUNTS["bank"])
    fx_gain_loss = models.CharField("exchange gain / loss", **ACCOUNT, default=DEFAULT_ACCOUNTS["fx_gain_loss"])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org"], name="accountmapping_one_per_org")]

    def __str__(self) -> str:
        return "Account mapping"
