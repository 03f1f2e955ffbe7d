from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from factoryos.catalog.models import BomStatus, ItemType, MakeBuy, Tracking, UomKind

Qty = Field(ge=0, max_digits=18, decimal_places=6)


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: UomKind


class UnitIn(Schema):
    code: str = Field(min_length=1, max_length=12)
    name: str = Field(min_length=1, max_length=60)
    kind: UomKind


class UnitPatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=12)
    name: str | None = Field(None, min_length=1, max_length=60)
    kind: UomKind | None = None


class ConversionOut(Schema):
    id: int
    from_uom_id: int
    to_uom_id: int
    factor: Decimal
    item_id: int | None


class ConversionIn(Schema):
    from_uom: int
    to_uom: int
    factor: Decimal = Field(gt=0, max_digits=18, decimal_places=6)
    item: int | None = None


class ConversionPatch(Schema):
    factor: Decimal | None = Field(None, gt=0, max_digits=18, decimal_places=6)


class CategoryOut(Schema):
    id: int
    name: str
    parent_id: int | None


class CategoryIn(Schema):
    name: str = Field(min_length=1, max_length=80)
    parent: int | None = None


class CategoryPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=80)
    parent: int | None = None


class TagOut(Schema):
    id: int
    name: str


class TagIn(Schema):
    name: str = Field(min_length=1, max_length=40)


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


class ItemIn(Schema):
    sku: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    item_type: ItemType
    uom: int
    make_buy: MakeBuy | None = None
    standard_cost: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=4)
    lead_time_days: int = Field(0, ge=0, le=3650)
    safety_stock: Decimal = Field(Decimal("0"), ge=0, max_digits=18, decimal_places=6)
    reorder_point: Decimal = Field(Decimal("0"), ge=0, max_digits=18, decimal_places=6)
    reorder_qty: Decimal = Field(Decimal("0"), ge=0, max_digits=18, decimal_places=6)
    min_order_qty: Decimal = Field(Decimal("0"), ge=0, max_digits=18, decimal_places=6)
    order_multiple: Decimal = Field(Decimal("0"), ge=0, max_digits=18, decimal_places=6)
    weight_kg: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    material: str = Field("", max_length=80)
    tracking: Tracking = Tracking.NONE
    category: int | None = None
    tags: list[int] = Field(default_factory=list, max_length=50)
    attributes: dict[str, str | int | float | bool] = Field(default_factory=dict, max_length=50)
    active: bool = True


class ItemPatch(Schema):
    sku: str | None = Field(None, min_length=1, max_length=60)
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    item_type: ItemType | None = None
    uom: int | None = None
    make_buy: MakeBuy | None = None
    standard_cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=4)
    lead_time_days: int | None = Field(None, ge=0, le=3650)
    safety_stock: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    reorder_point: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    reorder_qty: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    min_order_qty: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    order_multiple: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    weight_kg: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    material: str | None = Field(None, max_length=80)
    tracking: Tracking | None = None
    category: int | None = None
    tags: list[int] | None = Field(None, max_length=50)
    attributes: dict[str, str | int | float | bool] | None = Field(None, max_length=50)
    active: bool | None = None


class BomOut(Schema):
    id: int
    item_id: int
    revision: int
    status: BomStatus
    notes: str
    released_at: datetime | None


class BomIn(Schema):
    item: int
    copy_from: int | None = Field(
        None, description="A revision to copy lines and routing from (default: the released one)"
    )
    notes: str = Field("", max_length=2000)


class BomPatch(Schema):
    notes: str | None = Field(None, max_length=2000)


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


class BomLineIn(Schema):
    bom: int
    component: int
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=6)
    uom: int | None = Field(None, description="Default: the component's unit")
    scrap_pct: Decimal = Field(Decimal("0"), ge=0, lt=100, max_digits=5, decimal_places=2)
    phantom: bool = False
    reference: str = Field("", max_length=200)
    operation: int | None = None
    position: int | None = Field(None, ge=1, le=1_000_000)


class BomLinePatch(Schema):
    component: int | None = None
    quantity: Decimal | None = Field(None, gt=0, max_digits=18, decimal_places=6)
    uom: int | None = None
    scrap_pct: Decimal | None = Field(None, ge=0, lt=100, max_digits=5, decimal_places=2)
    phantom: bool | None = None
    reference: str | None = Field(None, max_length=200)
    operation: int | None = None
    position: int | None = Field(None, ge=1, le=1_000_000)


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


class OperationIn(Schema):
    bom: int
    work_center: int
    description: str = Field(min_length=1, max_length=200)
    sequence: int | None = Field(None, ge=1, le=1_000_000)
    setup_minutes: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    run_minutes_per_unit: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=4)
    move_minutes: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    queue_minutes: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)


class OperationPatch(Schema):
    work_center: int | None = None
    description: str | None = Field(None, min_length=1, max_length=200)
    sequence: int | None = Field(None, ge=1, le=1_000_000)
    setup_minutes: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    run_minutes_per_unit: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=4)
    move_minutes: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    queue_minutes: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)


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
