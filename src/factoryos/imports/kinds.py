"""The four kinds of file: their columns, how a row becomes a service call, and how a kind is exported.

A kind is a subclass of ``Kind`` declaring its columns (the file's header names, case-insensitive; ``required`` ones
must be present and non-empty), the model a row becomes, its permission module, and its two methods. A row is first
parsed (types, choices, references by code), every bad cell its own error, then written through the domain service,
whose errors are mapped back to the column they concern. A cell that fills a model field names that field, and the
model says what it may hold (kernel/limits.py): a field's limits are declared once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import KW_ONLY, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.db import models
from django.db.models import Max

from factoryos.catalog import services as catalog_services
from factoryos.catalog.models import Bom, BomLine, BomStatus, Category, Item, ItemType, Tracking, UnitOfMeasure
from factoryos.core.models import Membership
from factoryos.inventory import services as inventory_services
from factoryos.inventory.models import VIRTUAL_KINDS, ItemValuation, Location, Lot, StockLevel, StockMove
from factoryos.kernel.limits import Limits, of

OPENING_REFERENCE = "Opening stock"
TRUE = {"true", "yes", "y", "1", "x"}
FALSE = {"false", "no", "n", "0"}
NO_LIMITS = Limits()


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    help: str = ""
    _: KW_ONLY
    example: str = ""  # its cell in the template's example row
    fields: tuple[str, ...] = ()  # the service fields (named otherwise) whose errors belong to this column


class RowErrors(Exception):
    """The cells of one row that cannot be parsed: [(column, message)]."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


class Cells:
    """One row's cells by column name, parsed with every error collected (not just the first).

    ``model`` (and ``field`` when it is not the column's name) names the model field a cell fills: its length, its
    smallest and largest value and its choices are the model's. Digits and decimal places are left to the model's
    own validation, which the service runs (its message names them).
    """

    def __init__(self, values: dict[str, str]):
        self.values, self.errors = values, []

    def _raw(self, name: str, required: bool) -> str:
        raw = self.values.get(name, "")
        if raw == "" and required:
            self.errors.append((name, "This column is required."))
        return raw

    def _in_range(self, name: str, value: Any, bounds: Limits) -> None:
        if bounds.min_value is not None and value < bounds.min_value:
            self.errors.append((name, f"Must be at least {bounds.min_value}."))
        elif bounds.max_value is not None and value > bounds.max_value:
            self.errors.append((name, f"Must be at most {bounds.max_value}."))

    def text(
        self, name: str, model: type[models.Model] | None = None, field: str = "", *, required: bool = False
    ) -> str:
        value = self._raw(name, required)
        max_length = _limits(model, field or name).max_length
        if max_length is not None and len(value) > max_length:
            self.errors.append((name, f"At most {max_length} characters (this has {len(value)})."))
        return value

    def decimal(
        self,
        name: str,
        model: type[models.Model] | None = None,
        field: str = "",
        *,
        default: Decimal | None = None,
        required: bool = False,
    ) -> Decimal | None:
        raw = self._raw(name, required)
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
        self._in_range(name, value, _limits(model, field or name))
        return value

    def integer(
        self, name: str, model: type[models.Model] | None = None, field: str = "", *, default: int | None = None
    ) -> int | None:
        value = self.decimal(name)
        if value is None:
            return default
        bounds = _limits(model, field or name)
        low = bounds.min_value
        if value != value.to_integral_value() or (low is not None and value < low):
            or_more = f" of {low} or more" if low is not None else ""
            self.errors.append((name, f"'{self.values[name]}' is not a whole number{or_more}."))
            return default
        self._in_range(name, value, bounds)
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

    def choice(self, name: str, model: type[models.Model], field: str = "", *, required: bool = False) -> str | None:
        raw = self._raw(name, required)
        if raw == "":
            return None
        choices = model._meta.get_field(field or name).choices
        for value, label in choices:
            if raw.lower() in (value.lower(), str(label).lower()):
                return value
        self.errors.append((name, f"'{raw}' is not one of {', '.join(v for v, _ in choices)}."))
        return None

    def ref(self, name: str, model, lookup: str, *, required: bool = False, **extra: Any):
        raw = self._raw(name, required)
        if raw == "":
            return None
        obj = model.objects.filter(**{lookup: raw}, **extra).first()
        if obj is None:
            self.errors.append((name, f"No {model._meta.verbose_name} '{raw}'."))
        return obj

    def done(self) -> None:
        if self.errors:
            raise RowErrors(self.errors)


