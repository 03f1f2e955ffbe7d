"""Finance foundations: tax codes, exchange rates, gapless numbering, and the priced document every sale, purchase
and invoice is made of (a header in the partner's currency with the rate stored, and lines whose totals are
computed by finance.money and stored, so lists and reports sum columns instead of recomputing)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Round

from factoryos.kernel.fields import QUANTITY, BoundedTextField
from factoryos.kernel.tenancy import TenantModel

ZERO = Decimal("0")
MONEY = {"max_digits": 14, "decimal_places": 2}  # amounts: lines, totals, payments
PRICE = {"max_digits": 16, "decimal_places": 4}  # unit prices (a bolt at 0.0125)
RATE = {"max_digits": 15, "decimal_places": 8}  # exchange rates: up to 9,999,999 (15 digits: exact on SQLite)
PERCENT = {"max_digits": 7, "decimal_places": 4, "validators": [MinValueValidator(ZERO), MaxValueValidator(100)]}


class TaxCode(TenantModel):
    """A tax rate documents apply per line: GST 10 %, GST-free, a US state's sales tax, none."""

    code = models.CharField(max_length=12, help_text="Short, unique: GST, FRE, CA-SALES")
    name = models.CharField(max_length=80)
    rate = models.DecimalField("rate (%)", **PERCENT)
    is_default = models.BooleanField("default", default=False, help_text="Used on new lines unless another is chosen")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="taxcode_org_code"),
            models.UniqueConstraint(fields=["org"], condition=Q(is_default=True), name="taxcode_one_default"),
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lte=100), name="taxcode_rate_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.rate.normalize():f} %)"


class ExchangeRate(TenantModel):
    """How much of the organization's currency one unit of ``currency`` is worth from ``valid_from`` on."""

    currency = models.CharField(max_length=3, validators=[MinLengthValidator(3)], help_text="ISO 4217 code")
    rate = models.DecimalField(**RATE, validators=[MinValueValidator(Decimal("0.00000001"))])
    valid_from = models.DateField()

    class Meta:
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["org", "currency", "valid_from"], name="exchangerate_org_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchangerate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate.normalize():f} from {self.valid_from}"


class SequenceKind(models.TextChoices):
    QUOTE = "quote", "Quote"
    SALES_ORDER = "sales_order", "Sales order"
    SHIPMENT = "shipment", "Shipment"
    RETURN = "return", "Customer return (RMA)"
    REQUISITION = "requisition", "Purchase requisition"
    RFQ = "rfq", "Request for quotation"
    PURCHASE_ORDER = "purchase_order", "Purchase order"
    RECEIPT = "receipt", "Goods receipt"
    SUPPLIER_RETURN = "supplier_return", "Return to supplier"
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit_note", "Credit note"
    BILL = "bill", "Supplier bill"
    PAYMENT_IN = "payment_in", "Payment received"
    PAYMENT_OUT = "payment_out", "Payment made"
    WORK_ORDER = "work_order", "Work order"


PREFIXES = {
    SequenceKind.QUOTE: "QU-",
    SequenceKind.SALES_ORDER: "SO-",
    SequenceKind.SHIPMENT: "SH-",
    SequenceKind.RETURN: "RMA-",
    SequenceKind.REQUISITION: "PR-",
    SequenceKind.RFQ: "RFQ-",
    SequenceKind.PURCHASE_ORDER: "PO-",
    SequenceKind.RECEIPT: "GR-",
    SequenceKind.SUPPLIER_RETURN: "SR-",
    SequenceKind.INVOICE: "INV-",
    SequenceKind.CREDIT_NOTE: "CN-",
    SequenceKind.BILL: "BILL-",
    SequenceKind.PAYMENT_IN: "RCPT-",
    SequenceKind.PAYMENT_OUT: "PAY-",
    SequenceKind.WORK_ORDER: "WO-",
}


class NumberSequence(TenantModel):
    """The next number of one kind of document. Taken under a row lock in the document's own transaction, so a
    rolled-back document gives its number back: the numbers issued have no gaps and no repeats."""

    kind = models.CharField(max_length=16, choices=SequenceKind.choices)
    prefix = models.CharField(max_length=12, blank=True)
    next_number = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    padding = models.PositiveSmallIntegerField(default=5, validators=[MaxValueValidator(12)])

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["org", "kind"], name="sequence_org_kind"),
            models.CheckConstraint(condition=Q(next_number__gte=1), name="sequence_next_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: next {self.format(self.next_number)}"

    def format(self, number: int) -> str:
        return f"{self.prefix}{number:0{self.padding}d}"

    @property
    def next_formatted(self) -> str:
        return self.format(self.next_number)


class PricedDocument(TenantModel):
    """A quote, order, invoice or bill: a partner, a currency with its rate to the organization's, whether prices
    include tax, and the totals of its lines (kept by finance.services.recompute)."""

    number = models.CharField(max_length=24, blank=True, help_text="From the organization's numbering sequence")
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3, validators=[MinLengthValidator(3)])
    exchange_rate = models.DecimalField(
        **RATE, default=Decimal("1"), validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text="Organization currency per one unit of the document's",
    )  # fmt: skip
    prices_include_tax = models.BooleanField(default=False)
    net_total = models.DecimalField(**MONEY, default=ZERO, editable=False)
    tax_total = models.DecimalField(**MONEY, default=ZERO, editable=False)
    total = models.DecimalField(**MONEY, default=ZERO, editable=False)
    notes = BoundedTextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number or f"{self._meta.verbose_name} {self.pk}"


class PricedLine(TenantModel):
    """One line of a priced document: an item, or free text (a service, freight) when ``item`` is empty."""

    position = models.PositiveSmallIntegerField(default=0)
    item = models.ForeignKey("catalog.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=300, blank=True)
    quantity = models.DecimalField(**QUANTITY, validators=[MinValueValidator(Decimal("0.000001"))])
    unit_price = models.DecimalField(**PRICE, validators=[MinValueValidator(ZERO)])
    discount_pct = models.DecimalField("discount (%)", **PERCENT, default=ZERO)
    tax_code = models.ForeignKey(TaxCode, on_delete=models.PROTECT, related_name="+")
    tax_rate = models.DecimalField(**PERCENT, default=ZERO, editable=False)  # the code's rate when priced
    net = models.DecimalField(**MONEY, default=ZERO, editable=False)
    tax = models.DecimalField(**MONEY, default=ZERO, editable=False)
    gross = models.DecimalField(**MONEY, default=ZERO, editable=False)

    document_field = "document"  # the ForeignKey to the document; subclasses name theirs

    class Meta:  # a line's own Meta subclasses this one (class Meta(PricedLine.Meta)) to keep the checks
        abstract = True
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="%(app_label)s_%(class)s_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="%(app_label)s_%(class)s_price_non_negative"),
            models.CheckConstraint(
                condition=Q(discount_pct__gte=0) & Q(discount_pct__lte=100), name="%(app_label)s_%(class)s_discount"
            ),
            models.CheckConstraint(  # rounded: SQLite keeps decimals as floats (277.76 + 27.78 is 305.5399...)
                condition=Q(gross=Round(models.F("net") + models.F("tax"), 2)), name="%(app_label)s_%(class)s_adds_up"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity.normalize():f} x {self.description or self.item_id}"

    @property
    def document(self) -> PricedDocument:
        return getattr(self, self.document_field)
