"""Quantity conversion between units: item-specific conversions first, then general ones, via at most a chain."""

from __future__ import annotations

from collections import deque
from decimal import Decimal

from factoryos.catalog.errors import CatalogError
from factoryos.catalog.models import Item, UnitOfMeasure, UomConversion
from factoryos.kernel.errors import DomainError


def conversion_graph(item: Item | None = None) -> dict[int, list[tuple[int, Decimal]]]:
    """unit id -> [(unit id, factor)]: 1 of the first is ``factor`` of the second (both directions)."""
    graph: dict[int, list[tuple[int, Decimal]]] = {}
    rows = UomConversion.objects.filter(item__isnull=True)
    if item is not None:
        rows = UomConversion.objects.filter(item__isnull=True) | UomConversion.objects.filter(item=item)
    for from_id, to_id, factor in rows.values_list("from_uom_id", "to_uom_id", "factor"):
        graph.setdefault(from_id, []).append((to_id, factor))
        graph.setdefault(to_id, []).append((from_id, Decimal(1) / factor))
    return graph


def factor(from_uom: UnitOfMeasure, to_uom: UnitOfMeasure, item: Item | None = None) -> Decimal:
    """How many ``to_uom`` make one ``from_uom`` (breadth-first: the shortest chain of conversions)."""
    if from_uom.pk == to_uom.pk:
        return Decimal(1)
    graph = conversion_graph(item)
    seen = {from_uom.pk}
    queue: deque[tuple[int, Decimal]] = deque([(from_uom.pk, Decimal(1))])
    while queue:
        unit, so_far = queue.popleft()
        for nxt, step in graph.get(unit, ()):
            if nxt == to_uom.pk:
                return so_far * step
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, so_far * step))
    subject = f" for {item.sku}" if item else ""
    raise DomainError(
        f"No conversion from {from_uom.code} to {to_uom.code}{subject}: add one under Units.",
        code=CatalogError.NO_CONVERSION,
        field="uom",
    )


def convert(quantity: Decimal, from_uom: UnitOfMeasure, to_uom: UnitOfMeasure, item: Item | None = None) -> Decimal:
    return quantity * factor(from_uom, to_uom, item)
