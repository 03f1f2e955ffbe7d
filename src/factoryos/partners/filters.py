"""The partners' filters: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df
from django.db.models import QuerySet

from factoryos.kernel.filters import ActiveFilter, SearchFilter

ROLES = [("customer", "Customers"), ("supplier", "Suppliers")]


class PartnerFilterSet(df.FilterSet):
    q = SearchFilter(
        ("code", "legal_name", "trading_name", "email"),
        ranks=("code__iexact", "code__istartswith", "trading_name__istartswith", "legal_name__istartswith"),
        then=("code",),
    )
    role = df.ChoiceFilter(choices=ROLES, method="of_role", empty_label="Customers and suppliers")
    active = ActiveFilter()

    def of_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"is_{value}": True}) if value else queryset
