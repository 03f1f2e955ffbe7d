"""The four kinds of file: their columns, how a row becomes a service call, and how a kind is exported.

Each kind lists its columns (the file's header names, case-insensitive); ``required`` ones must be present and
non-empty. A row is first parsed (types, choices, references by code), every bad cell its own error, then written
through the domain service, whose errors are mapped back to the column they concern.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Max

from factoryos.catalog import services as catalog_services
from factoryos.catalog.models import (
    Bom,
    BomLine,
    BomStatus,
    Category,
    Item,
    ItemType,
    MakeBuy,
    Tracking,
    UnitOfMeasure,
)
from factoryos.core.models import Membership
from factoryos.inventory import services as inventory_services
from factoryos.inventory.models import VIRTUAL_KINDS, ItemValuation, Location, LocationKind, StockLevel

OPENING_REFERENCE = "Opening stock"
TRUE = {"true", "yes", "y", "1", "x"}
FALSE = {"false", "no", "n", "0"}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    help: str = ""


class RowErrors(Exception):
    """The cells of one row that cannot be parsed: [(column, message)]."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


class Cells:
    """One row's cells by column name, parsed with every error collected (not just the first)."""

    def __init__(self, values: dict[str, str]):
        self.values, self.errors = values, []

    def text(self, name: str, *, max_length: int | None = None) -> str:
        value = self.values.get(name, "")
        if max_length and len(value) > max_length:
            self.errors.append((name, f"At most {max_length} characters (this has {len(value)})."))
        return value

    def required(self, name: str, *, max_length: int | None = None) -> str:
        value = self.text(name, max_length=max_length)
        if not value:
            self.errors.append((name, "This column is required."))
        return value

    def decimal(self, name: str, *, default: Decimal | None = None, minimum: Decimal | None = None) -> Decimal | None:
        raw = self.values.get(name, "")
        if raw == "":
            return default
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.errors.append((name, f"'{raw}' is not a number."))
            return default
        if not value.is_finite():
            self.errors.append((name, f"'{raw}' is not a number."))
            return default
        if minimum is not None and value < minimum:
            self.errors.append((name, f"Must be at least {minimum}."))
        return value

    def integer(self, name: str, *, default: int | None = None) -> int | None:
        value = self.decimal(name)
        if value is None:
            return default
        if value != value.to_integral_value() or value < 0:
            self.errors.append((name, f"'{self.values[name]}' is not a whole number of 0 or more."))
            return default
        return int(value)

    def boolean(self, name: str, *, default: bool) -> bool:
        raw = self.values.get(name, "").lower()
        if raw == "":
            return default
        if raw in TRUE:
            return True
        if raw in FALSE:
            return False
        self.errors.append((name, f"'{self.values[name]}' is not yes/no (use true or false)."))
        return default

    def choice(self, name: str, choices, *, required: bool = False) -> str | None:
        raw = self.values.get(name, "")
        if raw == "":
            if required:
                self.errors.append((name, "This column is required."))
            return None
        for value, label in choices.choices:
            if raw.lower() in (value.lower(), str(label).lower()):
                return value
        self.errors.append((name, f"'{raw}' is not one of {', '.join(v for v, _ in choices.choices)}."))
        return None

    def ref(self, name: str, model, lookup: str, *, required: bool = False, **extra: Any):
        raw = self.values.get(name, "")
        if raw == "":
            if required:
                self.errors.append((name, "This column is required."))
            return None
        obj = model.objects.filter(**{lookup: raw}, **extra).first()
        if obj is None:
            self.errors.append((name, f"No {model._meta.verbose_name} '{raw}'."))
        return obj

    def done(self) -> None:
        if self.errors:
            raise RowErrors(self.errors)


