"""Organization profile and tax identifiers (ABN checksum, EIN format), through the form and the API."""

import pytest
from django.core.exceptions import ValidationError

from factoryos.kernel.validators import validate_abn, validate_ein
from tests.factories import login_client, make_org


@pytest.mark.parametrize("abn", ["51 824 753 556", "51824753556", "53 004 085 616"])
def test_valid_abns(abn):
    assert validate_abn(abn).replace(" ", "") == abn.replace(" ", "")


@pytest.mark.parametrize("abn", ["51 824 753 557", "1234567890", "5182475355a", ""])
def test_invalid_abns(abn):
    with pytest.raises(ValidationError):
        validate_abn(abn)


@pytest.mark.parametrize(
    "ein,ok",
    [("12-3456789", True), ("123456789", True), ("07-1234567", False), ("12-345678", False), ("AB-1234567", False)],
)
def test_ein_format(ein, ok):
    if ok:
        assert validate_ein(ein) == ein[:2] + "-" + ein.replace("-", "")[2:]
    else:
        with pytest.raises(ValidationError):
            validate_ein(ein)


@pytest.mark.django_db
def test_organization_profile_round_trips_every_field():
    org, owner = make_org()
    client = login_client(owner.user, org)
    data = {
        "legal_name": "Wattle Metalworks Pty Ltd",
        "trading_name": "Wattle Metal",
        "address_line1": "3 Forge St",
        "address_line2": "Unit 4",
        "city": "Geelong",
        "state": "VIC",
        "postcode": "3220",
        "country": "au",
        "data_region": "US",
        "time_zone": "America/Chicago",
        "currency": "usd",
    }
    response = client.patch("/api/v1/organization", data, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["country"] == "AU" and body["currency"] == "USD" and body["data_region"] == "US"
    assert all(body[k] == v for k, v in data.items() if k not in {"country", "currency"})
    page = client.get("/settings/organization/").content.decode()
    assert "Wattle Metalworks Pty Ltd" in page and "America/Chicago" in page


@pytest.mark.django_db
def test_bad_values_name_their_field_and_change_nothing():
    org, owner = make_org("Keep Me Pty Ltd")
    client = login_client(owner.user, org)
    response = client.patch("/api/v1/organization", {"time_zone": "Mars/Olympus"}, content_type="application/json")
    assert response.status_code == 422  # the time zones are the model's choices, listed in the schema
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("time_zone", "invalid_choice")]
    form = client.post(
        "/settings/organization/",
        {"legal_name": "", "country": "AU", "data_region": "AU", "time_zone": "UTC", "currency": "AUD"},
    )
    assert form.status_code == 400 and b"This field is required" in form.content
    assert client.get("/api/v1/organization").json()["legal_name"] == "Keep Me Pty Ltd"


@pytest.mark.django_db
def test_tax_ids_are_validated_per_type():
    org, owner = make_org()
    client = login_client(owner.user, org)
    bad_abn = client.post(
        "/api/v1/organization/tax-ids",
        {"kind": "ABN", "country": "AU", "value": "51 824 753 557"},
        content_type="application/json",
    )
    assert bad_abn.status_code == 400 and bad_abn.json()["errors"][0]["field"] == "value"
    assert "checksum" in bad_abn.json()["errors"][0]["message"]
    good = client.post(
        "/api/v1/organization/tax-ids",
        {"kind": "EIN", "country": "us", "value": "123456789"},
        content_type="application/json",
    )
    assert good.status_code == 201 and good.json()["value"] == "12-3456789" and good.json()["country"] == "US"
    vat = client.post("/settings/organization/tax-ids/", {"kind": "VAT", "country": "DE", "value": "DE123456789"})
    assert vat.status_code == 302
    assert len(client.get("/api/v1/organization/tax-ids").json()) == 2
