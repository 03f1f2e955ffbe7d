"""Buy: requisitions, requests for quotation, purchase orders, receipts, returns to suppliers.

The chain: an internal requisition (what is needed, by when) is approved, sent out as a request for quotation to
several suppliers, whose answers are compared side by side; the chosen answers become purchase orders (or a buyer
raises a purchase order directly). An order over the submitter's approval limit waits for someone with the approve
permission. Goods arrive as receipts against the order's lines (partially, within the organization's over-receipt
tolerance), each line received into stock through the inventory services at the order's net price in the
organization's currency; a return to the supplier takes goods of a receipt back out.

Each purchase order line keeps what was received and billed of it (the books match supplier bills against them).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from factoryos.finance.models import MONEY, PERCENT, PRICE, PricedDocument, PricedLine
from factoryos.kernel.fields import QUANTITY, UNIT_COST, BoundedTextField
from factoryos.kernel.permissions import BuiltinRole
from factoryos.kernel.tenancy import TenantModel
from factoryos.kernel.transitions import Flow

ZERO = Decimal("0")
POSITIVE = [MinValueValidator(Decimal("0.000001"))]


def _by(state: str) -> models.ForeignKey:
    """Who moved a record to ``state`` (the transition stamps it)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=f"{state.replace('_', ' ')} by",
    )


def _at(state: str) -> models.DateTimeField:
    return models.DateTimeField(null=True, blank=True, editable=False, verbose_name=f"{state.replace('_', ' ')} at")


# -- settings and approval limits ----------------------------------------------------------------------------------
class PurchasingSettings(TenantModel):
    """The organization's purchasing rules (one row per organization, made on first use)."""

    over_receipt_tolerance_pct = models.DecimalField(
        "over-receipt tolerance (%)",
        **PERCENT,
        default=ZERO,
        help_text="How much more than ordered a line may receive: 5 lets 105 of 100 in; 0 refuses any more.",
    )

    class Meta:
        verbose_name = "purchasing settings"
        verbose_name_plural = "purchasing settings"
        constraints = [
            models.UniqueConstraint(fields=["org"], name="purchasingsettings_one_per_org"),
            models.CheckConstraint(
                condition=Q(over_receipt_tolerance_pct__gte=0) & Q(over_receipt_tolerance_pct__lte=100),
                name="purchasingsettings_tolerance_percent",
            ),
        ]

    def __str__(self) -> str:
        return "Purchasing settings"


class ApprovalLimit(TenantModel):
    """The largest purchase order (its total in the organization's currency) a role may approve by submitting it.
    A built-in role (``role``) or a custom one (``custom_role``); a role without a limit has none (0): its orders
    always wait for approval. Owners and administrators have no limit."""

    role = models.CharField(
        max_length=20, choices=BuiltinRole.choices, blank=True, help_text="A built-in role (or choose a custom role)"
    )
    custom_role = models.ForeignKey(
        "core.Role", null=True, blank=True, on_delete=models.CASCADE, related_name="+", help_text="A custom role"
    )
    max_amount = models.DecimalField(
        "limit", **MONEY, validators=[MinValueValidator(ZERO)], help_text="In the organization's currency"
    )

    class Meta:
        ordering = ["role", "custom_role_id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "role"], condition=~Q(role=""), name="approvallimit_org_role"),
            models.UniqueConstraint(
                fields=["org", "custom_role"], condition=Q(custom_role__isnull=False), name="approvallimit_org_custom"
            ),
            models.CheckConstraint(
                condition=(Q(role="") & Q(custom_role__isnull=False)) | (~Q(role="") & Q(custom_role__isnull=True)),
                name="approvallimit_one_role",
            ),
            models.CheckConstraint(condition=Q(max_amount__gte=0), name="approvallimit_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.role_label}: {self.max_amount}"

    @property
    def role_label(self) -> str:
        return str(self.custom_role) if self.custom_role_id else self.get_role_display()


# -- requisitions ----------------------------------------------------------------------------------------------------
class RequisitionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    ORDERED = "ordered", "Ordered"


REQUISITION_FLOW = Flow(
    moves={
        RequisitionStatus.DRAFT: {RequisitionStatus.SUBMITTED},
        RequisitionStatus.SUBMITTED: {RequisitionStatus.APPROVED, RequisitionStatus.REJECTED},
        RequisitionStatus.APPROVED: {RequisitionStatus.ORDERED},
    },
    editable={RequisitionStatus.DRAFT},
    locked_message="{obj} is {state}: its lines cannot change any more.",
)


class Requisition(TenantModel):
    """An internal request to buy: what is needed, how much, by when; approved before it is quoted or ordered."""

    flow = REQUISITION_FLOW

    number = models.CharField(max_length=24, blank=True, help_text="From the organization's numbering sequence")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    needed_by = models.DateField(null=True, blank=True)
    notes = BoundedTextField(max_length=2000, blank=True)
    rejection_reason = models.CharField(max_length=300, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=RequisitionStatus.choices, default=RequisitionStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at, submitted_by = _at("submitted"), _by("submitted")
    approved_at, approved_by = _at("approved"), _by("approved")
    rejected_at, rejected_by = _at("rejected"), _by("rejected")
    ordered_at, ordered_by = _at("ordered"), _by("ordered")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "status"], name="requisition_org_status")]

    def __str__(self) -> str:
        return self.number or f"Requisition {self.pk}"


