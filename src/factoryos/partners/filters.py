"""The partners' filters: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from factoryos.kernel.filters import ActiveFilter, SearchFilter
from factoryos.partners.models import AddressKind, Partner, PriceList, SupplierItem
from factoryos.web.forms import Picker

ROLES = [("customer", "Customers"), ("supplier", "Suppliers")]
ROLE_FIELDS = {"customer": "is_customer", "supplier": "is_supplier"}


def of_role(queryset: QuerySet, role: str) -> QuerySet:
    """The partners in ``role`` ("customer" or "supplier"); any other value (none) leaves the rows as they are."""
    return queryset.filter(**{ROLE_FIELDS[role]: True}) if role in ROLE_FIELDS else queryset


def _partners(request: object) -> object:
    return Partner.objects.all()


class PartnerFilter(df.ModelChoiceFilter):
    """A filter by customer or supplier (``role``), picked by searching: a select would render every partner (a
    shop with 10,000 customers made the order list take seconds)."""

    def __init__(self, role: str = "", **kwargs: object) -> None:
        url = format_lazy("{}?role={}", reverse_lazy("partners:partner_picker"), role)
        label = {"customer": "Customer", "supplier": "Supplier"}.get(role, "Partner")
        kwargs.setdefault("label", label)
        kwargs.setdefault("widget", Picker(url, placeholder=f"{label} code or name…"))
        super().__init__(queryset=lambda request: of_role(Partner.objects.all(), role), **kwargs)


def _items(request: object) -> object:
    return SupplierItem._meta.get_field("item").related_model._default_manager.all()  # catalog.Item, not imported


def _price_lists(request: object) -> object:
    return PriceList.objects.all()


def _supplier_items(request: object) -> object:
    return SupplierItem.objects.all()


class PartnerFilterSet(df.FilterSet):
    q = SearchFilter(
        ("code", "legal_name", "trading_name", "email"),
        ranks=("code__iexact", "code__istartswith", "trading_name__istartswith", "legal_name__istartswith"),
        then=("code",),
    )
    role = df.ChoiceFilter(choices=ROLES, method="in_role", empty_label="Customers and suppliers")
    active = ActiveFilter()
    price_list = df.ModelChoiceFilter(queryset=_price_lists)

    def in_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return of_role(queryset, value)


class PartnerTaxIdFilterSet(df.FilterSet):
    partner = df.ModelChoiceFilter(queryset=_partners)


class PartnerAddressFilterSet(df.FilterSet):
    q = SearchFilter(("name", "line1", "city", "postcode"))
    partner = df.ModelChoiceFilter(queryset=_partners)
    kind = df.ChoiceFilter(choices=AddressKind.choices)


class ContactFilterSet(df.FilterSet):
    """The search opens the encrypted names and addresses (kernel/sealed.py): the database never sees them."""

    q = SearchFilter(("name", "email"))
    partner = df.ModelChoiceFilter(queryset=_partners)


class SupplierItemFilterSet(df.FilterSet):
    q = SearchFilter(("supplier_sku", "item__sku", "item__name", "supplier__code"), ranks=("supplier_sku__iexact",))
    supplier = df.ModelChoiceFilter(queryset=_partners)
    item = df.ModelChoiceFilter(queryset=_items)
    preferred = df.BooleanFilter()


class SupplierPriceBreakFilterSet(df.FilterSet):
    supplier_item = df.ModelChoiceFilter(queryset=_supplier_items)


class PriceListFilterSet(df.FilterSet):
    q = SearchFilter(("code", "name"), ranks=("code__iexact", "code__istartswith", "name__istartswith"), then=("code",))
    active = ActiveFilter()


class PriceListLineFilterSet(df.FilterSet):
    price_list = df.ModelChoiceFilter(queryset=_price_lists)
    item = df.ModelChoiceFilter(queryset=_items)
