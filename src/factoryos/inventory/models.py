"""Locations, lots, an immutable stock ledger, and the levels it maintains."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from factoryos.kernel.fields import QUANTITY, UNIT_COST
from factoryos.kernel.tenancy import TenantModel
from factoryos.kernel.transitions import Flow

ZERO = Decimal("0")


class LocationKind(models.TextChoices):
    WAREHOUSE = "warehouse", "Warehouse"
    ZONE = "zone", "Zone"
    BIN = "bin", "Bin"
    SUPPLIER = "supplier", "Supplier (virtual)"
    CUSTOMER = "customer", "Customer (virtual)"
    PRODUCTION = "production", "Production (virtual)"
    SCRAP = "scrap", "Scrap (virtual)"
    ADJUSTMENT = "adjustment", "Inventory adjustment (virtual)"


VIRTUAL_KINDS = frozenset(
    {LocationKind.SUPPLIER, LocationKind.CUSTOMER, LocationKind.PRODUCTION, LocationKind.SCRAP, LocationKind.ADJUSTMENT}
)


class Location(TenantModel):
    """A place stock can be: a tree of warehouse > zone > bin per site, or a virtual counterpart of a move."""

    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=LocationKind.choices)
    site = models.ForeignKey(
        "facilities.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="locations"
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    active = models.BooleanField(default=True)
    quarantine = models.BooleanField(
        default=False, help_text="Stock here (e.g. customer returns) is held: never reserved, suggested or shipped"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="location_org_code"),
            models.CheckConstraint(
                condition=Q(kind__in=sorted(k.value for k in VIRTUAL_KINDS)) | Q(site__isnull=False),
                name="location_physical_has_site",
            ),
            models.CheckConstraint(
                condition=Q(quarantine=False) | ~Q(kind__in=sorted(k.value for k in VIRTUAL_KINDS)),
                name="location_quarantine_is_physical",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def is_virtual(self) -> bool:
        return self.kind in VIRTUAL_KINDS


class Lot(TenantModel):
    """A lot of an item, or (for serial-tracked items) one serial number: a lot of exactly one unit."""

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(max_length=60)
    is_serial = models.BooleanField(default=False)
    expires_on = models.DateField(null=True, blank=True)
    supplier_ref = models.CharField("supplier lot / heat number", max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "code"]
        constraints = [models.UniqueConstraint(fields=["org", "item", "code"], name="lot_org_item_code")]

    def __str__(self) -> str:
        return self.code


class StockLevel(TenantModel):
    """On hand and reserved of one item at one physical location (and lot). Changed only with its ledger row.

    ``allow_negative`` is the organization's setting when the row was made (kept in step by the service), so the
    database itself refuses a negative on-hand: the last wall against a lost update.
    """

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="stock_levels")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stock_levels")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="stock_levels")
    on_hand = models.DecimalField(**QUANTITY, default=ZERO)
    reserved = models.DecimalField(**QUANTITY, default=ZERO)
    allow_negative = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item", "location"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "item", "location"], condition=Q(lot__isnull=True), name="level_org_item_location"
            ),
            models.UniqueConstraint(
                fields=["org", "item", "location", "lot"],
                condition=Q(lot__isnull=False),
                name="level_org_item_location_lot",
            ),
            models.CheckConstraint(
                condition=Q(on_hand__gte=0) | Q(allow_negative=True), name="level_on_hand_non_negative"
            ),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="level_reserved_non_negative"),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")) | Q(allow_negative=True), name="level_reserved_within_on_hand"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.location_id}: {self.on_hand}"

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class MoveReason(models.TextChoices):
    RECEIPT = "receipt", "Receipt"
    TRANSFER = "transfer", "Transfer"
    ADJUSTMENT = "adjustment", "Adjustment"
    COUNT = "count", "Cycle count"
    ISSUE = "issue", "Issue to production"
    PRODUCTION = "production", "Production output"
    SHIPMENT = "shipment", "Shipment"
    SCRAP = "scrap", "Scrap"
    RETURN = "return", "Return"


class AdjustmentReason(models.TextChoices):
    DAMAGED = "damaged", "Damaged"
    FOUND = "found", "Found"
    LOST = "lost", "Lost / missing"
    CORRECTION = "correction", "Data correction"
    OPENING = "opening", "Opening balance"
    EXPIRED = "expired", "Expired"
    OTHER = "other", "Other"


class StockMove(TenantModel):
    """One line of the immutable stock ledger: ``quantity`` of ``item`` from one location to another."""

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="stock_moves")
    quantity = models.DecimalField(
        **QUANTITY, validators=[MinValueValidator(Decimal("0.000001"))], help_text="In the item's own unit"
    )
    entered_quantity = models.DecimalField(**QUANTITY)
    entered_uom = models.ForeignKey("catalog.UnitOfMeasure", on_delete=models.PROTECT, related_name="+")
    from_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="moves_out")
    to_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="moves_in")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="moves")
    produced_lot = models.ForeignKey(
        Lot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consumed",
        help_text="For issues to production: the lot being made (traceability)",
    )
    reason = models.CharField(max_length=12, choices=MoveReason.choices)
    adjustment_reason = models.CharField(max_length=12, choices=AdjustmentReason.choices, blank=True)
    unit_cost = models.DecimalField(**UNIT_COST, null=True, blank=True, validators=[MinValueValidator(ZERO)])
    reference = models.CharField(max_length=80, blank=True, help_text="The document that caused it, e.g. PO-1042")
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="move_quantity_positive"),
            models.CheckConstraint(condition=~Q(from_location=F("to_location")), name="move_distinct_locations"),
        ]
        indexes = [
            models.Index(fields=["org", "item", "created_at"], name="move_org_item_time"),
            models.Index(fields=["org", "lot"], name="move_org_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.quantity} of {self.item_id}"


class ItemValuation(TenantModel):
    """Moving average cost of an item across the organization's physical stock."""

    item = models.ForeignKey("catalog.Item", on_delete=models.CASCADE, related_name="+")
    average_cost = models.DecimalField(max_digits=14, decimal_places=6, default=ZERO)
    quantity = models.DecimalField(**QUANTITY, default=ZERO, help_text="Physical on hand the average is over")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "item"], name="valuation_org_item")]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.average_cost}"


class ReservationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    RELEASED = "released", "Released"
    CONSUMED = "consumed", "Consumed"


RESERVATION_FLOW = Flow(
    moves={ReservationStatus.ACTIVE: {ReservationStatus.RELEASED, ReservationStatus.CONSUMED}},
    editable={ReservationStatus.ACTIVE},
    locked_message="This reservation is {state}.",
)


class Reservation(TenantModel):
    """Stock held for a purpose (a work order, an order line): ``quantity`` reserved, ``consumed`` of it used so far."""

    flow = RESERVATION_FLOW

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(**QUANTITY, validators=[MinValueValidator(Decimal("0.000001"))])
    consumed = models.DecimalField(**QUANTITY, default=ZERO, help_text="Issued against the reservation so far")
    reference = models.CharField(max_length=80)
    status = models.CharField(max_length=10, choices=ReservationStatus.choices, default=ReservationStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consumed_at = models.DateTimeField(null=True, blank=True)
    consumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_quantity_positive"),
            models.CheckConstraint(
                condition=Q(consumed__gte=0) & Q(consumed__lte=F("quantity")), name="reservation_consumed_within"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.item_id} for {self.reference}"

    @property
    def remaining(self) -> Decimal:
        """What the reservation still holds (nothing once released or consumed)."""
        return self.quantity - self.consumed if self.status == ReservationStatus.ACTIVE else ZERO


class CountStatus(models.TextChoices):
    OPEN = "open", "Counting"
    POSTED = "posted", "Posted"


COUNT_FLOW = Flow(
    moves={CountStatus.OPEN: {CountStatus.POSTED}},
    editable={CountStatus.OPEN},
    locked_message="This count is posted: start a new count.",
)


class CountSheet(TenantModel):
    """A cycle count of one location: expected quantities frozen at creation, counted ones entered, then posted."""

    flow = COUNT_FLOW

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="count_sheets")
    status = models.CharField(max_length=8, choices=CountStatus.choices, default=CountStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Count {self.pk} of {self.location_id}"


class CountLine(TenantModel):
    sheet = models.ForeignKey(CountSheet, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    expected = models.DecimalField(**QUANTITY)
    counted = models.DecimalField(**QUANTITY, null=True, blank=True, validators=[MinValueValidator(ZERO)])

    class Meta:
        ordering = ["sheet", "item"]
        constraints = [
            models.CheckConstraint(
                condition=Q(counted__gte=0) | Q(counted__isnull=True), name="countline_counted_non_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.expected} -> {self.counted}"

    @property
    def variance(self) -> Decimal | None:
        return None if self.counted is None else self.counted - self.expected
