"""The filter of API keys: one definition for the page and the API."""

from __future__ import annotations

import django_filters as df
from django.db.models import QuerySet


def _active(queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
    return queryset if value is None else queryset.filter(revoked_at__isnull=value)


class ApiKeyFilterSet(df.FilterSet):
    active = df.BooleanFilter(method=_active, label="Active (not revoked)")
