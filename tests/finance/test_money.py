"""Money: per-line rounding with known answers, and totals that add up to the cent for any document."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from factoryos.finance import money


def test_exclusive_line_rounds_the_amount_then_the_tax():
    # 3 x 19.995 = 59.985 -> 59.99 (half up); GST 10 % of 59.99 = 5.999 -> 6.00
    line = money.line_totals(D("3"), D("19.995"), D("0"), D("10"), inclusive=False)
    assert (line.net, line.tax, line.gross) == (D("59.99"), D("6.00"), D("65.99"))


def test_inclusive_line_takes_the_tax_out_of_the_gross():
    # 110.00 including 10 % GST: 10.00 tax, 100.00 net; 9.99 including GST: 0.908.. -> 0.91 tax
    assert money.line_totals(D("1"), D("110"), D("0"), D("10"), inclusive=True) == money.LineTotals(
        D("100.00"), D("10.00"), D("110.00")
    )
    assert money.line_totals(D("1"), D("9.99"), D("0"), D("10"), inclusive=True) == money.LineTotals(
        D("9.08"), D("0.91"), D("9.99")
    )


def test_discount_applies_before_rounding():
    # 7 x 12.345 = 86.415, less 12.5 % = 75.613125 -> 75.61; tax 7.561 -> 7.56
    line = money.line_totals(D("7"), D("12.345"), D("12.5"), D("10"), inclusive=False)
    assert (line.net, line.tax, line.gross) == (D("75.61"), D("7.56"), D("83.17"))


def test_half_cents_round_away_from_zero():
    assert money.round_money(D("2.345")) == D("2.35")
    assert money.round_money(D("-2.345")) == D("-2.35")
    assert money.convert(D("100.00"), D("1.52345")) == D("152.35")


def test_document_totals_by_rate():
    lines = [
        (D("10"), money.line_totals(D("2"), D("50"), D("0"), D("10"), inclusive=False)),
        (D("0"), money.line_totals(D("1"), D("30"), D("0"), D("0"), inclusive=False)),
        (D("10.0"), money.line_totals(D("1"), D("0.05"), D("0"), D("10"), inclusive=False)),
    ]
    totals = money.document_totals(lines)
    assert (totals.net, totals.tax, totals.gross) == (D("130.05"), D("10.01"), D("140.06"))
    assert list(totals.by_rate) == [D("0"), D("10")]  # 10 and 10.0 are one rate
    assert totals.by_rate[D("10")].tax == D("10.01")


prices = st.decimals(min_value=D("0"), max_value=D("99999.9999"), places=4)
quantities = st.decimals(min_value=D("0.000001"), max_value=D("9999"), places=6)
discounts = st.decimals(min_value=D("0"), max_value=D("100"), places=2)
rates = st.sampled_from([D("0"), D("5"), D("7.25"), D("10"), D("15"), D("20"), D("8.875")])
lines_ = st.lists(st.tuples(quantities, prices, discounts, rates), min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(lines=lines_, inclusive=st.booleans())
def test_any_document_adds_up_to_the_cent(lines, inclusive):
    priced = [(rate, money.line_totals(q, p, d, rate, inclusive=inclusive)) for q, p, d, rate in lines]
    totals = money.document_totals(priced)
    for _rate, line in priced:
        assert line.net + line.tax == line.gross
        assert line.net == money.round_money(line.net) and line.tax == money.round_money(line.tax)
        assert line.tax >= 0 and line.net >= 0
    assert totals.net + totals.tax == totals.gross
    assert sum((line.gross for _r, line in priced), D("0")) == totals.gross
    assert sum((by.tax for by in totals.by_rate.values()), D("0")) == totals.tax
    assert sum((by.net for by in totals.by_rate.values()), D("0")) == totals.net
