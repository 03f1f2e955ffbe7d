"""Payment terms and prices by quantity: known answers for due dates, price breaks, price lists and suppliers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factoryos.kernel.errors import DomainError
from factoryos.kernel.tenancy import org_scope
from factoryos.partners import pricing, services
from factoryos.partners.models import Partner, SupplierItem

D = Decimal


@pytest.mark.parametrize(
    ("kind", "days", "issued", "due"),
    [
        ("net", 30, date(2026, 1, 15), date(2026, 2, 14)),
        ("net", 0, date(2026, 1, 15), date(2026, 1, 15)),
        ("net", 14, date(2026, 12, 25), date(2027, 1, 8)),
        ("eom", 30, date(2026, 1, 15), date(2026, 3, 2)),  # 31 January + 30 days
        ("eom", 30, date(2026, 1, 31), date(2026, 3, 2)),  # the month's last day counts the same
        ("eom", 0, date(2026, 2, 10), date(2026, 2, 28)),
        ("eom", 0, date(2028, 2, 10), date(2028, 2, 29)),  # a leap year
        ("eom", 45, date(2026, 12, 1), date(2027, 2, 14)),
        ("eom", 20, date(2026, 4, 30), date(2026, 5, 20)),
    ],
)
def test_due_date_net_counts_from_the_invoice_eom_from_the_end_of_its_month(kind, days, issued, due):
    partner = Partner(terms_kind=kind, payment_terms_days=days)
    assert services.due_date(partner, issued) == due


def test_terms_read_as_people_write_them():
    assert Partner(terms_kind="net", payment_terms_days=30).terms == "Net 30"
    assert Partner(terms_kind="eom", payment_terms_days=30).terms == "EOM + 30"
    assert Partner(terms_kind="eom", payment_terms_days=0).terms == "EOM"


def brk(min_quantity: str, unit_price: str) -> SimpleNamespace:
    return SimpleNamespace(min_quantity=D(min_quantity), unit_price=D(unit_price))


BREAKS = [brk("10", "9.00"), brk("1", "10.00"), brk("50", "8.00")]  # in any order


@pytest.mark.parametrize(
    ("quantity", "price"),
    [
        ("0.5", "10.00"),
        ("1", "10.00"),
        ("9.999", "10.00"),
        ("10", "9.00"),
        ("49", "9.00"),
        ("50", "8.00"),
        ("1e6", "8.00"),
    ],
)
def test_the_break_is_the_largest_minimum_not_above_the_quantity(quantity, price):
    assert pricing.best_break(BREAKS, D(quantity)).unit_price == D(price)


def test_below_the_smallest_break_its_price_applies_and_no_breaks_no_price():
    assert pricing.best_break([brk("5", "3.10"), brk("20", "2.90")], 2).unit_price == D("3.10")
    assert pricing.best_break([], 10) is None


@settings(max_examples=80, deadline=None)
@given(
    minimums=st.lists(st.integers(0, 1000), min_size=1, max_size=6, unique=True),
    quantity=st.decimals(min_value=0, max_value=2000, places=3),
)
def test_a_break_never_skips_a_closer_one(minimums, quantity):
    breaks = [brk(str(m), str(m + 1)) for m in minimums]
    chosen = pricing.best_break(breaks, quantity)
    eligible = [m for m in minimums if m <= quantity]
    assert chosen.min_quantity == (max(eligible) if eligible else min(minimums))


def test_supplier_price_by_quantity(world):
    blue, sheet = world.objects["partners.partner#supplier"], world.objects["catalog.item#sheet"]
    with org_scope(world.org):
        supplied = world.objects["partners.supplieritem"]
        assert pricing.supplier_price(blue, sheet, D("1")) == (D("182.50"), supplied)
        assert pricing.supplier_price(blue, sheet.pk, D("9.5"))[0] == D("182.50")
        assert pricing.supplier_price(blue, sheet, 10)[0] == D("171.00")
        assert pricing.supplier_price(blue, sheet, D("0.25"))[0] == D("182.50")  # below the first break
        mcl = world.objects["partners.partner#both"]
        assert pricing.supplier_price(mcl, sheet, 10) == (None, None)  # MCL does not sell it
        unpriced = services.supplier_item_create(actor=world.owner, supplier=mcl, item=sheet)
        assert pricing.supplier_price(mcl, sheet, 10) == (None, unpriced)
        assert unpriced.currency == "AUD" and not unpriced.preferred  # BLUE was first


def test_one_preferred_supplier_per_item(world):
    sheet, blue = world.objects["catalog.item#sheet"], world.objects["partners.supplieritem"]
    mcl = world.objects["partners.partner#both"]
    with org_scope(world.org):
        assert pricing.preferred_supplier(sheet) == blue
        other = services.supplier_item_create(actor=world.owner, supplier=mcl, item=sheet, preferred=True)
        assert pricing.preferred_supplier(sheet) == other
        assert list(SupplierItem.objects.filter(item=sheet, preferred=True)) == [other]
        services.partner_update(actor=world.owner, obj=mcl, active=False)
        assert pricing.preferred_supplier(sheet) is None  # an inactive supplier is not proposed
        services.supplier_item_update(actor=world.owner, obj=blue, preferred=True)
        assert pricing.preferred_supplier(sheet.pk) == blue


def test_a_supplier_item_needs_a_supplier(world, api):
    body = {"supplier": world.pk("partners.partner"), "item": world.pk("catalog.item"), "supplier_sku": "X"}
    response = api.post("/api/v1/supplier-items", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0] | {"message": ""} == {
        "field": "supplier",
        "code": "partner_not_a_supplier",
        "message": "",
    }
    twice = {**body, "supplier": world.pk("partners.partner#supplier"), "item": world.pk("catalog.item#sheet")}
    response = api.post("/api/v1/supplier-items", twice, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "item"  # BLUE sells it already


def test_customer_price_from_the_partners_list_by_quantity_and_date(world):
    acme, bracket = world.objects["partners.partner"], world.objects["catalog.item"]
    trade = world.objects["partners.pricelist"]
    with org_scope(world.org):
        assert pricing.customer_price(acme, bracket, 1) == D("45.00")
        assert pricing.customer_price(acme, bracket, D("9")) == D("45.00")
        assert pricing.customer_price(acme, bracket, 10) == D("41.50")
        assert pricing.customer_price(acme, bracket, D("0.5")) == D("45.00")  # below the first break
        assert pricing.customer_price(acme, world.objects["catalog.item#sheet"], 1) is None  # not on the list
        assert pricing.customer_price(world.objects["partners.partner#both"], bracket, 1) is None  # no list
        promotion = {"price_list": trade, "item": bracket, "min_quantity": D("10"), "unit_price": D("39.00")}
        services.price_list_line_create(
            actor=world.owner, **promotion, valid_from=date(2026, 3, 1), valid_to=date(2026, 3, 31)
        )
        assert pricing.customer_price(acme, bracket, 12, on=date(2026, 3, 1)) == D("39.00")
        assert pricing.customer_price(acme, bracket, 12, on=date(2026, 3, 31)) == D("39.00")
        assert pricing.customer_price(acme, bracket, 12, on=date(2026, 4, 1)) == D("41.50")
        assert pricing.customer_price(acme, bracket, 2, on=date(2026, 3, 15)) == D("45.00")
        services.price_list_update(actor=world.owner, obj=trade, active=False)
        assert pricing.customer_price(acme, bracket, 10) is None  # an inactive list prices nothing


def test_a_price_list_is_in_the_partners_currency(world, api):
    trade, acme = world.pk("partners.pricelist"), world.pk("partners.partner")
    body = {"code": "KIWI", "legal_name": "Kiwi Fab", "is_customer": True, "currency": "NZD", "price_list": trade}
    response = api.post("/api/v1/partners", body, content_type="application/json")
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("price_list", "price_list_currency")]
    response = api.patch(f"/api/v1/partners/{acme}", {"currency": "USD"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "price_list"
    response = api.patch(f"/api/v1/price-lists/{trade}", {"currency": "USD"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "currency"
    response = api.delete(f"/api/v1/price-lists/{trade}")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "in_use"  # ACME buys on it


def test_a_price_validity_ends_after_it_starts(world, api):
    line = world.pk("partners.pricelistline")
    body = {"valid_from": "2026-06-01", "valid_to": "2026-05-31"}
    response = api.patch(f"/api/v1/price-list-lines/{line}", body, content_type="application/json")
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("valid_to", "price_validity_reversed")]
    with org_scope(world.org), pytest.raises(DomainError):
        services.price_list_line_create(
            actor=world.owner,
            price_list=world.objects["partners.pricelist"],
            item=world.objects["catalog.item"],
            unit_price=D("1"),
            valid_from=date(2026, 2, 1),
            valid_to=date(2026, 1, 1),
        )
    negative = {"price_list": world.pk("partners.pricelist"), "item": world.pk("catalog.item"), "unit_price": "-1"}
    response = api.post("/api/v1/price-list-lines", negative, content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "unit_price"
