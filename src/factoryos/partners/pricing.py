"""Prices by quantity: what a customer pays on its price list, what a supplier charges, whom to buy from.

A price break holds from its ``min_quantity`` up to the next break's: the price for a quantity is the break with the
largest ``min_quantity`` not above it. A quantity below the smallest break takes the smallest break's price (a
supplier quoting from 10 up still sells 5 at that price, and a list starting at 10 still prices 5), so that an item
with prices always has one. Items are passed as objects or ids (the catalog is above partners: no import of it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.db.models import Q
from django.utils import timezone

from factoryos.partners.models import Partner, PriceListLine, SupplierItem


class Break(Protocol):
    min_quantity: Decimal
    unit_price: Decimal


B = TypeVar("B", bound=Break)


def _pk(obj: Any) -> Any:
    return getattr(obj, "pk", obj)


def best_break(breaks: Iterable[B], quantity: Decimal | int) -> B | None:
    """The break that prices ``quantity``: the largest ``min_quantity`` <= quantity, else the smallest break (the
    first of equal ones in the order given); None when there is none."""
    quantity = Decimal(quantity)
    chosen: B | None = None
    smallest: B | None = None
    for candidate in breaks:
        if smallest is None or candidate.min_quantity < smallest.min_quantity:
            smallest = candidate
        if candidate.min_quantity <= quantity and (chosen is None or candidate.min_quantity > chosen.min_quantity):
            chosen = candidate
    return chosen or smallest


def supplier_price(partner: Partner, item: Any, quantity: Decimal | int) -> tuple[Decimal | None, SupplierItem | None]:
    """What ``partner`` charges per unit of ``item`` for ``quantity`` (in the supplier item's currency), and the
    supplier item: (None, None) when the partner does not sell the item, (None, it) when it has no price yet."""
    supplier_item = SupplierItem.objects.filter(supplier=partner, item=_pk(item)).prefetch_related("breaks").first()
    if supplier_item is None:
        return None, None
    chosen = best_break(supplier_item.breaks.all(), quantity)
    return (chosen.unit_price if chosen is not None else None), supplier_item


def preferred_supplier(item: Any) -> SupplierItem | None:
    """The item's preferred supplier item (its supplier active), or None."""
    rows = SupplierItem.objects.select_related("supplier").filter(item=_pk(item), preferred=True, supplier__active=True)
    return rows.first()


def customer_price(partner: Partner, item: Any, quantity: Decimal | int, on: date | None = None) -> Decimal | None:
    """The unit price of ``item`` for ``quantity`` on the partner's price list on day ``on`` (today by default), in
    the list's currency (the partner's), or None: no price list, an inactive one, or no line for the item.

    Lines valid on ``on`` (an empty bound is open) are the breaks; of two lines with the same ``min_quantity``, the
    dated one (a promotion) wins over the open one, and of two dated ones the later start."""
    if partner.price_list_id is None:
        return None
    on = on or timezone.localdate()
    lines = PriceListLine.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        price_list_id=partner.price_list_id,
        price_list__active=True,
        item=_pk(item),
    )
    ranked = sorted(lines, key=lambda line: (line.valid_from is None, -(line.valid_from or date.min).toordinal()))
    chosen = best_break(ranked, quantity)
    return chosen.unit_price if chosen is not None else None
