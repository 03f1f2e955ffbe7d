"""Items, units of measure, bills of materials with revisions, and routings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from factoryos.kernel.fields import QUANTITY, UNIT_COST, BoundedTextField
from factoryos.kernel.tenancy import TenantModel
from factoryos.kernel.transitions import Flow, is_editable

ZERO = Decimal("0")


class UomKind(models.TextChoices):
    COUNT = "count", "Count"
    MASS = "mass", "Mass"
    LENGTH = "length", "Length"
    AREA = "area", "Area"
    VOLUME = "volume", "Volume"
    TIME = "time", "Time"


class UnitOfMeasure(TenantModel):
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=UomKind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = "unit of measure"
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="uom_org_code")]

    def __str__(self) -> str:
        return self.code


class UomConversion(TenantModel):
    """1 ``from_uom`` = ``factor`` ``to_uom``; with an item it holds for that item only (a sheet weighs 38.2 kg)."""

    from_uom = models.ForeignKey(UnitOfMeasure, on_delete=models.CASCADE, related_name="conversions_from")
    to_uom = models.ForeignKey(UnitOfMeasure, on_delete=models.CASCADE, related_name="conversions_to")
    factor = models.DecimalField(**QUANTITY, validators=[MinValueValidator(Decimal("0.000001"))])
    item = models.ForeignKey("Item", null=True, blank=True, on_delete=models.CASCADE, related_name="conversions")

    class Meta:
        verbose_name = "unit conversion"
        constraints = [
            models.UniqueConstraint(fields=["org", "from_uom", "to_uom", "item"], name="uomconv_org_pair_item"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="uomconv_factor_positive"),
            models.CheckConstraint(condition=~Q(from_uom=models.F("to_uom")), name="uomconv_distinct_units"),
        ]

    def __str__(self) -> str:
        return f"1 {self.from_uom} = {self.factor.normalize()} {self.to_uom}"


class Category(TenantModel):
    name = models.CharField(max_length=80)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="category_org_name")]

    def __str__(self) -> str:
        return self.name


class Tag(TenantModel):
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="tag_org_name")]

    def __str__(self) -> str:
        return self.name


class ItemType(models.TextChoices):
    RAW = "raw", "Raw material"
    PURCHASED = "purchased", "Purchased part"
    MANUFACTURED = "manufactured", "Manufactured part"
    SUBASSEMBLY = "subassembly", "Sub-assembly"
    FINISHED = "finished", "Finished good"
    CONSUMABLE = "consumable", "Consumable"
    SERVICE = "service", "Service"


class MakeBuy(models.TextChoices):
    MAKE = "make", "Make"
    BUY = "buy", "Buy"


class Tracking(models.TextChoices):
    NONE = "none", "None"
    LOT = "lot", "Lot"
    SERIAL = "serial", "Serial number"


def _non_negative(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}), name=f"item_{name}_non_negative")


class LotRule(models.TextChoices):
    LOT_FOR_LOT = "lot_for_lot", "Lot for lot (what is needed)"
    FIXED = "fixed", "Fixed quantity (multiples of the reorder quantity)"
    MIN_MULTIPLE = "min_multiple", "Minimum, then multiples"
    POQ = "poq", "Period order quantity (days covered)"


class Item(TenantModel):
    sku = models.CharField("SKU", max_length=60)
    name = models.CharField(max_length=200)
    description = BoundedTextField(blank=True, max_length=5000)
    item_type = models.CharField("type", max_length=14, choices=ItemType.choices)
    uom = models.ForeignKey(UnitOfMeasure, on_delete=models.PROTECT, related_name="+", verbose_name="unit")
    make_buy = models.CharField("make / buy", max_length=4, choices=MakeBuy.choices, default=MakeBuy.BUY)
    standard_cost = models.DecimalField(**UNIT_COST, default=ZERO, validators=[MinValueValidator(ZERO)])
    lead_time_days = models.PositiveIntegerField("lead time (days)", default=0, validators=[MaxValueValidator(3650)])
    safety_stock = models.DecimalField(**QUANTITY, default=ZERO, validators=[MinValueValidator(ZERO)])
    reorder_point = models.DecimalField(**QUANTITY, default=ZERO, validators=[MinValueValidator(ZERO)])
    reorder_qty = models.DecimalField(
        "reorder quantity", **QUANTITY, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    min_order_qty = models.DecimalField(
        "minimum order quantity", **QUANTITY, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    order_multiple = models.DecimalField(**QUANTITY, default=ZERO, validators=[MinValueValidator(ZERO)])
    lot_rule = models.CharField(
        "lot sizing", max_length=12, choices=LotRule.choices, default=LotRule.LOT_FOR_LOT,
        help_text="How MRP sizes a planned order: fixed uses the reorder quantity; minimum and multiple the two above",
    )  # fmt: skip
    poq_days = models.PositiveSmallIntegerField(
        "days per order", default=1, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Period order quantity: one order covers this many working days of requirements",
    )  # fmt: skip
    weight_kg = models.DecimalField(
        "weight (kg)", **QUANTITY, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )
    material = models.CharField(max_length=80, blank=True)
    tracking = models.CharField(max_length=6, choices=Tracking.choices, default=Tracking.NONE)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    tags = models.ManyToManyField(Tag, blank=True, related_name="items")
    attributes = models.JSONField(default=dict, blank=True, help_text="Custom attributes: name -> value")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku"]
        constraints = [
            models.UniqueConstraint(fields=["org", "sku"], name="item_org_sku"),
            _non_negative("standard_cost"),
            _non_negative("safety_stock"),
            _non_negative("reorder_point"),
            _non_negative("reorder_qty"),
            _non_negative("min_order_qty"),
            _non_negative("order_multiple"),
            models.CheckConstraint(
                condition=~Q(lot_rule="fixed") | Q(reorder_qty__gt=0),
                name="item_fixed_lot_has_a_size",
                violation_error_message="A fixed lot size orders multiples of the reorder quantity: give one.",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "name"], name="item_org_name"),
            models.Index(fields=["org", "item_type", "active"], name="item_org_type_active"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} · {self.name}"


class BomStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RELEASED = "released", "Released"
    OBSOLETE = "obsolete", "Obsolete"


BOM_FLOW = Flow(
    moves={BomStatus.DRAFT: {BomStatus.RELEASED}, BomStatus.RELEASED: {BomStatus.OBSOLETE}},
    editable={BomStatus.DRAFT},
    locked_message=(
        "Revision {obj.revision} is {state} and cannot change. To change this BOM, start a new revision: "
        "it copies these lines and operations into a draft."
    ),
)


class Bom(TenantModel):
    """One revision of an item's bill of materials and routing. Released revisions are immutable."""

    flow = BOM_FLOW

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="boms")
    revision = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=BomStatus.choices, default=BomStatus.DRAFT)
    notes = BoundedTextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    obsolete_at = models.DateTimeField(null=True, blank=True)
    obsolete_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["item__sku", "-revision"]
        verbose_name = "BOM revision"
        constraints = [
            models.UniqueConstraint(fields=["org", "item", "revision"], name="bom_org_item_revision"),
            models.UniqueConstraint(
                fields=["org", "item"], condition=Q(status="released"), name="bom_one_released_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.sku} rev {self.revision} ({self.status})"

    @property
    def editable(self) -> bool:
        """Lines and operations may change (a draft): the flow says so."""
        return is_editable(self)


class Operation(TenantModel):
    """A routing step of a BOM revision: where, how long to set up, how long per unit, and waits around it."""

    bom = models.ForeignKey(Bom, on_delete=models.CASCADE, related_name="operations")
    sequence = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(1_000_000)])
    work_center = models.ForeignKey("facilities.WorkCenter", on_delete=models.PROTECT, related_name="operations")
    description = models.CharField(max_length=200)
    setup_minutes = models.DecimalField(
        max_digits=10, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    run_minutes_per_unit = models.DecimalField(
        max_digits=12, decimal_places=4, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    move_minutes = models.DecimalField(
        max_digits=10, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    queue_minutes = models.DecimalField(
        max_digits=10, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    supplier = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="outside supplier", help_text="Done by this supplier (powder coat, plating, galvanizing)",
    )  # fmt: skip
    outside_price = models.DecimalField(
        "outside price", max_digits=14, decimal_places=4, default=ZERO, validators=[MinValueValidator(ZERO)],
        help_text="The supplier's price per unit",
    )  # fmt: skip
    outside_lead_days = models.PositiveIntegerField(
        "outside lead time (days)", default=0, validators=[MaxValueValidator(365)]
    )

    class Meta:
        ordering = ["bom", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["org", "bom", "sequence"], name="operation_org_bom_sequence"),
            models.CheckConstraint(
                condition=Q(setup_minutes__gte=0) & Q(run_minutes_per_unit__gte=0), name="operation_times_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.description}"


class CheckKind(models.TextChoices):
    MEASURE = "measure", "Measurement"
    PASS_FAIL = "pass_fail", "Pass / fail"


class OperationCheck(TenantModel):
    """An in-process inspection of an operation: a measurement within its tolerance (``nominal`` - ``minus`` to
    ``nominal`` + ``plus``, in ``unit``), or a pass/fail check; the operator records each on the tablet."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="checks")
    name = models.CharField(max_length=120, help_text="What to check, e.g. 'Hole spacing' or 'Weld visual'")
    kind = models.CharField(max_length=10, choices=CheckKind.choices, default=CheckKind.MEASURE)
    nominal = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    minus = models.DecimalField(
        "tolerance -", max_digits=14, decimal_places=4, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    plus = models.DecimalField(
        "tolerance +", max_digits=14, decimal_places=4, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    unit = models.CharField(max_length=12, blank=True, help_text="e.g. mm")

    class Meta:
        ordering = ["operation", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="pass_fail") | Q(nominal__isnull=False),
                name="operationcheck_measure_has_nominal",
                violation_error_message="A measurement needs its nominal value.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BomLine(TenantModel):
    bom = models.ForeignKey(Bom, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(1_000_000)])
    component = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="used_in")
    quantity = models.DecimalField("quantity per", **QUANTITY, validators=[MinValueValidator(Decimal("0.000001"))])
    uom = models.ForeignKey(UnitOfMeasure, on_delete=models.PROTECT, related_name="+", verbose_name="unit")
    scrap_pct = models.DecimalField(
        "scrap %",
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("99"))],
    )
    phantom = models.BooleanField(default=False)
    reference = models.CharField("reference / notes", max_length=200, blank=True)
    operation = models.ForeignKey(
        Operation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lines",
        help_text="The routing step that consumes this line",
    )

    class Meta:
        ordering = ["bom", "position"]
        verbose_name = "BOM line"
        constraints = [
            models.UniqueConstraint(fields=["org", "bom", "position"], name="bomline_org_bom_position"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="bomline_quantity_positive"),
            models.CheckConstraint(condition=Q(scrap_pct__gte=0) & Q(scrap_pct__lt=100), name="bomline_scrap_range"),
        ]
        indexes = [  # a plan of part of the catalog looks for phantoms to blow through: most catalogs have few
            models.Index(fields=["org", "component"], condition=Q(phantom=True), name="bomline_phantom_component")
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.quantity.normalize()} × {self.component.sku}"
