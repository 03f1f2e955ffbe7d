"""Reads of the catalog (each model's Reader: see kernel/reads.py), and the reads that feed the BOM engine: the
released structure as plain data, in each component's own unit."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery

from factoryos.catalog import filters, units
from factoryos.catalog.models import (
    Bom,
    BomLine,
    BomStatus,
    Category,
    Item,
    Operation,
    OperationCheck,
    Tag,
    UnitOfMeasure,
    UomConversion,
)
from factoryos.kernel.errors import DomainError
from factoryos.kernel.reads import Reader
from factoryos.planning.engine import bom as engine


def _items():
    released = Bom.objects.filter(item=OuterRef("pk"), status=BomStatus.RELEASED).values("revision")[:1]
    return (
        Item.objects.select_related("uom", "category")
        .prefetch_related("tags")
        .annotate(released_revision=Subquery(released))
    )


units_of_measure = Reader(UnitOfMeasure, filterset=filters.UnitFilterSet)
conversions = Reader(
    UomConversion,
    queryset=lambda: UomConversion.objects.select_related("from_uom", "to_uom", "item"),
    filterset=filters.ConversionFilterSet,
)
categories = Reader(
    Category,
    queryset=lambda: Category.objects.select_related("parent").annotate(item_count=Count("items")),
    filterset=filters.CategoryFilterSet,
)
tags = Reader(Tag, queryset=lambda: Tag.objects.annotate(item_count=Count("items")), filterset=filters.TagFilterSet)
items = Reader(Item, queryset=_items, filterset=filters.ItemFilterSet)
boms = Reader(
    Bom,
    queryset=lambda: Bom.objects.select_related("item__uom", "released_by").annotate(
        line_count=Count("lines", distinct=True), operation_count=Count("operations", distinct=True)
    ),
    filterset=filters.BomFilterSet,
)
bom_lines = Reader(
    BomLine,
    queryset=lambda: BomLine.objects.select_related("bom__item", "component__uom", "uom", "operation"),
    filterset=filters.BomLineFilterSet,
)
operations = Reader(
    Operation,
    queryset=lambda: Operation.objects.select_related("bom__item", "work_center__site"),
    filterset=filters.OperationFilterSet,
)

operation_checks = Reader(
    OperationCheck,
    queryset=lambda: OperationCheck.objects.select_related("operation__bom__item"),
    filterset=filters.OperationCheckFilterSet,
)


def engine_lines(root_bom: Bom | None = None, *, where: Q | None = None) -> list[engine.BomLine]:
    """Lines of every released revision (with ``root_bom`` standing in for its item's released one), or only those
    ``where`` selects (e.g. the lines of some parents, for a plan of part of the catalog: in no particular order,
    so that the query joins nothing for it). A line in another unit than its component's is converted; the units'
    codes are read only to name a conversion that is missing (joined into every read, they misled PostgreSQL's
    planner: the lines into a net change's 675 items, asked without excluding their parents, planned as a nested
    loop over the whole catalog, 70 s instead of 0.1 s)."""
    rows = BomLine.objects.filter(bom__status=BomStatus.RELEASED)
    if where is not None:
        rows = rows.filter(where).order_by()
    if root_bom is not None:
        rows = rows.exclude(bom__item_id=root_bom.item_id) | BomLine.objects.filter(bom=root_bom)
    columns = ("bom__item_id", "component_id", "quantity", "scrap_pct", "phantom", "position", "uom_id")
    values = list(rows.values_list(*columns, "component__uom_id"))  # plain rows: 200,000 in a catalog
    converted = {(uom, stock_uom, component) for _, component, _, _, _, _, uom, stock_uom in values if uom != stock_uom}
    factors = _factors(converted)
    one = Decimal(1)
    return [
        engine.BomLine(
            parent=parent,
            component=component,
            qty_per=quantity * (one if uom == stock_uom else factors[(uom, stock_uom, component)]),
            scrap_pct=scrap_pct,
            phantom=phantom,
            line_id=position,
        )
        for parent, component, quantity, scrap_pct, phantom, position, uom, stock_uom in values
    ]


def _factors(pairs: set[tuple[int, int, int]]) -> dict[tuple[int, int, int], Decimal]:
    """(line unit, stock unit, item) -> the factor; a missing conversion is named by its units' codes and the SKU."""
    conversions = units.Conversions.load(every_item=True)  # one query, lines or not: a read's count stays fixed
    factors = {}
    for uom, stock_uom, component in pairs:
        try:
            factors[(uom, stock_uom, component)] = conversions.factor(
                UnitOfMeasure(pk=uom), UnitOfMeasure(pk=stock_uom), Item(pk=component)
            )
        except DomainError:  # again, with the names for the message
            codes = dict(UnitOfMeasure.objects.filter(pk__in=(uom, stock_uom)).values_list("pk", "code"))
            conversions.factor(
                UnitOfMeasure(pk=uom, code=codes[uom]),
                UnitOfMeasure(pk=stock_uom, code=codes[stock_uom]),
                Item.objects.only("sku").get(pk=component),
            )
            raise
    return factors


def engine_operations(root_bom: Bom | None = None) -> list[engine.Operation]:
    rows = Operation.objects.filter(bom__status=BomStatus.RELEASED)
    if root_bom is not None:
        rows = rows.exclude(bom__item_id=root_bom.item_id) | Operation.objects.filter(bom=root_bom)
    return [
        engine.Operation(
            item=op.bom.item_id,
            seq=op.sequence,
            setup_minutes=op.setup_minutes,
            run_minutes_per_unit=op.run_minutes_per_unit,
            machine_rate_per_hour=op.work_center.machine_rate,
            labour_rate_per_hour=op.work_center.labour_rate,
            efficiency_pct=op.work_center.efficiency_pct,
            machines=op.work_center.machines,
        )
        for op in rows.select_related("work_center", "bom")
    ]


def _labels(ids) -> dict[int, Item]:
    return {i.pk: i for i in Item.objects.filter(pk__in=set(ids)).select_related("uom")}


def explosion(item: Item, quantity: Decimal, bom: Bom | None = None) -> list[dict]:
    """Indented explosion of ``item`` (its released revision, or ``bom``) with SKUs, units and costs."""
    lines = engine_lines(bom)
    rows = engine.explode(item.pk, quantity, lines)
    items = _labels([r.component for r in rows])
    return [
        {
            "level": r.level,
            "component": items[r.component],
            "qty_per": r.qty_per,
            "scrap_pct": r.scrap_pct,
            "quantity": r.quantity,
            "phantom": r.phantom,
            "leaf": r.leaf,
            "path": r.path,
        }
        for r in rows
    ]


def where_used(item: Item) -> list[dict]:
    rows = engine.where_used(item.pk, engine_lines())
    parents = _labels([r.parent for r in rows])
    return [
        {"level": r.level, "parent": parents[r.parent], "quantity": r.quantity, "path": r.path, "phantom": r.phantom}
        for r in rows
    ]


def cost_roll_up(items: list[int] | None = None) -> dict[int, engine.CostBreakdown]:
    """Standard unit cost of every item: material from components, labour and machine from routings."""
    purchase = dict(Item.objects.values_list("pk", "standard_cost"))
    return engine.roll_up_costs(
        items if items is not None else list(purchase), engine_lines(), engine_operations(), purchase, strict=False
    )
