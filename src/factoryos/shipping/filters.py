"""The filters of shipments, customer returns and their lines: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.db.models import QuerySet

from factoryos.kernel.filters import SearchFilter
from factoryos.partners.filters import PartnerFilter
from factoryos.sales.models import SalesOrder
from factoryos.shipping.models import CustomerReturn, ReturnStatus, Shipment, ShipmentStatus

DATE = forms.DateInput(attrs={"type": "date"})


def _orders(request: object) -> QuerySet[SalesOrder]:
    return SalesOrder.objects.all()


def _shipments(request: object) -> QuerySet[Shipment]:
    return Shipment.objects.all()


def _returns(request: object) -> QuerySet[CustomerReturn]:
    return CustomerReturn.objects.all()


class ShipmentFilterSet(df.FilterSet):
    q = SearchFilter(
        ("number", "order__number", "tracking_number", "order__partner__code", "order__partner__legal_name"),
        ranks=("number__iexact", "number__istartswith", "order__number__iexact", "tracking_number__iexact"),
        then=("-created_at", "-id"),
    )
    status = df.ChoiceFilter(choices=ShipmentStatus.choices, empty_label="Any status")
    order = df.ModelChoiceFilter(queryset=_orders)
    customer = PartnerFilter("customer", field_name="order__partner", label="Customer")
    date_from = df.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From", widget=DATE)
    date_to = df.DateFilter(field_name="created_at", lookup_expr="date__lte", label="To", widget=DATE)


class ShipmentLineFilterSet(df.FilterSet):
    shipment = df.ModelChoiceFilter(queryset=_shipments)


class CustomerReturnFilterSet(df.FilterSet):
    q = SearchFilter(
        ("number", "reason", "customer__code", "customer__legal_name", "shipment__number"),
        ranks=("number__iexact", "number__istartswith", "shipment__number__iexact"),
        then=("-created_at", "-id"),
    )
    status = df.ChoiceFilter(choices=ReturnStatus.choices, empty_label="Any status")
    customer = PartnerFilter("customer")
    shipment = df.ModelChoiceFilter(queryset=_shipments)


class CustomerReturnLineFilterSet(df.FilterSet):
    customer_return = df.ModelChoiceFilter(queryset=_returns)
