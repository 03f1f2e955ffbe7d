"""Reorder arithmetic (pure)."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

ZERO = Decimal("0")


def suggested_order_qty(
    *,
    available: Decimal,
    reorder_point: Decimal,
    reorder_qty: Decimal,
    min_order_qty: Decimal = ZERO,
    order_multiple: Decimal = ZERO,
) -> Decimal:
    """How much to order when ``available`` is below the reorder point (zero when it is not).

    Order at least the reorder quantity, and at least enough to reach the reorder point again; then at least the
    minimum order quantity; then round up to a whole number of order multiples.
    """
    if available >= reorder_point:
        return ZERO
    qty = max(reorder_qty, reorder_point - available, min_order_qty)
    if order_multiple > 0:
        qty = (qty / order_multiple).to_integral_value(rounding=ROUND_CEILING) * order_multiple
    return qty
