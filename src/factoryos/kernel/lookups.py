"""No integer lookup overflows the database: a value outside the column's range matches no row.

Django already answers ``exact``, ``gt``, ``gte``, ``lt`` and ``lte`` on an integer column this way (its
``IntegerFieldOverflow``), but not ``in``: ``Tag.objects.filter(pk__in=[2**63])`` raises OverflowError on SQLite (a
500 for a form's or a filter's multiple choice, ``tags=9223372036854775808``). ``IntegerFieldIn`` drops such values
before they reach the database; registered on ``IntegerField``, it serves every integer column and primary key.
Importing this module registers it (kernel/fields.py does, so it is in place whenever models are).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            values = list(self.rhs)
            kept = [v for v in values if not isinstance(v, int) or _within(v, low, high)]
            if values and not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


def _within(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)
