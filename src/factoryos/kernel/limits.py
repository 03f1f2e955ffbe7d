"""A field's limits are declared once, on the model; forms and API schemas take them from here.

``limits(field)`` reads what a model field accepts: its length, its smallest and largest value (from its validators,
and for integers from the portable column range: a PositiveIntegerField holds at most 2,147,483,647 on every
database), its digits and decimal places. ``web.forms.ModelFieldsForm`` and ``kernel.schemas`` build their fields
from it, and tests/core/test_field_limits.py walks every form and API schema and fails where one accepts what the
model refuses (or refuses what it accepts).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core import validators
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations


@dataclass(frozen=True)
class Limits:
    min_length: int | None = None
    max_length: int | None = None
    min_value: Any = None
    max_value: Any = None
    max_digits: int | None = None
    decimal_places: int | None = None

    def pydantic(self) -> dict[str, Any]:
        """The limits as pydantic ``Field`` keyword arguments."""
        out: dict[str, Any] = {}
        if self.min_length is not None:
            out["min_length"] = self.min_length
        if self.max_length is not None:
            out["max_length"] = self.max_length
        if self.min_value is not None:
            out["ge"] = self.min_value
        if self.max_value is not None:
            out["le"] = self.max_value
        if self.max_digits is not None:
            out["max_digits"] = self.max_digits
        if self.decimal_places is not None:
            out["decimal_places"] = self.decimal_places
        return out


def _tighter(current: Any, value: Any, *, lower: bool) -> Any:
    if current is None:
        return value
    return max(current, value) if lower else min(current, value)


def limits(field: models.Field) -> Limits:
    """What ``field`` accepts (see the module docstring)."""
    min_value = max_value = min_length = None
    max_length = field.max_length
    for validator in field.validators:  # an integer's database range is among them; the portable one is below
        if isinstance(validator, validators.MinValueValidator):
            min_value = _tighter(min_value, validator.limit_value, lower=True)
        elif isinstance(validator, validators.MaxValueValidator):
            max_value = _tighter(max_value, validator.limit_value, lower=False)
        elif isinstance(validator, validators.MaxLengthValidator):
            max_length = _tighter(max_length, validator.limit_value, lower=False)
        elif isinstance(validator, validators.MinLengthValidator):
            min_length = _tighter(min_length, validator.limit_value, lower=True)
    if isinstance(field, models.IntegerField) and not isinstance(field, models.AutoField):
        low, high = BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type(), (None, None))
        if low is not None:
            min_value = _tighter(min_value, low, lower=True)
        if high is not None:
            max_value = _tighter(max_value, high, lower=False)
    max_digits = decimal_places = None
    if isinstance(field, models.DecimalField):
        max_digits, decimal_places = field.max_digits, field.decimal_places
        min_value = Decimal(min_value) if min_value is not None else None
        max_value = Decimal(max_value) if max_value is not None else None
    return Limits(min_length, max_length, min_value, max_value, max_digits, decimal_places)


def of(model: type[models.Model], name: str) -> Limits:
    return limits(model._meta.get_field(name))  # type: ignore[arg-type]