class RequisitionLine(TenantModel):
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(**QUANTITY, validators=POSITIVE, help_text="In the item's unit")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["requisition", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="requisitionline_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity.normalize():f} x {self.item_id}"


# -- requests for quotation --------------------------------------------------------------------------------------------
class RfqStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"


RFQ_FLOW = Flow(
    moves={
        RfqStatus.DRAFT: {RfqStatus.SENT, RfqStatus.CANCELLED},
        RfqStatus.SENT: {RfqStatus.AWARDED, RfqStatus.CANCELLED},
    },
    editable={RfqStatus.DRAFT},
    locked_message="{obj} is {state}: its lines and suppliers cannot change any more.",
)


class RequestForQuotation(TenantModel):
    """The lines of an approved requisition, asked of several suppliers; their answers are ``SupplierQuote``s."""

    flow = RFQ_FLOW

    number = models.CharField(max_length=24, blank=True, help_text="From the organization's numbering sequence")
    requisition = models.ForeignKey(
        Requisition, null=True, blank=True, on_delete=models.PROTECT, related_name="rfqs", editable=False
    )
    respond_by = models.DateField(null=True, blank=True, help_text="When the suppliers should answer")
    notes = BoundedTextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=RfqStatus.choices, default=RfqStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    sent_at, sent_by = _at("sent"), _by("sent")
    awarded_at, awarded_by = _at("awarded"), _by("awarded")
    cancelled_at, cancelled_by = _at("cancelled"), _by("cancelled")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "request for quotation"
        verbose_name_plural = "requests for quotation"

    def __str__(self) -> str:
        return self.number or f"RFQ {self.pk}"


class RfqLine(TenantModel):
    rfq = models.ForeignKey(RequestForQuotation, on_delete=models.CASCADE, related_name="lines")
    requisition_line = models.ForeignKey(
        RequisitionLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(**QUANTITY, validators=POSITIVE, help_text="In the item's unit")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["rfq", "id"]
        verbose_name = "RFQ line"
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="rfqline_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity.normalize():f} x {self.item_id}"


class RfqSupplier(TenantModel):
    """A supplier an RFQ is sent to; their prices are in ``currency`` (the supplier's)."""

    rfq = models.ForeignKey(RequestForQuotation, on_delete=models.CASCADE, related_name="suppliers")
    supplier = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3, editable=False)

    class Meta:
        ordering = ["rfq", "id"]
        verbose_name = "RFQ supplier"
        constraints = [models.UniqueConstraint(fields=["org", "rfq", "supplier"], name="rfqsupplier_org_supplier")]

    def __str__(self) -> str:
        return f"{self.rfq_id}: {self.supplier_id}"


class SupplierQuote(TenantModel):
    """One supplier's answer to one RFQ line, as the buyer entered it."""

    rfq_supplier = models.ForeignKey(RfqSupplier, on_delete=models.CASCADE, related_name="quotes")
    rfq_line = models.ForeignKey(RfqLine, on_delete=models.CASCADE, related_name="quotes")
    unit_price = models.DecimalField(
        **PRICE, validators=[MinValueValidator(ZERO)], help_text="In the supplier's currency"
    )
    lead_time_days = models.PositiveIntegerField("lead time (days)", default=0, validators=[MaxValueValidator(3650)])
    valid_until = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["rfq_line", "unit_price"]
        constraints = [
            models.UniqueConstraint(fields=["org", "rfq_supplier", "rfq_line"], name="supplierquote_org_answer"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="supplierquote_price_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_price} for line {self.rfq_line_id}"


# -- purchase orders -------------------------------------------------------------------------------------------------
class POStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING_APPROVAL = "pending_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"
    PART_RECEIVED = "part_received", "Partly received"
    RECEIVED = "received", "Received"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


PO_FLOW = Flow(
    moves={
        POStatus.DRAFT: {POStatus.PENDING_APPROVAL, POStatus.APPROVED, POStatus.CANCELLED},
        POStatus.PENDING_APPROVAL: {POStatus.APPROVED, POStatus.CANCELLED},
        POStatus.APPROVED: {POStatus.SENT, POStatus.CANCELLED},
        POStatus.SENT: {POStatus.PART_RECEIVED, POStatus.RECEIVED, POStatus.CANCELLED},
        POStatus.PART_RECEIVED: {POStatus.RECEIVED, POStatus.CLOSED},
        # a return to the supplier can take a received order back to partly received
        POStatus.RECEIVED: {POStatus.PART_RECEIVED, POStatus.CLOSED},
    },
    editable={POStatus.DRAFT},
    locked_message="{obj} is {state}: its lines cannot change any more.",
)

OPEN_FOR_RECEIPT = (POStatus.SENT, POStatus.PART_RECEIVED)


class PurchaseOrder(PricedDocument):
    """An order to a supplier (``partner``), in the supplier's currency with the rate to the organization's."""

    flow = PO_FLOW

    status = models.CharField(max_length=16, choices=POStatus.choices, default=POStatus.DRAFT)
    order_date = models.DateField(default=timezone.localdate)
    expected_date = models.DateField(null=True, blank=True, help_text="When the goods should arrive")
    supplier_reference = models.CharField(max_length=60, blank=True, help_text="The supplier's order confirmation")
    rfq = models.ForeignKey(
        RequestForQuotation, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders", editable=False
    )
    pending_approval_at, pending_approval_by = _at("pending_approval"), _by("pending_approval")
    approved_at, approved_by = _at("approved"), _by("approved")
    sent_at, sent_by = _at("sent"), _by("sent")
    part_received_at, part_received_by = _at("part_received"), _by("part_received")
    received_at, received_by = _at("received"), _by("received")
    closed_at, closed_by = _at("closed"), _by("closed")
    cancelled_at, cancelled_by = _at("cancelled"), _by("cancelled")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["org", "status"], name="po_org_status"),
            models.Index(fields=["org", "order_date"], name="po_org_date"),
        ]


class PurchaseOrderLine(PricedLine):
    """A line of an order: ``quantity`` ordered, ``received`` so far (less what went back), ``billed`` so far."""

    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    expected_date = models.DateField(null=True, blank=True)
    received = models.DecimalField(**QUANTITY, default=ZERO, editable=False)
    billed = models.DecimalField(**QUANTITY, default=ZERO, editable=False)

    document_field = "purchase_order"

    class Meta(PricedLine.Meta):
        constraints = [
            *PricedLine.Meta.constraints,
            models.CheckConstraint(condition=Q(received__gte=0), name="purchaseorderline_received_non_negative"),
            models.CheckConstraint(condition=Q(billed__gte=0), name="purchaseorderline_billed_non_negative"),
        ]

    @property
    def outstanding(self) -> Decimal:
        """Still to come (never below zero)."""
        return max(self.quantity - self.received, ZERO)

    @property
    def net_unit_price(self) -> Decimal:
        """The line's net per unit in the order's currency (after discount, without tax)."""
        return self.net / self.quantity if self.quantity else ZERO


# -- receipts and returns -------------------------------------------------------------------------------------------
class ReceiptStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    POSTED = "posted", "Posted"
    CANCELLED = "cancelled", "Cancelled"


RECEIPT_FLOW = Flow(
    moves={ReceiptStatus.DRAFT: {ReceiptStatus.POSTED, ReceiptStatus.CANCELLED}},
    editable={ReceiptStatus.DRAFT},
    locked_message="{obj} is {state}: it cannot change any more.",
)


class Receipt(TenantModel):
    """Goods received against a purchase order; posting brings its lines into stock."""

    flow = RECEIPT_FLOW

    number = models.CharField(max_length=24, blank=True, help_text="From the organization's numbering sequence")
    supplier = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+", editable=False)
    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="receipts")
    received_at = models.DateTimeField(default=timezone.now)
    supplier_reference = models.CharField(max_length=60, blank=True, help_text="The delivery note's number")
    notes = BoundedTextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    posted_at, posted_by = _at("posted"), _by("posted")
    cancelled_at, cancelled_by = _at("cancelled"), _by("cancelled")

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["org", "status"], name="receipt_org_status")]

    def __str__(self) -> str:
        return self.number or f"Receipt {self.pk}"


