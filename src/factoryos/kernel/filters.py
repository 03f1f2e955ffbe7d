"""One filter definition per model, for the API and the web list alike.

A model's ``FilterSet`` (django-filter, as NetBox does; see docs/decisions/0004-filters-with-django-filter.md)
declares each filter once. The web list shows its form; the API derives its query parameters from it
(``query_schema``), so both sides accept the same names with the same meaning. A ``SearchFilter`` ranks its
matches (an exact code first, then a prefix, then anywhere) on both sides alike.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

import django_filters as df
from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from pydantic import AfterValidator, BeforeValidator, Field, create_model
from pydantic_core import PydanticCustomError

from factoryos.kernel.sealed import is_sealed, matching

BIGINT_MAX = 2**63 - 1  # ids beyond this overflow the database (a 500) instead of being simply unknown
RowId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
SEARCH_RANK = "search_rank"
# A day's bounds are computed in the active time zone (and a range's next midnight), which must stay within datetime.
FIRST_DAY, LAST_DAY = date.min + timedelta(days=1), date.max - timedelta(days=1)


def _iso_date(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        # pydantic would also read "0" or "1700000000" as a Unix time; the schema says format: date
        raise PydanticCustomError("date_format", "Use a date as YYYY-MM-DD.")
    return value


def _in_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("date_range", f"Use a date from {FIRST_DAY} to {LAST_DAY}.")
    return value


Day = Annotated[date, BeforeValidator(_iso_date), AfterValidator(_in_range)]


class SearchFilter(df.CharFilter):
    """``?q=`` matched (case-insensitive substring) against ``fields``, or-ed.

    With ``ranks`` (lookups such as ``sku__iexact``, ``sku__istartswith``) the matches are ordered best first: the
    rows matching the first rank, then the second, then the rest, ties by ``then``. An explicit sort (the web's
    column, the API's ``ordering``) replaces that order.

    Encrypted fields among ``fields`` are matched after decrypting (kernel/sealed.py: one more query, a decryption
    per value; the database never sees the plaintext). ``ranks`` are database lookups: plain fields only.
    """

    def __init__(
        self, fields: tuple[str, ...], *, ranks: tuple[str, ...] = (), then: tuple[str, ...] = (), **kwargs: Any
    ):
        kwargs.setdefault("label", "Search")
        super().__init__(**kwargs)
        self.fields, self.ranks, self.then = fields, ranks, then

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return queryset
        match = Q()
        sealed = [field for field in self.fields if is_sealed(queryset.model, field)]
        for field in self.fields:
            if field not in sealed:
                match |= Q(**{f"{field}__icontains": value})
        if sealed:
            needle = value.casefold()
            match |= matching(queryset, sealed, lambda values: any(needle in str(v).casefold() for v in values if v))
        queryset = queryset.filter(match)
        if self.ranks:
            rank = Case(
                *[When(Q(**{lookup: value}), then=Value(i)) for i, lookup in enumerate(self.ranks)],
                default=Value(len(self.ranks)),
                output_field=IntegerField(),
            )
            queryset = queryset.annotate(**{SEARCH_RANK: rank}).order_by(SEARCH_RANK, *self.then)
        return queryset


class StatusSelect(forms.Select):
    """Any status / Active / Inactive, as ``?active=yes|no`` (``true``/``false`` from the API read the same)."""

    TRUE, FALSE = ("yes", "true", "1", True), ("no", "false", "0", False)

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs, choices=[("", "Any status"), ("yes", "Active"), ("no", "Inactive")])

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]  # a list, as ChoiceWidget's
        return ["yes" if value in self.TRUE else "no" if value in self.FALSE else ""]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool | None:
        value = data.get(name)
        if isinstance(value, str):
            value = value.lower()
        return True if value in self.TRUE else False if value in self.FALSE else None


class DayFilter(df.DateFilter):
    """A day bound on a datetime: ``since`` keeps rows from that day's start, ``until`` up to its end, both in the
    active time zone (the organization's)."""

    def __init__(self, field_name: str, *, bound: Literal["since", "until"], **kwargs: Any):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(field_name=field_name, **kwargs)
        self.bound = bound

    def filter(self, queryset: QuerySet, value: date | None) -> QuerySet:
        if value is None or not FIRST_DAY <= value <= LAST_DAY:  # the first/last representable days bound nothing
            return queryset
        if self.bound == "since":
            return queryset.filter(**{f"{self.field_name}__gte": _day_start(value)})
        return queryset.filter(**{f"{self.field_name}__lt": _day_start(value + timedelta(days=1))})


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


class ActiveFilter(df.BooleanFilter):
    def __init__(self, **kwargs: Any):
        kwargs.setdefault("label", "Status")
        kwargs.setdefault("widget", StatusSelect)
        super().__init__(**kwargs)


def applied(filterset: df.FilterSet) -> dict[str, Any]:
    """The filters a request really applied (valid and not empty), for the audit event and the page."""
    if not filterset.is_bound or not hasattr(filterset.form, "cleaned_data"):
        filterset.form.is_valid()
    data = getattr(filterset.form, "cleaned_data", {})
    return {name: value for name, value in data.items() if value not in (None, "", [])}


def ranked(filterset: df.FilterSet) -> bool:
    """Whether a search ordered the rows by relevance (then no default sort should replace it)."""
    criteria = applied(filterset)
    return any(isinstance(f, SearchFilter) and f.ranks and name in criteria for name, f in filterset.filters.items())


# -- the API's view of a FilterSet --------------------------------------------------------------------------------
def _annotation(filter_: df.Filter) -> Any:
    if isinstance(filter_, df.BooleanFilter):
        return bool
    if isinstance(filter_, df.ModelChoiceFilter):
        return RowId
    if isinstance(filter_, df.ChoiceFilter):
        choices = filter_.extra.get("choices", ())
        if callable(choices):  # choices that depend on the data (e.g. the departments in use): any text
            return Annotated[str, Field(max_length=200)]
        values = tuple(value for value, _label in choices if value not in ("", None))
        return Literal[values]
    if isinstance(filter_, df.DateFilter):
        return Day
    if isinstance(filter_, df.NumberFilter):
        return Decimal
    return Annotated[str, Field(max_length=200)]


_schemas: dict[type, type] = {}


def query_schema(filterset_class: type[df.FilterSet]) -> type:
    """A pydantic model of the FilterSet's parameters (every one optional), for ninja's ``Query[...]``."""
    if filterset_class not in _schemas:
        fields: dict[str, Any] = {}
        for name, filter_ in filterset_class.base_filters.items():
            description = str(filter_.label or name.replace("_", " ").capitalize())
            fields[name] = (_annotation(filter_) | None, Field(None, description=description))
        from ninja import Schema

        _schemas[filterset_class] = create_model(
            filterset_class.__name__.removesuffix("FilterSet") + "Filters", __base__=Schema, **fields
        )
    return _schemas[filterset_class]
