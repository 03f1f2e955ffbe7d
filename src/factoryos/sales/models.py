"""Sell: quotes (with revisions) and sales orders, whose lines reserve stock when the order is confirmed.

Both are priced documents (finance.models): a header in the customer's currency with its totals, and lines whose
net, tax and gross are computed by finance and stored. A sales order line's reservations are inventory
``Reservation`` rows joined to it one by one (``SalesOrderReservation``): what the line holds is what its active
reservations still hold, so stock issued against a reservation by shipping is never counted twice.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from factoryos.finance.models import PricedDocument, PricedLine
from factoryos.kernel.fields import QUANTITY
from factoryos.kernel.tenancy import TenantModel
from factoryos.kernel.transitions import Flow, stamps

ZERO = Decimal("0")


# -- quotes --------------------------------------------------------------------------------------------------------
class QuoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    LOST = "lost", "Lost"
    EXPIRED = "expired", "Expired"
    SUPERSEDED = "superseded", "Superseded"


QUOTE_FLOW = Flow(
    moves={
        QuoteStatus.DRAFT: {QuoteStatus.SENT},
        QuoteStatus.SENT: {QuoteStatus.ACCEPTED, QuoteStatus.LOST, QuoteStatus.EXPIRED, QuoteStatus.SUPERSEDED},
        QuoteStatus.EXPIRED: {QuoteStatus.SUPERSEDED, QuoteStatus.LOST},
    },
    editable={QuoteStatus.DRAFT},
    locked_message="Quote {obj} is {state}: to change it, revise it (a new draft revision).",
)


class Quote(PricedDocument):
    """An offer to a customer: lines with prices and promised lead times, valid until a date. Revising a sent quote
    makes a new draft (revision + 1, number ``QU-00012-R2``) and marks this one superseded."""

    flow = QUOTE_FLOW

    contact = models.ForeignKey(
        "partners.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Who the quote is for (and emailed to)",
    )  # fmt: skip
    valid_until = models.DateField(null=True, blank=True, help_text="Empty: no expiry date")
    revision = models.PositiveSmallIntegerField(default=1, editable=False)
    revised_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions", editable=False
    )
    status = models.CharField(max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT, editable=False)
    lost_reason = models.CharField(max_length=300, blank=True, editable=False)
    sent_at, sent_by = stamps()
    accepted_at, accepted_by = stamps()
    lost_at, lost_by = stamps()
    expired_at, expired_by = stamps()
    superseded_at, superseded_by = stamps()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="quote_org_number"),
            models.UniqueConstraint(
                fields=["org", "revised_from"],
                condition=Q(revised_from__isnull=False),
                name="quote_one_revision_of_each",
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="quote_revision_positive"),
            models.CheckConstraint(
                condition=~Q(status=QuoteStatus.LOST) | ~Q(lost_reason=""), name="quote_lost_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["org", "status", "created_at"], name="quote_org_status_time")]


class QuoteLine(PricedLine):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    lead_time_days = models.PositiveIntegerField(
        "lead time (days)", default=0, validators=[MaxValueValidator(3650)], help_text="Promised from the order date"
    )

    document_field = "quote"

    class Meta(PricedLine.Meta):
        pass


# -- sales orders --------------------------------------------------------------------------------------------------
class OrderStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONFIRMED = "confirmed", "Confirmed"
    PART_SHIPPED = "part_shipped", "Part shipped"
    SHIPPED = "shipped", "Shipped"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


# Shipping moves an order forward as it ships and back when a shipment is undone or goods come back (the earlier
# stamp is kept then: see services._set_shipping_status). Closing a part-shipped order closes it short.
ORDER_FLOW = Flow(
    moves={
        OrderStatus.DRAFT: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
        OrderStatus.CONFIRMED: {OrderStatus.PART_SHIPPED, OrderStatus.SHIPPED, OrderStatus.CANCELLED},
        OrderStatus.PART_SHIPPED: {OrderStatus.SHIPPED, OrderStatus.CONFIRMED, OrderStatus.CLOSED},
        OrderStatus.SHIPPED: {OrderStatus.CLOSED, OrderStatus.PART_SHIPPED, OrderStatus.CONFIRMED},
    },
    editable={OrderStatus.DRAFT},
    locked_message="Sales order {obj} is {state}: its lines can no longer change.",
)
OPEN_STATUSES = (OrderStatus.CONFIRMED, OrderStatus.PART_SHIPPED)


class SalesOrder(PricedDocument):
    """A customer's order: confirmed, it reserves stock and shows per line what is reserved, to make or to buy and
    when it is promised; shipping moves it to part shipped and shipped."""

    flow = ORDER_FLOW

    quote = models.ForeignKey(
        Quote, null=True, blank=True, on_delete=models.PROTECT, related_name="orders", editable=False
    )
    contact = models.ForeignKey("partners.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    customer_reference = models.CharField(max_length=60, blank=True, help_text="The customer's PO number")
    order_date = models.DateField(help_text="Promised dates count from it")
    status = models.CharField(max_length=12, choices=OrderStatus.choices, default=OrderStatus.DRAFT, editable=False)
    credit_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    credit_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    confirmed_at, confirmed_by = stamps()
    part_shipped_at, part_shipped_by = stamps()
    shipped_at, shipped_by = stamps()
    closed_at, closed_by = stamps()
    cancelled_at, cancelled_by = stamps()

    class Meta:
        ordering = ["-order_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "number"], name="salesorder_org_number")]
        indexes = [
            models.Index(fields=["org", "status", "order_date"], name="salesorder_org_status_date"),
            models.Index(fields=["org", "order_date", "id"], name="salesorder_org_date"),
            models.Index(fields=["org", "partner", "order_date"], name="salesorder_org_partner_date"),
            models.Index(fields=["org", "total"], name="salesorder_org_total"),
        ]


class SalesOrderLine(PricedLine):
    """``quantity`` ordered, ``shipped`` so far (kept by shipping through the services); what it holds in stock is
    its reservations' (``reserved``), and the rest of the back order is to make or to buy."""

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    lead_time_days = models.PositiveIntegerField(
        "lead time (days)", default=0, validators=[MaxValueValidator(3650)], help_text="Promised from the order date"
    )
    promised_date = models.DateField(null=True, blank=True, help_text="Empty: the order date + the lead time")
    shipped = models.DecimalField(**QUANTITY, default=ZERO, editable=False, validators=[MinValueValidator(ZERO)])

    document_field = "order"

    class Meta(PricedLine.Meta):
        constraints = [
            *PricedLine.Meta.constraints,
            models.CheckConstraint(
                condition=Q(shipped__gte=0) & Q(shipped__lte=F("quantity")), name="salesorderline_shipped_within"
            ),
        ]

    @property
    def back_order(self) -> Decimal:
        """Ordered and not shipped yet."""
        return self.quantity - self.shipped

    @property
    def promised_on(self) -> date:
        """The promised date, or the order date + the line's lead time."""
        return self.promised_date or self.order.order_date + timedelta(days=self.lead_time_days)

    @property
    def reserved(self) -> Decimal:
        """What the line's active reservations still hold (prefetch ``reservations__reservation`` for lists)."""
        return sum((link.reservation.remaining for link in self.reservations.all()), ZERO)

    @property
    def stocked(self) -> bool:
        """Whether the line is for an item kept in stock (not free text, not a service)."""
        return self.item_id is not None and self.item.item_type != "service"

    @property
    def made(self) -> bool:
        """Made here (make flag or a released BOM) rather than bought; ``has_bom`` is annotated by the reader."""
        if not self.stocked:
            return False
        has_bom = getattr(self, "has_bom", None)
        if has_bom is None:
            has_bom = self.item.boms.filter(status="released").exists()
        return self.item.make_buy == "make" or bool(has_bom)

    @property
    def short(self) -> Decimal:
        """Back order that no reservation covers."""
        return max(self.back_order - self.reserved, ZERO) if self.stocked else ZERO

    @property
    def to_make(self) -> Decimal:
        return self.short if self.made else ZERO

    @property
    def to_buy(self) -> Decimal:
        return ZERO if self.made else self.short


class SalesOrderReservation(TenantModel):
    """One inventory reservation made for one sales order line (a line may draw on several locations and lots)."""

    line = models.ForeignKey(SalesOrderLine, on_delete=models.CASCADE, related_name="reservations")
    reservation = models.ForeignKey("inventory.Reservation", on_delete=models.PROTECT, related_name="sales_lines")

    class Meta:
        ordering = ["line", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "reservation"], name="salesorderreservation_one_line")]

    def __str__(self) -> str:
        return f"{self.reservation} for line {self.line_id}"
