"""Partners: one record for a customer, a supplier or both; the lists of each, the form, the API and the picker
agree on what a partner may be."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from factoryos.audit.models import AuditEvent
from factoryos.kernel.tenancy import org_scope
from factoryos.partners.models import Partner
from tests.factories import HTMX, page_text

OURS = {"ACME", "BLUE", "MCL"}  # the partners world's (later apps' worlds add partners of their own)


def codes(response) -> list[str]:
    return [c for c in re.findall(r'href="/partners/\d+/">([^<]+)</a>', response.content.decode()) if c in OURS]


def test_customers_and_suppliers_each_list_their_partners(world, owner):
    assert codes(owner.get(reverse("partners:customer_list"))) == ["ACME", "MCL"]
    assert codes(owner.get(reverse("partners:supplier_list"))) == ["BLUE", "MCL"]
    assert codes(owner.get(reverse("partners:customer_list"), {"q": "switch"})) == ["ACME"]  # trading name
    partial = owner.get(reverse("partners:supplier_list"), {"q": "blue"}, **HTMX)
    assert b"<html" not in partial.content and codes(partial) == ["BLUE"]


def test_the_form_creates_a_customer_in_the_organizations_currency(world, owner):
    form = owner.get(reverse("partners:partner_create"), {"role": "customer"})
    assert '<input type="checkbox" name="is_customer" id="id_is_customer" checked>' in page_text(form)
    response = owner.post(
        reverse("partners:partner_create"),
        {"code": "TAS", "legal_name": "Tasman Electrical Pty Ltd", "is_customer": "on", "payment_terms_days": "14"},
    )
    assert response.status_code == 302
    with org_scope(world.org):
        partner = Partner.objects.get(code="TAS")
        assert (partner.currency, partner.payment_terms_days, partner.is_supplier) == ("AUD", 14, False)
        assert AuditEvent.objects.filter(action="create", object_type="partners.partner", object_id=str(partner.pk))
    assert response["Location"] == reverse("partners:partner_edit", args=[partner.pk])


def test_a_partner_is_a_customer_or_a_supplier_and_its_code_is_its_own(world, owner):
    data = {"code": "NONE", "legal_name": "Nobody Pty Ltd", "payment_terms_days": "30", "currency": "aud"}
    response = owner.post(reverse("partners:partner_create"), data)
    assert response.status_code == 400
    assert re.search(r'id="id_is_customer-error">A partner is a customer, a supplier or both', page_text(response))
    response = owner.post(reverse("partners:partner_create"), {**data, "code": "ACME", "is_supplier": "on"})
    assert response.status_code == 400 and "A partner with this code already exists." in page_text(response)
    with org_scope(world.org):
        assert not Partner.objects.filter(legal_name="Nobody Pty Ltd").exists()


def test_the_api_filters_searches_and_refuses_like_the_pages(world, api):
    body = api.get("/api/v1/partners", {"role": "supplier", "ordering": "code"}).json()
    assert [p["code"] for p in body["items"] if p["code"] in OURS] == ["BLUE", "MCL"]
    assert [p["code"] for p in api.get("/api/v1/partners", {"q": "mc"}).json()["items"]] == ["MCL"]
    made = api.post(
        "/api/v1/partners",
        {"code": "nzs", "legal_name": "NZ Steel", "is_supplier": True, "currency": "nzd"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["currency"] == "NZD"
    negative = api.post(
        "/api/v1/partners",
        {"code": "NEG", "legal_name": "Negative", "is_customer": True, "credit_limit": "-1"},
        content_type="application/json",
    )
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "credit_limit"
    acme = world.pk("partners.partner")
    neither = api.patch(f"/api/v1/partners/{acme}", {"is_customer": False}, content_type="application/json")
    assert neither.status_code == 400 and neither.json()["errors"][0]["code"] == "partner_without_role"


def test_who_may_see_and_change_partners(world, member_client):
    engineer, operator, sales = member_client("engineer"), member_client("operator"), member_client("sales")
    assert engineer.get(reverse("partners:customer_list")).status_code == 200
    assert engineer.post(reverse("partners:partner_create"), {"code": "X"}).status_code == 403
    assert operator.get(reverse("partners:supplier_list")).status_code == 403
    acme = world.pk("partners.partner")
    response = sales.post(reverse("partners:partner_edit", args=[acme]), {"code": "ACME", "legal_name": "Acme"})
    assert response.status_code == 400  # may change partners: the form answers (a role is needed)
    assert 'name="code"' in page_text(sales.get(reverse("partners:partner_edit", args=[acme])))


@pytest.mark.parametrize(
    ("role", "expected"), [("", ["ACME", "MCL"]), ("customer", ["ACME", "MCL"]), ("supplier", ["MCL"])]
)
def test_the_picker_finds_active_partners_of_a_role(world, owner, role, expected):
    with org_scope(world.org):
        Partner.objects.filter(code="BLUE").update(active=False)  # an inactive partner is not picked
    response = owner.get(reverse("partners:partner_picker"), {"q": "c", "role": role})
    assert re.findall(r">(ACME|BLUE|MCL) ·", page_text(response)) == expected
