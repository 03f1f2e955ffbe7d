"""Display of exact quantities and amounts: no float rounding, no trailing zeros, no exponent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def qty(value, places: int = 6) -> str:
    """0.050000 -> 0.05; 38.500 -> 38.5; 12 -> 12 (rounded half-up to ``places`` decimals first)."""
    number = _decimal(value)
    if number is None:
        return ""
    number = number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP).normalize()
    text = f"{number:f}"
    return "0" if text in ("-0", "0") else text


@register.filter
def money(value) -> str:
    """At least two decimals, at most four: 26 -> 26.00, 14.08333 -> 14.0833, 1234.5 -> 1,234.50."""
    number = _decimal(value)
    if number is None:
        return ""
    number = number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    places = 4 if number != number.quantize(Decimal("0.01")) else 2
    return f"{number:,.{places}f}"
