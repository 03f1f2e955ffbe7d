"""Ship: shipments from sales orders (picking, packed, shipped), lots chosen first-expiry-first, packing slips,
customer returns into quarantine.

A shipment's lines say what leaves from where: an order line, the location and lot it is picked from, and how much.
Nothing moves while it is picked and packed; shipping it moves every line's stock to the customer through the
inventory services (consuming the order's reservations where they hold that stock) and reports what shipped to the
sales order, in one transaction. A customer return (RMA) brings goods back into a quarantine location and, when it
names the shipment line they left on, tells the order they came back.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from factoryos.kernel.fields import QUANTITY, BoundedTextField
from factoryos.kernel.tenancy import TenantModel
from factoryos.kernel.transitions import Flow, stamps

ZERO = Decimal("0")
POSITIVE = [MinValueValidator(Decimal("0.000001"))]


def _by() -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )


def _at() -> models.DateTimeField:
    return models.DateTimeField(null=True, blank=True, editable=False)


class ShipmentStatus(models.TextChoices):
    PICKING = "picking", "Picking"
    PACKED = "packed", "Packed"
    SHIPPED = "shipped", "Shipped"
    CANCELLED = "cancelled", "Cancelled"


SHIPMENT_FLOW = Flow(
    moves={
        ShipmentStatus.PICKING: {ShipmentStatus.PACKED, ShipmentStatus.CANCELLED},
        ShipmentStatus.PACKED: {ShipmentStatus.SHIPPED, ShipmentStatus.CANCELLED},
    },
    editable={ShipmentStatus.PICKING},
    locked_message="Shipment {obj} is {state}: its lines can no longer change.",
)
OPEN_SHIPMENT = (ShipmentStatus.PICKING, ShipmentStatus.PACKED)


class Shipment(TenantModel):
    """Goods of one sales order leaving together: picked, packed, then shipped with a carrier and tracking number."""

    flow = SHIPMENT_FLOW

    number = models.CharField(max_length=32, editable=False)
    order = models.ForeignKey("sales.SalesOrder", on_delete=models.PROTECT, related_name="shipments", editable=False)
    ship_to = BoundedTextField(max_length=1000, blank=True, help_text="The delivery address, as printed")
    carrier = models.CharField(max_length=80, blank=True)
    tracking_number = models.CharField(max_length=80, blank=True)
    notes = BoundedTextField(max_length=2000, blank=True, help_text="Printed on the packing slip")
    status = models.CharField(
        max_length=10, choices=ShipmentStatus.choices, default=ShipmentStatus.PICKING, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _by()
    packed_at, packed_by = stamps()
    shipped_at, shipped_by = stamps()
    cancelled_at, cancelled_by = stamps()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "number"], name="shipment_org_number")]
        indexes = [models.Index(fields=["org", "status", "created_at"], name="shipment_org_status_time")]

    def __str__(self) -> str:
        return self.number


class ShipmentLine(TenantModel):
    """``quantity`` of an order line's item, picked from ``location`` (and ``lot``)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines", editable=False)
    order_line = models.ForeignKey("sales.SalesOrderLine", on_delete=models.PROTECT, related_name="shipment_lines")
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+", editable=False)
    location = models.ForeignKey("inventory.Location", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey("inventory.Lot", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(**QUANTITY, validators=POSITIVE, help_text="In the item's own unit")

    class Meta:
        ordering = ["shipment", "order_line__position", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="shipmentline_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity.normalize():f} of {self.item_id} from {self.location_id}"


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RECEIVED = "received", "Received"
    CANCELLED = "cancelled", "Cancelled"


RETURN_FLOW = Flow(
    moves={ReturnStatus.DRAFT: {ReturnStatus.RECEIVED, ReturnStatus.CANCELLED}},
    editable={ReturnStatus.DRAFT},
    locked_message="Return {obj} is {state}: it can no longer change.",
)


class CustomerReturn(TenantModel):
    """A return merchandise authorisation: what a customer sends back, and why; received into quarantine."""

    flow = RETURN_FLOW

    number = models.CharField(max_length=32, editable=False)
    customer = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    shipment = models.ForeignKey(
        Shipment, null=True, blank=True, on_delete=models.PROTECT, related_name="returns",
        help_text="The shipment the goods left on, when known",
    )  # fmt: skip
    reason = models.CharField(max_length=300, help_text="Why the goods come back")
    status = models.CharField(max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _by()
    received_at, received_by = stamps()
    cancelled_at, cancelled_by = stamps()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "customer return"
        constraints = [models.UniqueConstraint(fields=["org", "number"], name="customerreturn_org_number")]

    def __str__(self) -> str:
        return self.number


class CustomerReturnLine(TenantModel):
    """``quantity`` of an item (and lot) coming back into ``location``, a quarantine location; with the shipment line
    it left on, its order learns it came back."""

    customer_return = models.ForeignKey(CustomerReturn, on_delete=models.CASCADE, related_name="lines", editable=False)
    shipment_line = models.ForeignKey(
        ShipmentLine, null=True, blank=True, on_delete=models.PROTECT, related_name="return_lines"
    )
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey("inventory.Lot", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(**QUANTITY, validators=POSITIVE, help_text="In the item's own unit")
    location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="+", help_text="A quarantine location"
    )

    class Meta:
        ordering = ["customer_return", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="customerreturnline_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity.normalize():f} of {self.item_id} into {self.location_id}"