@functools.cache  # a model's fields are fixed: a 20,000-row file need not read them again for every cell
def _limits(model: type[models.Model] | None, field: str) -> Limits:
    return of(model, field) if model is not None else NO_LIMITS


def _num(value: Decimal | None) -> Decimal | str:
    """A stored decimal as a number (the file writes it without trailing zeros, never in exponent form: "1.500000"
    -> "1.5"; a negative one is a number, not a formula), or "" for none."""
    return "" if value is None else value


def _yes(value: bool) -> str:
    return "true" if value else "false"


class Kind:
    """One kind of file; each is a subclass declaring the class attributes below and the two methods."""

    slug: ClassVar[str]
    label: ClassVar[str]
    model: ClassVar[type[models.Model]]  # what a row becomes: an export's audit event names it
    module: ClassVar[str]  # the permission module: <module>.edit to import, <module>.view to export
    columns: ClassVar[tuple[Column, ...]]

    def write_row(self, actor: Membership, c: Cells) -> object:
        """Parse one row's cells (``c.done()`` before writing) and write it through one service call."""
        raise NotImplementedError

    def export_rows(self) -> Iterator[list[object]]:
        """Every row of the current organization, in the columns' order, as it imports back."""
        raise NotImplementedError

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def example(self) -> list[str]:
        return [c.example for c in self.columns]

    @property
    def url_name(self) -> str:
        return self.slug.replace("-", "_")

    @property
    def object_type(self) -> str:
        return self.model._meta.label_lower

    @property
    def import_permission(self) -> str:
        return f"{self.module}.edit"

    @property
    def export_permission(self) -> str:
        return f"{self.module}.view"

    def column_for(self, service_field: str) -> str:
        """The column a service's error on ``service_field`` belongs to ("": the row as a whole)."""
        for column in self.columns:
            if service_field in column.fields:
                return column.name
        return service_field if service_field in self.headers else ""


# -- items -------------------------------------------------------------------------------------------------------
class Items(Kind):
    slug = "items"
    label = "Items"
    model = Item
    module = "catalog"
    columns = (
        Column("sku", True, "Unique per organization", example="BRK-100"),
        Column("name", True, example="Mounting bracket"),
        Column("description"),
        Column("type", True, ", ".join(ItemType.values), example="manufactured", fields=("item_type",)),
        Column("unit", True, "Unit of measure code, e.g. ea", example="ea", fields=("uom",)),
        Column("make_buy", help="make or buy (default: make for manufactured, sub-assembly, finished)", example="make"),
        Column("standard_cost", help="Number, default 0", example="12.50"),
        Column("lead_time_days", help="Whole number, default 0", example="3"),
        Column("safety_stock", example="10"),
        Column("reorder_point"),
        Column("reorder_qty"),
        Column("min_order_qty"),
        Column("order_multiple"),
        Column("weight_kg", example="0.45"),
        Column("material", example="S235 steel"),
        Column("tracking", help="none, lot or serial (default none)", example="none"),
        Column("category", help="Category name; created when new", example="Brackets"),
        Column("active", help="true/false (default true)", example="true"),
    )

    def write_row(self, actor: Membership, c: Cells) -> Item:
        fields: dict[str, Any] = {
            "sku": c.text("sku", Item, required=True),
            "name": c.text("name", Item, required=True),
            "description": c.text("description", Item),
            "item_type": c.choice("type", Item, "item_type", required=True),
            "uom": c.ref("unit", UnitOfMeasure, "code", required=True),
            "standard_cost": c.decimal("standard_cost", Item, default=Decimal(0)),
            "lead_time_days": c.integer("lead_time_days", Item, default=0),
            "safety_stock": c.decimal("safety_stock", Item, default=Decimal(0)),
            "reorder_point": c.decimal("reorder_point", Item, default=Decimal(0)),
            "reorder_qty": c.decimal("reorder_qty", Item, default=Decimal(0)),
            "min_order_qty": c.decimal("min_order_qty", Item, default=Decimal(0)),
            "order_multiple": c.decimal("order_multiple", Item, default=Decimal(0)),
            "weight_kg": c.decimal("weight_kg", Item),
            "material": c.text("material", Item),
            "tracking": c.choice("tracking", Item) or Tracking.NONE,
            "active": c.boolean("active", default=True),
        }
        make_buy = c.choice("make_buy", Item)
        if make_buy:
            fields["make_buy"] = make_buy
        category_name = c.text("category", Category, "name")
        c.done()
        if category_name:  # a category is found by name, and made (audited) when the file names a new one
            category = Category.objects.filter(name__iexact=category_name).first()
            fields["category"] = category or catalog_services.category_create(actor=actor, name=category_name)
        return catalog_services.item_create(actor=actor, **fields)

    def export_rows(self) -> Iterator[list[object]]:
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


