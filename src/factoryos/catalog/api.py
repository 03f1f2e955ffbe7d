"""Units, categories, tags, items, BOM revisions with lines and routing operations; explosion, where-used, cost."""

from decimal import Decimal

from ninja import Query, Router, Schema
from pydantic import Field

from factoryos.catalog import schemas as s
from factoryos.catalog import selectors, services
from factoryos.kernel.access import requires
from factoryos.kernel.reads import VIEW, reads
from factoryos.kernel.resources import PathId, Resource, add_resources

router = Router(tags=["catalog"])

add_resources(
    router,
    Resource("units", selectors.units_of_measure, ordering=("code",), name="Unit", noun="uom"),
    Resource(
        "unit-conversions", selectors.conversions, name="Conversion", noun="conversion", delete=services.simple_delete
    ),
    Resource("categories", selectors.categories, ordering=("name",), delete=services.simple_delete),
    Resource("tags", selectors.tags, ordering=("name",), delete=services.simple_delete),
    Resource("items", selectors.items, ordering=("sku", "name", "standard_cost", "updated_at")),
    Resource("boms", selectors.boms, ordering=("revision",)),
    Resource("bom-lines", selectors.bom_lines, ordering=("position",), create=services.bom_line_add),
    Resource("operations", selectors.operations, ordering=("sequence",), create=services.operation_add),
    Resource("operation-checks", selectors.operation_checks, create=services.operation_check_add),
    schemas=s,
    services=services,
)


@router.post("/boms/{id}/release", response=s.BomOut, operation_id="boms_release")
@requires("catalog.edit")
def bom_release(request, id: PathId):  # noqa: A002
    """Release a draft revision; the previously released one becomes obsolete."""
    return services.bom_release(actor=request.membership, obj=selectors.boms.fetch(id))


@router.post("/boms/{id}/obsolete", response=s.BomOut, operation_id="boms_obsolete")
@requires("catalog.edit")
def bom_obsolete(request, id: PathId):  # noqa: A002
    return services.bom_obsolete(actor=request.membership, obj=selectors.boms.fetch(id))


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