def _num(value: Decimal | None) -> str:
    """A stored decimal without trailing zeros, never in exponent form ("1.500000" -> "1.5")."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _yes(value: bool) -> str:
    return "true" if value else "false"


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    object_type: str
    columns: tuple[Column, ...]
    import_permission: str
    export_permission: str
    write_row: Callable[[Membership, Cells], object]
    export_rows: Callable[[], Iterator[list[object]]]
    field_columns: dict[str, str] = field(default_factory=dict)  # service field -> column
    example: tuple[str, ...] = ()

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]

    def column_for(self, service_field: str) -> str:
        if service_field in self.field_columns:
            return self.field_columns[service_field]
        return service_field if service_field in self.headers else ""


# -- items -------------------------------------------------------------------------------------------------------
def _item_row(actor: Membership, c: Cells) -> Item:
    fields: dict[str, Any] = {
        "sku": c.required("sku", max_length=60),
        "name": c.required("name", max_length=200),
        "description": c.text("description"),
        "item_type": c.choice("type", ItemType, required=True),
        "uom": c.ref("unit", UnitOfMeasure, "code", required=True),
        "standard_cost": c.decimal("standard_cost", default=Decimal(0), minimum=Decimal(0)),
        "lead_time_days": c.integer("lead_time_days", default=0),
        "safety_stock": c.decimal("safety_stock", default=Decimal(0), minimum=Decimal(0)),
        "reorder_point": c.decimal("reorder_point", default=Decimal(0), minimum=Decimal(0)),
        "reorder_qty": c.decimal("reorder_qty", default=Decimal(0), minimum=Decimal(0)),
        "min_order_qty": c.decimal("min_order_qty", default=Decimal(0), minimum=Decimal(0)),
        "order_multiple": c.decimal("order_multiple", default=Decimal(0), minimum=Decimal(0)),
        "weight_kg": c.decimal("weight_kg", minimum=Decimal(0)),
        "material": c.text("material", max_length=80),
        "tracking": c.choice("tracking", Tracking) or Tracking.NONE,
        "active": c.boolean("active", default=True),
    }
    make_buy = c.choice("make_buy", MakeBuy)
    if make_buy:
        fields["make_buy"] = make_buy
    category_name = c.text("category", max_length=80)
    c.done()
    if category_name:  # a category is found by name, and made (audited) when the file names a new one
        category = Category.objects.filter(name__iexact=category_name).first()
        fields["category"] = category or catalog_services.category_create(actor=actor, name=category_name)
    return catalog_services.item_create(actor=actor, **fields)


def _item_export() -> Iterator[list[object]]:
    for i in Item.objects.select_related("uom", "category").order_by("sku"):
        yield [
            i.sku,
            i.name,
            i.description,
            i.item_type,
            i.uom.code,
            i.make_buy,
            _num(i.standard_cost),
            i.lead_time_days,
            _num(i.safety_stock),
            _num(i.reorder_point),
            _num(i.reorder_qty),
            _num(i.min_order_qty),
            _num(i.order_multiple),
            _num(i.weight_kg),
            i.material,
            i.tracking,
            i.category.name if i.category else "",
            _yes(i.active),
        ]


ITEMS = Kind(
    slug="items",
    label="Items",
    object_type="catalog.item",
    columns=(
        Column("sku", True, "Unique per organization"),
        Column("name", True),
        Column("description"),
        Column("type", True, ", ".join(ItemType.values)),
        Column("unit", True, "Unit of measure code, e.g. ea"),
        Column("make_buy", help="make or buy (default: make for manufactured, sub-assembly, finished)"),
        Column("standard_cost", help="Number, default 0"),
        Column("lead_time_days", help="Whole number, default 0"),
        Column("safety_stock"),
        Column("reorder_point"),
        Column("reorder_qty"),
        Column("min_order_qty"),
        Column("order_multiple"),
        Column("weight_kg"),
        Column("material"),
        Column("tracking", help="none, lot or serial (default none)"),
        Column("category", help="Category name; created when new"),
        Column("active", help="true/false (default true)"),
    ),
    import_permission="catalog.edit",
    export_permission="catalog.view",
    write_row=_item_row,
    export_rows=_item_export,
    field_columns={"item_type": "type", "uom": "unit"},
    example=(
        "BRK-100",
        "Mounting bracket",
        "",
        "manufactured",
        "ea",
        "make",
        "12.50",
        "3",
        "10",
        "",
        "",
        "",
        "",
        "0.45",
        "S235 steel",
        "none",
        "Brackets",
        "true",
    ),
)


# -- BOM lines ---------------------------------------------------------------------------------------------------
def _bom_for(actor: Membership, parent: Item, revision: int | None) -> Bom:
    """The revision named, or the item's draft; a missing draft (or the next revision number) is created."""
    if revision is None:
        draft = parent.boms.filter(status=BomStatus.DRAFT).order_by("-revision").first()
        return draft or catalog_services.bom_create(actor=actor, item=parent)
    bom = parent.boms.filter(revision=revision).first()
    if bom is not None:
        return bom
    last = Bom.objects.filter(item=parent).aggregate(last=Max("revision"))["last"] or 0
    if revision == last + 1:
        return catalog_services.bom_create(actor=actor, item=parent)
    raise RowErrors([("revision", f"{parent.sku} has no revision {revision} (the next new one is {last + 1}).")])


