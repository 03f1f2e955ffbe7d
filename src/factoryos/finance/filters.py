"""The finance settings' filters: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df

from factoryos.finance.models import SequenceKind
from factoryos.kernel.filters import ActiveFilter, SearchFilter


class TaxCodeFilterSet(df.FilterSet):
    q = SearchFilter(("code", "name"), ranks=("code__iexact", "code__istartswith", "name__istartswith"))
    active = ActiveFilter()


class ExchangeRateFilterSet(df.FilterSet):
    currency = df.CharFilter(lookup_expr="iexact")


class SequenceFilterSet(df.FilterSet):
    kind = df.ChoiceFilter(choices=SequenceKind.choices)
