from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from factoryos.catalog import services as f  # the fields each service takes
from factoryos.catalog.models import (
    Bom,
    BomLine,
    Category,
    Item,
    Operation,
    OperationCheck,
    Tag,
    UnitOfMeasure,
    UomConversion,
)
from factoryos.kernel.schemas import RefId, bodies, reply

UnitOut = reply(UnitOfMeasure, f.UnitFields, name="Unit")
ConversionOut = reply(UomConversion, f.ConversionFields, name="Conversion")
CategoryOut = reply(Category, f.CategoryFields)
TagOut = reply(Tag, f.TagFields)


class ItemOut(reply(Item, f.ItemFields, name="ItemFields")):  # type: ignore[misc]  # a class made at run time
    tags: list[str]

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t.name for t in obj.tags.all()]


BomOut = reply(Bom, "item", "revision", "status", f.BomFields, "released_at")
BomLineOut = reply(BomLine, "bom", f.BomLineFields)
OperationOut = reply(Operation, "bom", f.OperationFields)
OperationCheckOut = reply(OperationCheck, "operation", f.CheckFields)


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


UnitIn, UnitPatch = bodies(UnitOfMeasure, f.UnitFields)
ConversionIn, ConversionPatch = bodies(UomConversion, f.ConversionFields, fixed=("from_uom", "to_uom", "item"))
CategoryIn, CategoryPatch = bodies(Category, f.CategoryFields)
TagIn, _ = bodies(Tag, f.TagFields)
Attributes = Annotated[dict[str, str | int | float | bool], Field(max_length=50)]
ItemIn, ItemPatch = bodies(
    Item,
    f.ItemFields,
    defaulted=("make_buy",),  # by type: made for manufactured parts, sub-assemblies and finished goods
    override={"attributes": Attributes},
    extra={"tags": (Annotated[list[int], Field(max_length=50)], Field(default_factory=list, description="Tag ids"))},
)
BomIn, BomPatch = bodies(
    Bom,
    "item",
    f.BomFields,
    fixed=("item",),
    extra={
        "copy_from": (
            RefId | None,
            Field(None, description="A revision to copy lines and routing from (default: the released one)"),
        )
    },
)
BomLineIn, BomLinePatch = bodies(
    BomLine,
    "bom",
    f.BomLineFields,
    required=("bom", "component", "quantity"),
    defaulted=("uom", "position"),  # the component's unit; the next position
    fixed=("bom",),
)
OperationIn, OperationPatch = bodies(
    Operation,
    "bom",
    f.OperationFields,
    required=("bom", "work_center", "description"),
    defaulted=("sequence",),  # the next one
    fixed=("bom",),
)
OperationCheckIn, _ = bodies(
    OperationCheck, "operation", f.CheckFields, required=("operation", "name"), name="OperationCheck"
)
