"""One filter definition per model, for the API and the web list alike.

A model's ``FilterSet`` (django-filter, as NetBox does; see docs/decisions/0004-filters-with-django-filter.md)
declares each filter once. The web list shows its form; the API derives its query parameters from it
(``query_schema``), so both sides accept the same names with the same meaning. A ``SearchFilter`` ranks its
matches (an exact code first, then a prefix, then anywhere) on both sides alike.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

import django_filters as df
from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from pydantic import Field, create_model

BIGINT_MAX = 2**63 - 1  # ids beyond this overflow the database (a 500) instead of being simply unknown
RowId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
SEARCH_RANK = "search_rank"


class SearchFilter(df.CharFilter):
    """``?q=`` matched (case-insensitive substring) against ``fields``, or-ed.

    With ``ranks`` (lookups such as ``sku__iexact``, ``sku__istartswith``) the matches are ordered best first: the
    rows matching the first rank, then the second, then the rest, ties by ``then``. An explicit sort (the web's
    column, the API's ``ordering``) replaces that order.
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
        for field in self.fields:
            match |= Q(**{f"{field}__icontains": value})
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

    def format_value(self, value: Any) -> list[str]:
        return ["yes" if value in self.TRUE else "no" if value in self.FALSE else ""]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool | None:
        value = data.get(name)
        if isinstance(value, str):
            value = value.lower()
        return True if value in self.TRUE else False if value in self.FALSE else None


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
        return Literal[values]  # type: ignore[valid-type]
    if isinstance(filter_, df.DateFilter):
        return date
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