def _bom_line_row(actor: Membership, c: Cells) -> BomLine:
    parent = c.ref("parent_sku", Item, "sku", required=True)
    revision = c.integer("revision")
    component = c.ref("component_sku", Item, "sku", required=True)
    fields = {
        "quantity": c.decimal("quantity", minimum=Decimal("0.000001")),
        "uom": c.ref("unit", UnitOfMeasure, "code"),
        "scrap_pct": c.decimal("scrap_pct", default=Decimal(0), minimum=Decimal(0)),
        "phantom": c.boolean("phantom", default=False),
        "reference": c.text("reference", max_length=200),
    }
    if fields["quantity"] is None and "quantity" not in {col for col, _ in c.errors}:
        c.errors.append(("quantity", "This column is required."))
    c.done()
    bom = _bom_for(actor, parent, revision)
    return catalog_services.bom_line_add(actor=actor, bom=bom, component=component, **fields)


def _bom_line_export() -> Iterator[list[object]]:
    lines = BomLine.objects.select_related("bom__item", "component", "uom").order_by(
        "bom__item__sku", "bom__revision", "position", "pk"
    )
    for line in lines:
        yield [
            line.bom.item.sku,
            line.bom.revision,
            line.component.sku,
            _num(line.quantity),
            line.uom.code,
            _num(line.scrap_pct),
            _yes(line.phantom),
            line.reference,
        ]


BOM_LINES = Kind(
    slug="bom-lines",
    label="BOM lines",
    object_type="catalog.bomline",
    columns=(
        Column("parent_sku", True, "The made item"),
        Column("revision", help="Revision number; empty: the item's draft (created if none)"),
        Column("component_sku", True),
        Column("quantity", True, "Quantity per parent"),
        Column("unit", help="Unit code (default: the component's unit)"),
        Column("scrap_pct", help="Percent, default 0"),
        Column("phantom", help="true/false (default false)"),
        Column("reference"),
    ),
    import_permission="catalog.edit",
    export_permission="catalog.view",
    write_row=_bom_line_row,
    export_rows=_bom_line_export,
    field_columns={"component": "component_sku", "uom": "unit", "bom": "revision", "item": "parent_sku"},
    example=("BRK-100", "", "SHEET-2MM", "0.25", "ea", "2", "false", "Laser cut"),
)


# -- locations ---------------------------------------------------------------------------------------------------
def _location_row(actor: Membership, c: Cells) -> Location:
    from factoryos.facilities.models import Site

    fields = {
        "code": c.required("code", max_length=40),
        "name": c.required("name", max_length=120),
        "kind": c.choice("kind", LocationKind, required=True),
        "site": c.ref("site", Site, "code"),
        "parent": c.ref("parent", Location, "code"),
        "active": c.boolean("active", default=True),
    }
    if fields["kind"] in VIRTUAL_KINDS:
        c.errors.append(("kind", "Virtual locations are made automatically: import warehouses, zones and bins."))
    if fields["site"] is None and fields["parent"] is None and "site" not in {col for col, _ in c.errors}:
        c.errors.append(("site", "Give the site code (or a parent location)."))
    c.done()
    if fields["site"] is None:  # the service then takes the parent's site
        del fields["site"]
    return inventory_services.location_create(actor=actor, **fields)


