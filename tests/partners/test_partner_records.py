"""What hangs off a partner: tax identifiers checked like the organization's, one default address of each kind,
one primary contact whose details are encrypted at rest and whose audit events are sealed under their own key;
and the pages that show and change them."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from factoryos.audit.models import AuditEvent, PersonKey
from factoryos.kernel.fields import is_ciphertext
from factoryos.kernel.tenancy import org_scope
from factoryos.partners import selectors, services
from factoryos.partners.models import Contact, PartnerAddress, PartnerTaxId
from tests.factories import page_text


def raw_row(model, pk) -> dict:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        columns = [c[0] for c in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def errors(response) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("kind", "country", "value", "expected"),
    [
        ("ABN", "au", "51824753556", (201, "51 824 753 556")),
        ("ABN", "AU", "51 824 753 557", (400, [("value", "abn_checksum")])),
        ("ABN", "AU", "5182475355", (400, [("value", "abn_format")])),
        ("EIN", "US", "123456789", (201, "12-3456789")),
        ("EIN", "US", "07-1234567", (400, [("value", "ein_prefix")])),
        ("VAT", "GBR", "GB123456789", (422, [("country", "too_long")])),
        ("VAT", "G1", "GB123456789", (400, [("country", "bad_country")])),
    ],
)
def test_tax_identifiers_are_checked_like_the_organizations(world, api, kind, country, value, expected):
    body = {"partner": world.pk("partners.partner"), "kind": kind, "country": country, "value": value}
    response = api.post("/api/v1/partner-tax-ids", body, content_type="application/json")
    status, answer = expected
    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["value"] == answer and response.json()["country"] == country.upper()
    else:
        assert errors(response) == answer


def test_tax_identifiers_and_contacts_are_encrypted_at_rest(world):
    tax_id, contact = world.objects["partners.partnertaxid"], world.objects["partners.contact"]
    with org_scope(world.org):
        stored = raw_row(PartnerTaxId, tax_id.pk)
        assert is_ciphertext(stored["value"]) and "824" not in stored["value"]
        row = raw_row(Contact, contact.pk)
        for field, plain in [
            ("name", "Dana Whitfield"),
            ("email", "dana.whitfield@acme.example"),
            ("phone", "+61 2 9620 1100"),
            ("job_role", "Purchasing officer"),
        ]:
            assert is_ciphertext(row[field]) and plain not in row[field]
            assert all(plain not in str(value) for value in row.values())
            assert getattr(Contact.objects.get(pk=contact.pk), field) == plain
        assert PartnerTaxId.objects.get(pk=tax_id.pk).value == "51 824 753 556"


def test_a_contact_is_personal_data_on_the_audit_trail(world):
    contact = world.objects["partners.contact"]
    with org_scope(world.org):
        event = AuditEvent.objects.get(object_type="partners.contact", object_id=str(contact.pk), action="create")
        assert event.subject_key == PersonKey.objects.get(subject=f"contact:{contact.uid}")
        assert event.object_repr == "Dana Whitfield"  # sealed under the contact's key, opened for the reader
        assert "Dana" not in event.subject_sealed and "dana.whitfield" not in event.subject_sealed
        assert event.changes["email"] != "dana.whitfield@acme.example"  # encrypted fields are masked in diffs


def test_contacts_search_by_name_and_email_through_their_encryption(world, api):
    partner = world.pk("partners.partner")
    assert [c["name"] for c in api.get("/api/v1/partner-contacts", {"q": "whitf"}).json()["items"]] == [
        "Dana Whitfield"
    ]
    assert api.get("/api/v1/partner-contacts", {"q": "nobody", "partner": partner}).json()["count"] == 0
    bad = api.post(
        "/api/v1/partner-contacts",
        {"partner": partner, "name": "Sam", "email": "not an address"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and errors(bad) == [("email", "invalid")]


def test_one_primary_contact_the_documents_go_to(world):
    acme, dana = world.objects["partners.partner"], world.objects["partners.contact"]
    with org_scope(world.org):
        assert selectors.primary_contact(acme) == dana and dana.is_primary  # the first contact
        lee = services.contact_create(actor=world.owner, partner=acme, name="Lee Ng", email="lee@acme.example")
        assert not lee.is_primary
        services.contact_update(actor=world.owner, obj=lee, is_primary=True)
        assert list(Contact.objects.filter(partner=acme, is_primary=True)) == [lee]
        assert selectors.primary_contact(acme) == lee
        services.contact_update(actor=world.owner, obj=lee, email="")
        assert selectors.primary_contact(acme) == dana  # the primary one has no email: the next that has


def test_one_default_address_of_each_kind(world):
    acme, billing = world.objects["partners.partner"], world.objects["partners.partneraddress"]
    with org_scope(world.org):
        assert billing.is_default and billing.country == "AU"  # the first billing address, the org's country
        shipping = services.partner_address_create(
            actor=world.owner, partner=acme, kind="shipping", line1="Dock 3", city="Huntingwood"
        )
        assert shipping.is_default  # the first shipping address
        second = services.partner_address_create(
            actor=world.owner, partner=acme, kind="billing", line1="PO Box 9", city="Parramatta", is_default=True
        )
        defaults = PartnerAddress.objects.filter(partner=acme, is_default=True).order_by("kind")
        assert [(a.kind, a.pk) for a in defaults] == [("billing", second.pk), ("shipping", shipping.pk)]
        assert selectors.default_address(acme, "billing") == second
        demoted = AuditEvent.objects.filter(object_type="partners.partneraddress", object_id=str(billing.pk))
        assert demoted.filter(action="update").exists()  # the one before stopped being the default, audited
        with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a second default
            PartnerAddress.objects.create(
                org=world.org, partner=acme, kind="billing", line1="x", city="y", country="AU", is_default=True
            )


def test_the_partner_page_shows_what_hangs_off_it(world, owner):
    acme = world.pk("partners.partner")
    text = page_text(owner.get(reverse("partners:partner_edit", args=[acme])))
    for shown in ("12 Foundry Road", "Dana Whitfield", "dana.whitfield@acme.example", "51 824 753 556", "EOM + 30"):
        assert shown in text
    assert "Supplied items" not in text  # ACME is a customer only
    blue = page_text(owner.get(reverse("partners:partner_edit", args=[world.pk("partners.partner#supplier")])))
    assert "Supplied items" in blue and "BS-304-15" in blue and "182.50" in blue


def test_addresses_contacts_and_tax_ids_are_added_changed_and_removed_from_the_partner_page(world, owner):
    acme = world.pk("partners.partner")
    back = reverse("partners:partner_edit", args=[acme])
    form = owner.get(reverse("partners:address_create", args=[acme]), {"kind": "shipping"})
    assert form.status_code == 200 and 'value="shipping" selected' in page_text(form)
    data = {"kind": "shipping", "line1": "Dock 3", "city": "Huntingwood", "country": "au"}
    response = owner.post(reverse("partners:address_create", args=[acme]), data)
    assert response.status_code == 302 and response["Location"] == back
    refused = owner.post(reverse("partners:contact_create", args=[acme]), {"name": "", "email": "x"})
    assert refused.status_code == 400 and re.search(r'id="id_name-error"', page_text(refused))
    refused = owner.post(reverse("partners:contact_create", args=[acme]), {"name": "Sam", "email": "sam at acme"})
    assert refused.status_code == 400 and re.search(r'id="id_email-error"', page_text(refused))
    response = owner.post(
        reverse("partners:tax_id_create", args=[acme]), {"kind": "ABN", "country": "AU", "value": "1"}
    )
    assert response.status_code == 400 and "An ABN has 11 digits." in page_text(response)
    contact = world.pk("partners.contact")
    edit = owner.get(reverse("partners:contact_edit", args=[contact]))
    assert "Dana Whitfield" in page_text(edit)
    data = {
        "name": "Dana Whitfield-Ng",
        "email": "dana@acme.example",
        "phone": "",
        "job_role": "Buyer",
        "is_primary": "on",
    }
    assert owner.post(reverse("partners:contact_edit", args=[contact]), data)["Location"] == back
    assert owner.post(reverse("partners:tax_id_delete", args=[world.pk("partners.partnertaxid")]))["Location"] == back
    with org_scope(world.org):
        assert Contact.objects.get(pk=contact).name == "Dana Whitfield-Ng"
        assert PartnerAddress.objects.filter(partner=acme, kind="shipping", is_default=True).count() == 1
        assert not PartnerTaxId.objects.filter(partner=acme).exists()


def test_supplier_items_and_their_breaks_from_the_pages(world, owner):
    blue, bracket = world.pk("partners.partner#supplier"), world.pk("catalog.item")
    data = {"item": bracket, "supplier_sku": "BS-BRK", "lead_time_days": "3", "minimum_order": "10"}
    response = owner.post(reverse("partners:supplier_item_create", args=[blue]), data)
    assert response.status_code == 302
    item_page = response["Location"]
    created = int(item_page.rstrip("/").rsplit("/", 1)[1])
    response = owner.post(
        reverse("partners:price_break_create", args=[created]), {"min_quantity": "1", "unit_price": "12.40"}
    )
    assert response["Location"] == item_page
    text = page_text(owner.get(item_page))
    assert "BRK-100" in text and "12.40" in text  # McLean supplies the bracket already: it stays the preferred one
    again = owner.post(reverse("partners:price_break_create", args=[created]), {"min_quantity": "1", "unit_price": "9"})
    assert again.status_code == 400 and "already exists" in page_text(again)


def test_price_lists_and_their_lines_from_the_pages(world, owner):
    listing = page_text(owner.get(reverse("partners:price_list_list")))
    assert "TRADE" in listing and "Trade prices" in listing
    trade = world.pk("partners.pricelist")
    text = page_text(owner.get(reverse("partners:price_list_edit", args=[trade])))
    assert "BRK-100" in text and "45.00" in text and "41.50" in text and "ACME" in text
    add = reverse("partners:price_list_line_create", args=[trade])
    data = {
        "item": world.pk("catalog.item#sheet"),
        "min_quantity": "1",
        "unit_price": "240",
        "valid_from": "2026-05-01",
        "valid_to": "2026-04-01",
    }
    refused = owner.post(add, data)
    assert refused.status_code == 400 and "The end of validity is before its start." in page_text(refused)
    assert owner.post(add, {**data, "valid_to": ""})["Location"] == reverse("partners:price_list_edit", args=[trade])
    removed = owner.post(reverse("partners:price_list_delete", args=[trade]))
    assert removed.status_code == 302  # refused: ACME buys on it (the message says so)
    with org_scope(world.org):
        assert selectors.price_lists.all().filter(pk=trade).exists()
        assert selectors.price_list_lines.all().filter(price_list=trade).count() == 3


def test_the_item_page_shows_who_sells_it_and_its_customer_prices(world, owner, member_client):
    sheet = page_text(owner.get(reverse("catalog:item_detail", args=[world.pk("catalog.item#sheet")])))
    assert "BLUE" in sheet and "BS-304-15" in sheet and "171.00" in sheet and "Preferred" in sheet
    bracket = page_text(owner.get(reverse("catalog:item_detail", args=[world.pk("catalog.item")])))
    assert "TRADE" in bracket and "41.50" in bracket and "MCL-BRK" in bracket and "9.80" in bracket
    operator = member_client("operator")  # may see items, not partners: no panel
    page = operator.get(reverse("catalog:item_detail", args=[world.pk("catalog.item#sheet")]))
    assert page.status_code == 200 and "BS-304-15" not in page_text(page)