class ReceiptLine(TenantModel):
    """``quantity`` of an order line's item received into ``location`` (with its lot), at ``unit_cost`` (the
    organization's currency per unit: by default the order line's net unit price converted)."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    po_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines")
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+", editable=False)
    quantity = models.DecimalField(**QUANTITY, validators=POSITIVE, help_text="In the item's unit")
    location = models.ForeignKey("inventory.Location", on_delete=models.PROTECT, related_name="+")
    lot_code = models.CharField("lot / serial", max_length=60, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    unit_cost = models.DecimalField(
        **UNIT_COST, validators=[MinValueValidator(ZERO)], help_text="In the organization's currency"
    )
    returned = models.DecimalField(**QUANTITY, default=ZERO, editable=False, help_text="Sent back to the supplier")

    class Meta:
        ordering = ["receipt", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="receiptline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="receiptline_cost_non_negative"),
            models.CheckConstraint(
                condition=Q(returned__gte=0) & Q(returned__lte=F("quantity")), name="receiptline_returned_within"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity.normalize():f} x {self.item_id}"

    @property
    def returnable(self) -> Decimal:
        return self.quantity - self.returned


class SupplierReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    POSTED = "posted", "Posted"
    CANCELLED = "cancelled", "Cancelled"


SUPPLIER_RETURN_FLOW = Flow(
    moves={SupplierReturnStatus.DRAFT: {SupplierReturnStatus.POSTED, SupplierReturnStatus.CANCELLED}},
    editable={SupplierReturnStatus.DRAFT},
    locked_message="{obj} is {state}: it cannot change any more.",
)


class SupplierReturn(TenantModel):
    """Goods of one receipt going back to the supplier; posting takes them out of stock."""

    flow = SUPPLIER_RETURN_FLOW

    number = models.CharField(max_length=24, blank=True, help_text="From the organization's numbering sequence")
    supplier = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+", editable=False)
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="returns")
    reason = models.CharField(max_length=200, blank=True, help_text="Damaged, wrong item, over-delivered...")
    status = models.CharField(max_length=10, choices=SupplierReturnStatus.choices, default=SupplierReturnStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    posted_at, posted_by = _at("posted"), _by("posted")
    cancelled_at, cancelled_by = _at("cancelled"), _by("cancelled")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "return to supplier"
        verbose_name_plural = "returns to suppliers"

    def __str__(self) -> str:
        return self.number or f"Return {self.pk}"


class SupplierReturnLine(TenantModel):
    supplier_return = models.ForeignKey(SupplierReturn, on_delete=models.CASCADE, related_name="lines")
    receipt_line = models.ForeignKey(ReceiptLine, on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.DecimalField(**QUANTITY, validators=POSITIVE, help_text="In the item's unit")

    class Meta:
        ordering = ["supplier_return", "id"]
        verbose_name = "return to supplier line"
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="supplierreturnline_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity.normalize():f} of receipt line {self.receipt_line_id}"
