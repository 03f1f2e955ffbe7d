from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from factoryos.catalog.models import (
    Bom,
    BomLine,
    BomStatus,
    Category,
    Item,
    ItemType,
    MakeBuy,
    Operation,
    Tag,
    Tracking,
    UnitOfMeasure,
    UomConversion,
    UomKind,
)
from factoryos.kernel.schemas import RefId, bodies


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: UomKind


class ConversionOut(Schema):
    id: int
    from_uom_id: int
    to_uom_id: int
    factor: Decimal
    item_id: int | None


class CategoryOut(Schema):
    id: int
    name: str
    parent_id: int | None


class TagOut(Schema):
    id: int
    name: str


class ItemOut(Schema):
    id: int
    sku: str
    name: str
    description: str
    item_type: ItemType
    uom_id: int
    make_buy: MakeBuy
    standard_cost: Decimal
    lead_time_days: int
    safety_stock: Decimal
    reorder_point: Decimal
    reorder_qty: Decimal
    min_order_qty: Decimal
    order_multiple: Decimal
    weight_kg: Decimal | None
    material: str
    tracking: Tracking
    category_id: int | None
    tags: list[str]
    attributes: dict[str, Any]
    active: bool

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t.name for t in obj.tags.all()]


class BomOut(Schema):
    id: int
    item_id: int
    revision: int
    status: BomStatus
    notes: str
    released_at: datetime | None


class BomLineOut(Schema):
    id: int
    bom_id: int
    position: int
    component_id: int
    quantity: Decimal
    uom_id: int
    scrap_pct: Decimal
    phantom: bool
    reference: str
    operation_id: int | None


class OperationOut(Schema):
    id: int
    bom_id: int
    sequence: int
    work_center_id: int
    description: str
    setup_minutes: Decimal
    run_minutes_per_unit: Decimal
    move_minutes: Decimal
    queue_minutes: Decimal


class ExplosionRow(Schema):
    level: int
    component_id: int
    sku: str
    name: str
    uom: str
    qty_per: Decimal
    scrap_pct: Decimal
    quantity: Decimal
    phantom: bool
    leaf: bool


class WhereUsedOut(Schema):
    level: int
    parent_id: int
    sku: str
    name: str
    quantity: Decimal


class CostOut(Schema):
    item_id: int
    material: Decimal
    labour: Decimal
    machine: Decimal
    total: Decimal


UnitIn, UnitPatch = bodies(UnitOfMeasure, ("code", "name", "kind"))
ConversionIn, ConversionPatch = bodies(UomConversion, ("from_uom", "to_uom", "factor", "item"), patch=("factor",))
CategoryIn, CategoryPatch = bodies(Category, ("name", "parent"))
TagIn, _ = bodies(Tag, ("name",))
Attributes = Annotated[dict[str, str | int | float | bool], Field(max_length=50)]
ItemIn, ItemPatch = bodies(
    Item,
    (
        "sku",
        "name",
        "description",
        "item_type",
        "uom",
        "make_buy",
        "standard_cost",
        "lead_time_days",
        "safety_stock",
        "reorder_point",
        "reorder_qty",
        "min_order_qty",
        "order_multiple",
        "weight_kg",
        "material",
        "tracking",
        "category",
        "attributes",
        "active",
    ),
    defaulted=("make_buy",),  # by type: made for manufactured parts, sub-assemblies and finished goods
    override={"attributes": Attributes},
    extra={"tags": (Annotated[list[int], Field(max_length=50)], Field(default_factory=list, description="Tag ids"))},
)
BomIn, BomPatch = bodies(
    Bom,
    ("item", "notes"),
    patch=("notes",),
    extra={
        "copy_from": (
            RefId | None,
            Field(None, description="A revision to copy lines and routing from (default: the released one)"),
        )
    },
)
BomLineIn, BomLinePatch = bodies(
    BomLine,
    ("bom", "component", "quantity", "uom", "scrap_pct", "phantom", "reference", "operation", "position"),
    required=("bom", "component", "quantity"),
    defaulted=("uom", "position"),  # the component's unit; the next position
    patch=("component", "quantity", "uom", "scrap_pct", "phantom", "reference", "operation", "position"),
)
OperationIn, OperationPatch = bodies(
    Operation,
    (
        "bom",
        "work_center",
        "description",
        "sequence",
        "setup_minutes",
        "run_minutes_per_unit",
        "move_minutes",
        "queue_minutes",
    ),
    required=("bom", "work_center", "description"),
    defaulted=("sequence",),  # the next one
    patch=(
        "work_center",
        "description",
        "sequence",
        "setup_minutes",
        "run_minutes_per_unit",
        "move_minutes",
        "queue_minutes",
    ),
)
