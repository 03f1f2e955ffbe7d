"""The filters of locations, lots, stock and the ledger: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.db.models import Q, QuerySet

from factoryos.catalog.models import Item
from factoryos.facilities.models import Site
from factoryos.inventory.models import (
    CountSheet,
    CountStatus,
    Location,
    LocationKind,
    Lot,
    MoveReason,
    ReservationStatus,
)
from factoryos.kernel.filters import ActiveFilter, SearchFilter

DATE = forms.DateInput(attrs={"type": "date"})


def _sites(request: object) -> object:
    return Site.objects.all()


def _locations(request: object) -> object:
    return Location.objects.order_by("code")


def _physical_locations(request: object) -> object:
    return Location.objects.filter(kind__in=("warehouse", "zone", "bin")).order_by("code")


def _items(request: object) -> object:
    return Item.objects.all()


def _lots(request: object) -> object:
    return Lot.objects.all()


class LocationFilterSet(df.FilterSet):
    q = SearchFilter(("code", "name"))
    site = df.ModelChoiceFilter(queryset=_sites)
    kind = df.ChoiceFilter(choices=LocationKind.choices)
    parent = df.ModelChoiceFilter(queryset=_locations)
    active = ActiveFilter()


class LotFilterSet(df.FilterSet):
    q = SearchFilter(("code", "supplier_ref"))
    item = df.ModelChoiceFilter(queryset=_items)


class StockLevelFilterSet(df.FilterSet):
    q = SearchFilter(("item__sku", "item__name"), label="SKU")
    site = df.ModelChoiceFilter(field_name="location__site", queryset=_sites, empty_label="All sites", label="Site")
    location = df.ModelChoiceFilter(queryset=_physical_locations, empty_label="All locations")
    item = df.ModelChoiceFilter(queryset=_items)
    lot = df.ModelChoiceFilter(queryset=_lots)


def _either_side(queryset: QuerySet, name: str, value: Location) -> QuerySet:
    return queryset.filter(Q(from_location=value) | Q(to_location=value))


class StockMoveFilterSet(df.FilterSet):
    q = SearchFilter(("reference", "note"))
    sku = df.CharFilter(field_name="item__sku", lookup_expr="icontains", label="SKU")
    item = df.ModelChoiceFilter(queryset=_items)
    location = df.ModelChoiceFilter(
        queryset=_locations, method=_either_side, empty_label="Any", label="Location (from or to)"
    )
    from_location = df.ModelChoiceFilter(queryset=_locations)
    to_location = df.ModelChoiceFilter(queryset=_locations)
    reason = df.ChoiceFilter(choices=MoveReason.choices, empty_label="Any reason")
    lot_code = df.CharFilter(field_name="lot__code", lookup_expr="icontains", label="Lot")
    lot = df.ModelChoiceFilter(queryset=_lots)
    date_from = df.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From", widget=DATE)
    date_to = df.DateFilter(field_name="created_at", lookup_expr="date__lte", label="To", widget=DATE)


class ReservationFilterSet(df.FilterSet):
    q = SearchFilter(("reference",))
    item = df.ModelChoiceFilter(queryset=_items)
    status = df.ChoiceFilter(choices=ReservationStatus.choices)


class CountSheetFilterSet(df.FilterSet):
    location = df.ModelChoiceFilter(queryset=_physical_locations)
    status = df.ChoiceFilter(choices=CountStatus.choices)


class CountLineFilterSet(df.FilterSet):
    sheet = df.ModelChoiceFilter(queryset=lambda request: CountSheet.objects.all())
