"""The filters of forecasts, planned orders and MRP messages: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.db.models import QuerySet

from factoryos.catalog.models import Item
from factoryos.kernel.filters import SearchFilter
from factoryos.mrp.models import MessageKind, MrpRun, PlannedStatus, PlanSource
from factoryos.partners.filters import PartnerFilter

DATE = forms.DateInput(attrs={"type": "date"})


def _items(request: object) -> QuerySet[Item]:
    return Item.objects.all()


def _runs(request: object) -> QuerySet[MrpRun]:
    return MrpRun.objects.all()


class ForecastFilterSet(df.FilterSet):
    q = SearchFilter(("item__sku", "item__name", "notes"), ranks=("item__sku__iexact", "item__sku__istartswith"))
    item = df.ModelChoiceFilter(queryset=_items, widget=forms.NumberInput)
    from_date = df.DateFilter(field_name="ends_on", lookup_expr="gte", label="Ending from", widget=DATE)
    to_date = df.DateFilter(field_name="starts_on", lookup_expr="lte", label="Starting by", widget=DATE)


class PlannedOrderFilterSet(df.FilterSet):
    q = SearchFilter(
        ("item__sku", "item__name", "supplier__code", "supplier__legal_name", "firmed_as"),
        ranks=("item__sku__iexact", "item__sku__istartswith", "supplier__code__iexact"),
        then=("due_date", "id"),
    )
    run = df.ModelChoiceFilter(queryset=_runs, widget=forms.NumberInput)
    source = df.ChoiceFilter(choices=PlanSource.choices, empty_label="Make or buy")
    status = df.ChoiceFilter(choices=PlannedStatus.choices, empty_label="Any status")
    supplier = PartnerFilter("supplier")
    item = df.ModelChoiceFilter(queryset=_items, widget=forms.NumberInput)
    past_due = df.BooleanFilter(label="Past due release")
    due_by = df.DateFilter(field_name="due_date", lookup_expr="lte", label="Due by", widget=DATE)


class MrpMessageFilterSet(df.FilterSet):
    q = SearchFilter(("item__sku", "item__name", "reference", "text"), ranks=("item__sku__iexact", "reference__iexact"))
    run = df.ModelChoiceFilter(queryset=_runs, widget=forms.NumberInput)
    kind = df.ChoiceFilter(choices=MessageKind.choices, empty_label="Any message")
    item = df.ModelChoiceFilter(queryset=_items, widget=forms.NumberInput)
