"""The filters of Buy's lists: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df
from django import forms

from factoryos.catalog.models import Item
from factoryos.kernel.filters import DayFilter, SearchFilter
from factoryos.partners.filters import PartnerFilter
from factoryos.purchasing.models import (
    POStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptStatus,
    RequestForQuotation,
    Requisition,
    RequisitionStatus,
    RfqLine,
    RfqStatus,
    RfqSupplier,
    SupplierReturn,
    SupplierReturnStatus,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _items(request: object) -> object:
    return Item.objects.all()


def _orders(request: object) -> object:
    return PurchaseOrder.objects.all()


def _receipts(request: object) -> object:
    return Receipt.objects.all()


def _requisitions(request: object) -> object:
    return Requisition.objects.all()


def _rfqs(request: object) -> object:
    return RequestForQuotation.objects.all()


class PurchaseOrderFilterSet(df.FilterSet):
    q = SearchFilter(
        ("number", "partner__code", "partner__legal_name", "supplier_reference"),
        ranks=("number__iexact", "number__istartswith", "partner__code__iexact"),
        then=("-id",),
    )
    status = df.ChoiceFilter(choices=POStatus.choices, empty_label="Any status")
    supplier = PartnerFilter("supplier", field_name="partner")
    date_from = df.DateFilter(field_name="order_date", lookup_expr="gte", label="Ordered from", widget=DATE)
    date_to = df.DateFilter(field_name="order_date", lookup_expr="lte", label="Ordered until", widget=DATE)


class PurchaseOrderLineFilterSet(df.FilterSet):
    purchase_order = df.ModelChoiceFilter(queryset=_orders)
    item = df.ModelChoiceFilter(queryset=_items)


class ReceiptFilterSet(df.FilterSet):
    q = SearchFilter(
        ("number", "purchase_order__number", "supplier__code", "supplier__legal_name", "supplier_reference"),
        ranks=("number__iexact", "number__istartswith"),
        then=("-id",),
    )
    status = df.ChoiceFilter(choices=ReceiptStatus.choices, empty_label="Any status")
    supplier = PartnerFilter("supplier")
    purchase_order = df.ModelChoiceFilter(queryset=_orders)
    date_from = DayFilter("received_at", bound="since", label="Received from")
    date_to = DayFilter("received_at", bound="until", label="Received until")


class ReceiptLineFilterSet(df.FilterSet):
    receipt = df.ModelChoiceFilter(queryset=_receipts)
    item = df.ModelChoiceFilter(queryset=_items)
    po_line = df.ModelChoiceFilter(queryset=lambda request: PurchaseOrderLine.objects.all())


class SupplierReturnFilterSet(df.FilterSet):
    q = SearchFilter(("number", "receipt__number", "supplier__code", "supplier__legal_name", "reason"))
    status = df.ChoiceFilter(choices=SupplierReturnStatus.choices, empty_label="Any status")
    supplier = PartnerFilter("supplier")
    receipt = df.ModelChoiceFilter(queryset=_receipts)
    date_from = DayFilter("created_at", bound="since", label="From")
    date_to = DayFilter("created_at", bound="until", label="Until")


class SupplierReturnLineFilterSet(df.FilterSet):
    supplier_return = df.ModelChoiceFilter(queryset=lambda request: SupplierReturn.objects.all())


class RequisitionFilterSet(df.FilterSet):
    q = SearchFilter(("number", "notes"), ranks=("number__iexact", "number__istartswith"), then=("-id",))
    status = df.ChoiceFilter(choices=RequisitionStatus.choices, empty_label="Any status")
    date_from = DayFilter("created_at", bound="since", label="Raised from")
    date_to = DayFilter("created_at", bound="until", label="Raised until")


class RequisitionLineFilterSet(df.FilterSet):
    requisition = df.ModelChoiceFilter(queryset=_requisitions)
    item = df.ModelChoiceFilter(queryset=_items)


class RfqFilterSet(df.FilterSet):
    q = SearchFilter(("number", "requisition__number", "notes"), ranks=("number__iexact",), then=("-id",))
    status = df.ChoiceFilter(choices=RfqStatus.choices, empty_label="Any status")
    requisition = df.ModelChoiceFilter(queryset=_requisitions)
    supplier = PartnerFilter("supplier", field_name="suppliers__supplier", distinct=True)
    date_from = DayFilter("created_at", bound="since", label="From")
    date_to = DayFilter("created_at", bound="until", label="Until")


class RfqLineFilterSet(df.FilterSet):
    rfq = df.ModelChoiceFilter(queryset=_rfqs)


class RfqSupplierFilterSet(df.FilterSet):
    rfq = df.ModelChoiceFilter(queryset=_rfqs)
    supplier = PartnerFilter("supplier")


class SupplierQuoteFilterSet(df.FilterSet):
    rfq = df.ModelChoiceFilter(field_name="rfq_line__rfq", queryset=_rfqs)
    rfq_line = df.ModelChoiceFilter(queryset=lambda request: RfqLine.objects.all())
    rfq_supplier = df.ModelChoiceFilter(queryset=lambda request: RfqSupplier.objects.all())


class ApprovalLimitFilterSet(df.FilterSet):
    role = df.CharFilter()
