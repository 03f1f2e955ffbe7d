"""A field's limits are declared once, on the model: every API body and every web form accepts exactly what the
model accepts at the edges (the longest text, the smallest and largest number, the most digits), no more, no less.

It walks every Resource, every body derived from a model (kernel.schemas.bodies) and every model-fields form, so a
new one is checked without being named here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

import factoryos.api  # noqa: F401 - every router, hence every resource and body
import factoryos.urls  # noqa: F401 - every page, hence every form
from factoryos.kernel.limits import limits
from factoryos.kernel.resources import RESOURCES
from factoryos.kernel.schemas import BODIES
from factoryos.web.forms import FORMS


def probes(field: models.Field) -> list[tuple[Any, bool]]:
    """Values at the edges of what ``field`` accepts, each with whether the model accepts it."""
    bounds = limits(field)
    if field.choices or isinstance(field, models.BooleanField | models.JSONField):
        return []
    values: list[tuple[Any, bool]] = []
    domain = "@example.com" if isinstance(field, models.EmailField) else ""  # a text of that length, in its format
    if bounds.max_length is not None:
        longest = "x" * (bounds.max_length - len(domain)) + domain
        values += [(longest, True), ("x" + longest, False)]
    if bounds.min_length is not None and bounds.min_length > 1:
        values += [("x" * (bounds.min_length - 1), False)]
    if isinstance(field, models.DecimalField):
        unit = Decimal(1).scaleb(-field.decimal_places)
        whole = field.max_digits - field.decimal_places
        largest = (
            Decimal("9" * whole + "." + "9" * field.decimal_places)
            if whole
            else Decimal("0." + "9" * field.decimal_places)
        )
        if bounds.max_value is None or largest <= bounds.max_value:
            values += [(largest, True), (largest * 10, False)]  # one digit too many
        values += [(unit / 10 + (bounds.min_value or 0), False)]  # a decimal place too many
        if bounds.min_value is not None:
            values += [(bounds.min_value, True), (bounds.min_value - unit, False)]
        if bounds.max_value is not None:
            values += [(bounds.max_value, True), (bounds.max_value + unit, False)]
    elif isinstance(field, models.IntegerField):
        if bounds.min_value is not None:
            values += [(bounds.min_value, True), (bounds.min_value - 1, False)]
        if bounds.max_value is not None:
            values += [(bounds.max_value, True), (bounds.max_value + 1, False)]
    return values


def model_fields(model: type[models.Model], names: list[str]) -> list[models.Field]:
    found = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a field of the body or form that is not the model's (tags, lot)
            continue
        if isinstance(field, models.Field) and not field.is_relation:
            found.append(field)
    return found


def schema_accepts(schema: Any, name: str, value: Any) -> bool:
    info = schema.model_fields[name]
    try:
        TypeAdapter(Annotated[info.annotation, info]).validate_python(value)
    except PydanticError:
        return False
    return True


def form_accepts(field: forms.Field, value: Any) -> bool:
    try:
        field.clean(str(value))
    except ValidationError:
        return False
    return True


def bodies() -> list[tuple[type[models.Model], Any]]:
    found = list(BODIES)
    for res in RESOURCES:
        found += [(res.model, schema) for schema in (res.create_in, res.patch_in) if schema is not None]
    return found


def test_every_api_body_takes_its_limits_from_the_model():
    disagreements, probed = [], 0
    for model, schema in bodies():
        for field in model_fields(model, list(schema.model_fields)):
            for value, accepted in probes(field):
                probed += 1
                if schema_accepts(schema, field.name, value) != accepted:
                    disagreements.append(f"{schema.__name__}.{field.name}: {str(value)[:30]!r} model says {accepted}")
    assert disagreements == []
    assert probed > 200


@pytest.mark.django_db
def test_every_form_takes_its_limits_from_the_model():
    disagreements, probed = [], 0
    for form in FORMS:
        for field in model_fields(form.model, list(form.base_fields)):
            for value, accepted in probes(field):
                probed += 1
                if form_accepts(form.base_fields[field.name], value) != accepted:
                    disagreements.append(f"{form.__name__}.{field.name}: {str(value)[:30]!r} model says {accepted}")
    assert disagreements == []
    assert probed > 100


def test_the_issues_examples_are_refused_everywhere():
    """A lead time of 2**63 and a description of 2,000,000 characters: the model, the API and the form refuse them."""
    from factoryos.catalog.forms import ItemForm
    from factoryos.catalog.models import Item
    from factoryos.catalog.schemas import ItemIn

    for name, value in (("lead_time_days", 2**63), ("description", "x" * 2_000_000)):
        field = Item._meta.get_field(name)
        with pytest.raises(ValidationError):
            field.clean(value, None)
        assert not schema_accepts(ItemIn, name, value)
        assert not form_accepts(ItemForm.base_fields[name], value)
