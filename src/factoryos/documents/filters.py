"""The documents' filter: a record's documents (``?record_type=sales.quote&record_id=12``), of a kind."""

from __future__ import annotations

import django_filters as df
from django import forms

from factoryos.documents.models import DocumentKind, Rendered


class _IdFilter(df.NumberFilter):
    field_class = forms.IntegerField


class RenderedFilterSet(df.FilterSet):
    record_type = df.CharFilter(max_length=100)
    record_id = _IdFilter(min_value=1, max_value=2**63 - 1)
    kind = df.ChoiceFilter(choices=DocumentKind.choices, empty_label="Any kind")

    class Meta:
        model = Rendered
        fields = ["record_type", "record_id", "kind"]
