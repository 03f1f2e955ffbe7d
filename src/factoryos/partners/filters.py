"""The partners' filters: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df
from django.db.models import QuerySet

from factoryos.kernel.filters import ActiveFilter, SearchFilter

ROLES = [("customer", "Customers"), ("supplier", "Suppliers")]
ROLE_FIELDS = {"customer": "is_customer", "supplier": "is_supplier"}


def of_role(queryset: QuerySet, role: str) -> QuerySet:
    """The partners in ``role`` ("customer" or "supplier"); any other value (none) leaves the rows as they are."""
    return queryset.filter(**{ROLE_FIELDS[role]: True}) if role in ROLE_FIELDS else queryset


class PartnerFilterSet(df.FilterSet):
    q = SearchFilter(
        ("code", "legal_name", "trading_name", "email"),
        ranks=("code__iexact", "code__istartswith", "trading_name__istartswith", "legal_name__istartswith"),
        then=("code",),
    )
    role = df.ChoiceFilter(choices=ROLES, method="in_role", empty_label="Customers and suppliers")
    active = ActiveFilter()

    def in_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return of_role(queryset, value)
