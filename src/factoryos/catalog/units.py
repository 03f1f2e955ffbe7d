"""Quantity conversion between units: item-specific conversions first, then general ones, via at most a chain."""

from __future__ import annotations

from collections import deque
from decimal import Decimal

from factoryos.catalog.errors import CatalogError
from factoryos.catalog.models import Item, UnitOfMeasure, UomConversion
from factoryos.kernel.errors import DomainError


class Conversions:
    """Conversions loaded once (the general ones, and the item-specific ones of the items asked about), so that the
    factors of many BOM lines cost one query, not one each."""

    def __init__(self, rows: list[tuple[int | None, int, int, Decimal]]):
        self.general: list[tuple[int, int, Decimal]] = []
        self.of_item: dict[int, list[tuple[int, int, Decimal]]] = {}
        for owner, from_id, to_id, factor in rows:
            (self.general if owner is None else self.of_item.setdefault(owner, [])).append((from_id, to_id, factor))

    @classmethod
    def load(cls, item: Item | None = None, *, every_item: bool = False) -> Conversions:
        """The general conversions with ``item``'s own, or with every item's (``every_item``)."""
        rows = UomConversion.objects.all()
        if not every_item:
            rows = rows.filter(item__isnull=True) | rows.filter(item=item) if item else rows.filter(item__isnull=True)
        return cls(list(rows.values_list("item_id", "from_uom_id", "to_uom_id", "factor")))

    def graph(self, item: Item | None) -> dict[int, list[tuple[int, Decimal]]]:
        """unit id -> [(unit id, factor)]: 1 of the first is ``factor`` of the second (both directions)."""
        graph: dict[int, list[tuple[int, Decimal]]] = {}
        own = self.of_item.get(item.pk, []) if item else []
        for from_id, to_id, factor in [*own, *self.general]:  # the item's own first: the shortest chain wins ties
            graph.setdefault(from_id, []).append((to_id, factor))
            graph.setdefault(to_id, []).append((from_id, Decimal(1) / factor))
        return graph

    def factor(self, from_uom: UnitOfMeasure, to_uom: UnitOfMeasure, item: Item | None = None) -> Decimal:
        """How many ``to_uom`` make one ``from_uom`` (breadth-first: the shortest chain of conversions)."""
        if from_uom.pk == to_uom.pk:
            return Decimal(1)
        graph = self.graph(item)
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


def factor(from_uom: UnitOfMeasure, to_uom: UnitOfMeasure, item: Item | None = None) -> Decimal:
    """How many ``to_uom`` make one ``from_uom``."""
    if from_uom.pk == to_uom.pk:
        return Decimal(1)
    return Conversions.load(item).factor(from_uom, to_uom, item)


def convert(quantity: Decimal, from_uom: UnitOfMeasure, to_uom: UnitOfMeasure, item: Item | None = None) -> Decimal:
    return quantity * factor(from_uom, to_uom, item)