def _location_export() -> Iterator[list[object]]:
    rows = list(Location.objects.exclude(kind__in=sorted(VIRTUAL_KINDS)).select_related("site", "parent"))
    by_pk = {loc.pk: loc for loc in rows}

    def depth(loc: Location) -> int:
        n, seen = 0, set()
        while loc.parent_id and loc.parent_id in by_pk and loc.pk not in seen:
            seen.add(loc.pk)
            loc, n = by_pk[loc.parent_id], n + 1
        return n

    for loc in sorted(rows, key=lambda loc: (depth(loc), loc.code)):  # parents before their children
        yield [
            loc.code,
            loc.name,
            loc.kind,
            loc.site.code if loc.site else "",
            loc.parent.code if loc.parent else "",
            _yes(loc.active),
        ]


LOCATIONS = Kind(
    slug="locations",
    label="Locations",
    object_type="inventory.location",
    columns=(
        Column("code", True),
        Column("name", True),
        Column("kind", True, "warehouse, zone or bin"),
        Column("site", help="Site code (default: the parent's site)"),
        Column("parent", help="Parent location code (earlier in the file or existing)"),
        Column("active", help="true/false (default true)"),
    ),
    import_permission="inventory.edit",
    export_permission="inventory.view",
    write_row=_location_row,
    export_rows=_location_export,
    example=("WH1-A-01", "Aisle A bin 1", "bin", "MAIN", "WH1", "true"),
)


# -- opening stock -----------------------------------------------------------------------------------------------
def _stock_row(actor: Membership, c: Cells):
    item = c.ref("sku", Item, "sku", required=True)
    location = c.ref("location", Location, "code", required=True)
    quantity = c.decimal("quantity")
    if quantity is None and "quantity" not in {col for col, _ in c.errors}:
        c.errors.append(("quantity", "This column is required."))
    uom = c.ref("unit", UnitOfMeasure, "code")
    lot = c.text("lot", max_length=60)
    unit_cost = c.decimal("unit_cost", minimum=Decimal(0))
    c.done()
    return inventory_services.stock_receive(
        actor=actor,
        item=item,
        location=location,
        quantity=quantity,
        uom=uom.pk if uom else None,
        lot=lot or None,
        unit_cost=unit_cost,
        reference=OPENING_REFERENCE,
    )


def _stock_export() -> Iterator[list[object]]:
    costs = dict(ItemValuation.objects.values_list("item_id", "average_cost"))
    levels = StockLevel.objects.filter(on_hand__gt=0).select_related("item__uom", "location", "lot")
    for level in levels.order_by("item__sku", "location__code", "lot__code"):
        cost = costs.get(level.item_id, level.item.standard_cost)
        yield [
            level.item.sku,
            level.location.code,
            _num(level.on_hand),
            level.item.uom.code,
            level.lot.code if level.lot else "",
            _num(cost.quantize(Decimal("0.0001")) if cost is not None else None),
        ]


OPENING_STOCK = Kind(
    slug="opening-stock",
    label="Opening stock",
    object_type="inventory.stockmove",
    columns=(
        Column("sku", True),
        Column("location", True, "Location code (warehouse, zone or bin)"),
        Column("quantity", True, "More than zero"),
        Column("unit", help="Unit code (default: the item's unit)"),
        Column("lot", help="Lot or serial number: required for tracked items"),
        Column("unit_cost", help="Cost per unit given (default: standard cost)"),
    ),
    import_permission="inventory.edit",
    export_permission="inventory.view",
    write_row=_stock_row,
    export_rows=_stock_export,
    field_columns={"item": "sku", "uom": "unit", "to_location": "location", "from_location": "location"},
    example=("BRK-100", "WH1-A-01", "25", "ea", "", "12.50"),
)

KINDS: dict[str, Kind] = {k.slug: k for k in (ITEMS, BOM_LINES, LOCATIONS, OPENING_STOCK)}