class BomLines(Kind):
    slug = "bom-lines"
    label = "BOM lines"
    model = BomLine
    module = "catalog"
    columns = (
        Column("parent_sku", True, "The made item", example="BRK-100", fields=("item",)),
        Column("revision", help="Revision number; empty: the item's draft (created if none)", fields=("bom",)),
        Column("component_sku", True, example="SHEET-2MM", fields=("component",)),
        Column("quantity", True, "Quantity per parent", example="0.25"),
        Column("unit", help="Unit code (default: the component's unit)", example="ea", fields=("uom",)),
        Column("scrap_pct", help="Percent, default 0", example="2"),
        Column("phantom", help="true/false (default false)", example="false"),
        Column("reference", example="Laser cut"),
    )

    def write_row(self, actor: Membership, c: Cells) -> BomLine:
        parent = c.ref("parent_sku", Item, "sku", required=True)
        revision = c.integer("revision", Bom)
        component = c.ref("component_sku", Item, "sku", required=True)
        fields = {
            "quantity": c.decimal("quantity", BomLine, required=True),
            "uom": c.ref("unit", UnitOfMeasure, "code"),
            "scrap_pct": c.decimal("scrap_pct", BomLine, default=Decimal(0)),
            "phantom": c.boolean("phantom", default=False),
            "reference": c.text("reference", BomLine),
        }
        c.done()
        bom = _bom_for(actor, parent, revision)
        return catalog_services.bom_line_add(actor=actor, bom=bom, component=component, **fields)

    def export_rows(self) -> Iterator[list[object]]:
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


# -- locations ---------------------------------------------------------------------------------------------------
class Locations(Kind):
    slug = "locations"
    label = "Locations"
    model = Location
    module = "inventory"
    columns = (
        Column("code", True, example="WH1-A-01"),
        Column("name", True, example="Aisle A bin 1"),
        Column("kind", True, "warehouse, zone or bin", example="bin"),
        Column("site", help="Site code (default: the parent's site)", example="MAIN"),
        Column("parent", help="Parent location code (earlier in the file or existing)", example="WH1"),
        Column("active", help="true/false (default true)", example="true"),
    )

    def write_row(self, actor: Membership, c: Cells) -> Location:
        from factoryos.facilities.models import Site

        fields = {
            "code": c.text("code", Location, required=True),
            "name": c.text("name", Location, required=True),
            "kind": c.choice("kind", Location, required=True),
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

    def export_rows(self) -> Iterator[list[object]]:
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


# -- opening stock -----------------------------------------------------------------------------------------------
class OpeningStock(Kind):
    slug = "opening-stock"
    label = "Opening stock"
    model = StockMove
    module = "inventory"
    columns = (
        Column("sku", True, example="BRK-100", fields=("item",)),
        Column(
            "location",
            True,
            "Location code (warehouse, zone or bin)",
            example="WH1-A-01",
            fields=("to_location", "from_location"),
        ),
        Column("quantity", True, "More than zero", example="25"),
        Column("unit", help="Unit code (default: the item's unit)", example="ea", fields=("uom",)),
        Column("lot", help="Lot or serial number: required for tracked items"),
        Column("unit_cost", help="Cost per unit given (default: standard cost)", example="12.50"),
    )

    def write_row(self, actor: Membership, c: Cells) -> StockMove:
        item = c.ref("sku", Item, "sku", required=True)
        location = c.ref("location", Location, "code", required=True)
        quantity = c.decimal("quantity", required=True)  # more than zero, in any unit: the service's to check
        uom = c.ref("unit", UnitOfMeasure, "code")
        lot = c.text("lot", Lot, "code")
        unit_cost = c.decimal("unit_cost", StockMove)
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

    def export_rows(self) -> Iterator[list[object]]:
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


KINDS: dict[str, Kind] = {kind.slug: kind for kind in (Items(), BomLines(), Locations(), OpeningStock())}
