"""The filters of quotes, sales orders and their lines: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.db.models import QuerySet

from factoryos.kernel.filters import SearchFilter
from factoryos.partners.filters import PartnerFilter
from factoryos.sales.models import OrderStatus, Quote, QuoteStatus, SalesOrder

DATE = forms.DateInput(attrs={"type": "date"})


def _quotes(request: object) -> QuerySet[Quote]:
    return Quote.objects.all()


def _orders(request: object) -> QuerySet[SalesOrder]:
    return SalesOrder.objects.all()


SEARCH = ("number", "partner__code", "partner__legal_name", "partner__trading_name")
RANKS = ("number__iexact", "number__istartswith", "partner__code__iexact", "partner__code__istartswith")


class QuoteFilterSet(df.FilterSet):
    q = SearchFilter(SEARCH, ranks=RANKS, then=("-created_at",))
    status = df.ChoiceFilter(choices=QuoteStatus.choices, empty_label="Any status")
    partner = PartnerFilter("customer", label="Customer")
    date_from = df.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From", widget=DATE)
    date_to = df.DateFilter(field_name="created_at", lookup_expr="date__lte", label="To", widget=DATE)


class QuoteLineFilterSet(df.FilterSet):
    quote = df.ModelChoiceFilter(queryset=_quotes)


class SalesOrderFilterSet(df.FilterSet):
    q = SearchFilter((*SEARCH, "customer_reference"), ranks=RANKS, then=("-order_date", "-id"))
    status = df.ChoiceFilter(choices=OrderStatus.choices, empty_label="Any status")
    partner = PartnerFilter("customer", label="Customer")
    date_from = df.DateFilter(field_name="order_date", lookup_expr="gte", label="From", widget=DATE)
    date_to = df.DateFilter(field_name="order_date", lookup_expr="lte", label="To", widget=DATE)


class SalesOrderLineFilterSet(df.FilterSet):
    order = df.ModelChoiceFilter(queryset=_orders)
