"""The filters of units, items and BOM revisions: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df

from factoryos.catalog.models import (
    Bom,
    BomStatus,
    Category,
    Item,
    ItemType,
    MakeBuy,
    Operation,
    UomKind,
)
from factoryos.facilities.models import WorkCenter
from factoryos.kernel.filters import ActiveFilter, SearchFilter


def _items(request: object) -> object:
    return Item.objects.all()


def _categories(request: object) -> object:
    return Category.objects.all()


def _boms(request: object) -> object:
    return Bom.objects.all()


def _work_centers(request: object) -> object:
    return WorkCenter.objects.all()


class UnitFilterSet(df.FilterSet):
    q = SearchFilter(("code", "name"))
    kind = df.ChoiceFilter(choices=UomKind.choices)


class ConversionFilterSet(df.FilterSet):
    item = df.ModelChoiceFilter(queryset=_items)


class CategoryFilterSet(df.FilterSet):
    q = SearchFilter(("name",))


class TagFilterSet(df.FilterSet):
    q = SearchFilter(("name",))


class ItemFilterSet(df.FilterSet):
    # An exact SKU first, then SKUs starting with the text, then names starting with it, then anywhere.
    q = SearchFilter(("sku", "name"), ranks=("sku__iexact", "sku__istartswith", "name__istartswith"), then=("sku",))
    item_type = df.ChoiceFilter(label="Type", choices=ItemType.choices, empty_label="All types")
    category = df.ModelChoiceFilter(queryset=_categories, empty_label="All categories")
    active = ActiveFilter()
    make_buy = df.ChoiceFilter(label="Make / buy", choices=MakeBuy.choices)
    tag = df.CharFilter(field_name="tags__name", label="Tag", distinct=True)


class BomFilterSet(df.FilterSet):
    q = SearchFilter(("item__sku", "item__name"))
    item = df.ModelChoiceFilter(queryset=_items)
    status = df.ChoiceFilter(choices=BomStatus.choices, empty_label="Every status")


class BomLineFilterSet(df.FilterSet):
    bom = df.ModelChoiceFilter(queryset=_boms)
    component = df.ModelChoiceFilter(queryset=_items)


def _operations(request: object) -> object:
    return Operation.objects.all()


class OperationCheckFilterSet(df.FilterSet):
    operation = df.ModelChoiceFilter(queryset=_operations)


class OperationFilterSet(df.FilterSet):
    bom = df.ModelChoiceFilter(queryset=_boms)
    work_center = df.ModelChoiceFilter(queryset=_work_centers)
