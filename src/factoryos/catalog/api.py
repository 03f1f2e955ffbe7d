"""Units, categories, tags, items, BOM revisions with lines and routing operations; explosion, where-used, cost."""

from decimal import Decimal

from ninja import Query, Router, Schema
from pydantic import Field

from factoryos.catalog import schemas as s
from factoryos.catalog import selectors, services
from factoryos.kernel.access import requires
from factoryos.kernel.reads import VIEW, reads
from factoryos.kernel.resources import PathId, Resource, add_resource

router = Router(tags=["catalog"])

add_resource(
    router,
    Resource(
        path="units",
        reader=selectors.units_of_measure,
        out=s.UnitOut,
        create_in=s.UnitIn,
        patch_in=s.UnitPatch,
        create=services.uom_create,
        update=services.uom_update,
        delete=services.uom_delete,
        ordering=("code",),
    ),
)
add_resource(
    router,
    Resource(
        path="unit-conversions",
        reader=selectors.conversions,
        out=s.ConversionOut,
        create_in=s.ConversionIn,
        patch_in=s.ConversionPatch,
        create=services.conversion_create,
        update=services.conversion_update,
        delete=services.simple_delete,
    ),
)
add_resource(
    router,
    Resource(
        path="categories",
        reader=selectors.categories,
        out=s.CategoryOut,
        create_in=s.CategoryIn,
        patch_in=s.CategoryPatch,
        create=services.category_create,
        update=services.category_update,
        delete=services.simple_delete,
        ordering=("name",),
    ),
)
add_resource(
    router,
    Resource(
        path="tags",
        reader=selectors.tags,
        out=s.TagOut,
        create_in=s.TagIn,
        create=services.tag_create,
        delete=services.simple_delete,
        ordering=("name",),
    ),
)
add_resource(
    router,
    Resource(
        path="items",
        reader=selectors.items,
        out=s.ItemOut,
        create_in=s.ItemIn,
        patch_in=s.ItemPatch,
        create=services.item_create,
        update=services.item_update,
        delete=services.item_delete,
        ordering=("sku", "name", "standard_cost", "updated_at"),
    ),
)
add_resource(
    router,
    Resource(
        path="boms",
        reader=selectors.boms,
        out=s.BomOut,
        create_in=s.BomIn,
        patch_in=s.BomPatch,
        create=services.bom_create,
        update=services.bom_update,
        delete=services.bom_delete,
        ordering=("revision",),
    ),
)
add_resource(
    router,
    Resource(
        path="bom-lines",
        reader=selectors.bom_lines,
        out=s.BomLineOut,
        create_in=s.BomLineIn,
        patch_in=s.BomLinePatch,
        create=services.bom_line_add,
        update=services.bom_line_update,
        delete=services.bom_line_delete,
        ordering=("position",),
    ),
)
add_resource(
    router,
    Resource(
        path="operations",
        reader=selectors.operations,
        out=s.OperationOut,
        create_in=s.OperationIn,
        patch_in=s.OperationPatch,
        create=services.operation_add,
        update=services.operation_update,
        delete=services.operation_delete,
        ordering=("sequence",),
    ),
)


@router.post("/boms/{id}/release", response=s.BomOut, operation_id="boms_release")
@requires("catalog.edit")
def bom_release(request, id: PathId):  # noqa: A002
    """Release a draft revision; the previously released one becomes obsolete."""
    return services.bom_release(actor=request.membership, bom=selectors.boms.fetch(id))


@router.post("/boms/{id}/obsolete", response=s.BomOut, operation_id="boms_obsolete")
@requires("catalog.edit")
def bom_obsolete(request, id: PathId):  # noqa: A002
    return services.bom_obsolete(actor=request.membership, bom=selectors.boms.fetch(id))


class ExplodeParams(Schema):
    quantity: Decimal = Field(Decimal("1"), gt=0, max_digits=18, decimal_places=6)
    bom: int | None = Field(None, ge=1, le=2**63 - 1, description="A revision to explode instead of the released one")


@router.get("/items/{id}/explosion", response=list[s.ExplosionRow], operation_id="items_explosion")
@requires("catalog.view")
@reads(VIEW)
def item_explosion(request, id: PathId, params: Query[ExplodeParams]):  # noqa: A002
    """Indented multi-level explosion with extended quantities (scrap included, phantoms blown through)."""
    item = selectors.items.fetch(id)
    bom = selectors.boms.fetch(params.bom, queryset=item.boms.all()) if params.bom else None
    rows = selectors.explosion(item, params.quantity, bom)
    selectors.items.viewed(item, actor=request.membership, metadata={"view": "explosion", "rows": len(rows)})
    return [
        {
            "level": r["level"],
            "component_id": r["component"].pk,
            "sku": r["component"].sku,
            "name": r["component"].name,
            "uom": r["component"].uom.code,
            "qty_per": r["qty_per"],
            "scrap_pct": r["scrap_pct"],
            "quantity": r["quantity"],
            "phantom": r["phantom"],
            "leaf": r["leaf"],
        }
        for r in rows
    ]


@router.get("/items/{id}/where-used", response=list[s.WhereUsedOut], operation_id="items_where_used")
@requires("catalog.view")
@reads(VIEW)
def item_where_used(request, id: PathId):  # noqa: A002
    item = selectors.items.fetch(id)
    rows = selectors.where_used(item)
    selectors.items.viewed(item, actor=request.membership, metadata={"view": "where-used", "rows": len(rows)})
    return [
        {
            "level": r["level"],
            "parent_id": r["parent"].pk,
            "sku": r["parent"].sku,
            "name": r["parent"].name,
            "quantity": r["quantity"],
        }
        for r in rows
    ]


@router.get("/items/{id}/cost", response=s.CostOut, operation_id="items_cost")
@requires("catalog.view")
@reads(VIEW)
def item_cost(request, id: PathId):  # noqa: A002
    """Standard unit cost rolled up: material from components, labour and machine from the routing."""
    item = selectors.items.get(id, actor=request.membership, metadata={"view": "cost"})
    cost = selectors.cost_roll_up([item.pk])[item.pk]
    return {
        "item_id": item.pk,
        "material": cost.material,
        "labour": cost.labour,
        "machine": cost.machine,
        "total": cost.total,
    }
