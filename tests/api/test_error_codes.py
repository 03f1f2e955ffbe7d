"""Every error carries a code: codes are unique across the product and listed in the API schema."""

import pytest

from factoryos.kernel.errors import all_codes, all_codes_by_enum


def test_codes_are_unique_across_every_apps_enum():
    import factoryos.api  # noqa: F401 - imports every app's services, hence their ErrorCode enums

    values = [member.value for enum in all_codes_by_enum() for member in enum]
    assert len(values) == len(set(values)), sorted(v for v in values if values.count(v) > 1)
    assert {"required", "not_unique", "bom_loop", "insufficient_stock", "last_owner"} <= set(values)


@pytest.mark.django_db
def test_the_schema_lists_every_code_on_the_error_body_and_its_items(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("ErrorOut", "ErrorItem"):
        assert schema[name]["properties"]["code"]["enum"] == all_codes()
