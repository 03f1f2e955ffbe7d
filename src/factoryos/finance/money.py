"""Money arithmetic for every priced document: pure Python over Decimals, no Django.

The rules, once:

- Money has two places and rounds half up (``round_money``): the cent a customer sees is the cent the books keep.
- A line is rounded on its own: quantity x unit price, less the discount, is rounded to the cent; its tax is
  computed from that rounded amount and rounded too. With tax-exclusive prices the amount is the net and the tax
  is added; with tax-inclusive prices the amount is the gross and the tax is the part of it the rate makes up
  (``gross x rate / (100 + rate)``), so net + tax = gross on every line either way.
- A document's totals are the sums of its rounded lines, so they always add up to the cent: net + tax = gross, and
  the tax by rate sums to the tax total. (Rounding the document's tax once, on its net total, can differ from the
  sum of the lines' taxes by a few cents; per-line rounding is what AU GST invoices and most ledgers use.)
- A conversion to the organization's currency (``convert``) rounds once, at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def round_money(amount: Decimal | int) -> Decimal:
    """``amount`` to the cent, half up (2.345 -> 2.35, -2.345 -> -2.35)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineTotals:
    net: Decimal
    tax: Decimal
    gross: Decimal


def line_totals(
    quantity: Decimal, unit_price: Decimal, discount_pct: Decimal, tax_rate: Decimal, *, inclusive: bool
) -> LineTotals:
    """One line's net, tax and gross, each to the cent (``tax_rate`` and ``discount_pct`` are percentages)."""
    amount = round_money(Decimal(quantity) * Decimal(unit_price) * (HUNDRED - Decimal(discount_pct)) / HUNDRED)
    rate = Decimal(tax_rate)
    if inclusive:
        tax = round_money(amount * rate / (HUNDRED + rate))
        return LineTotals(net=amount - tax, tax=tax, gross=amount)
    tax = round_money(amount * rate / HUNDRED)
    return LineTotals(net=amount, tax=tax, gross=amount + tax)


@dataclass(frozen=True)
class Totals:
    net: Decimal = ZERO
    tax: Decimal = ZERO
    gross: Decimal = ZERO
    by_rate: dict[Decimal, LineTotals] = field(default_factory=dict)  # tax rate -> the lines' sums at that rate


def document_totals(lines: Iterable[tuple[Decimal, LineTotals]]) -> Totals:
    """The sums of already-rounded lines, given as (tax rate, totals): they add up to the cent by construction."""
    net = tax = gross = ZERO
    by_rate: dict[Decimal, LineTotals] = {}
    for rate, line in lines:
        net, tax, gross = net + line.net, tax + line.tax, gross + line.gross
        key = Decimal(rate).normalize()
        seen = by_rate.get(key, LineTotals(ZERO, ZERO, ZERO))
        by_rate[key] = LineTotals(seen.net + line.net, seen.tax + line.tax, seen.gross + line.gross)
    return Totals(net=net, tax=tax, gross=gross, by_rate=dict(sorted(by_rate.items())))


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """``amount`` in a document's currency as the organization's currency (``rate``: organization currency per one
    unit of the document's), to the cent."""
    return round_money(Decimal(amount) * Decimal(rate))
