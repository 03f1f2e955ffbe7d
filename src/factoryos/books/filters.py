"""The book's filters: one definition for the API and the pages. ``status=overdue`` is derived from the due date
(an open document whose due date has passed), never stored."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from factoryos.books.models import (
    OPEN_BILL_STATUSES,
    OPEN_STATUSES,
    OVERDUE,
    Bill,
    BillStatus,
    Direction,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    MatchStatus,
    Payment,
    PaymentMethod,
)
from factoryos.kernel.filters import SearchFilter
from factoryos.partners.filters import PartnerFilter

DATE = forms.DateInput(attrs={"type": "date"})


def _status(open_statuses: tuple[str, ...]) -> Any:
    def apply(queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == OVERDUE:
            return queryset.filter(status__in=open_statuses, due_date__lt=timezone.localdate())
        return queryset.filter(status=value) if value else queryset

    return apply


class InvoiceFilterSet(df.FilterSet):
    q = SearchFilter(
        ("number", "reference", "partner__code", "partner__legal_name"),
        ranks=("number__iexact", "number__istartswith", "partner__code__iexact"),
    )
    kind = df.ChoiceFilter(choices=InvoiceKind.choices, empty_label="Invoices and credit notes")
    status = df.ChoiceFilter(
        choices=[*InvoiceStatus.choices, (OVERDUE, "Overdue")], method=_status(OPEN_STATUSES), empty_label="Any status"
    )
    partner = PartnerFilter("customer")
    issued_from = df.DateFilter(field_name="issued_on", lookup_expr="gte", label="Issued from", widget=DATE)
    issued_to = df.DateFilter(field_name="issued_on", lookup_expr="lte", label="Issued to", widget=DATE)
    due_before = df.DateFilter(field_name="due_date", lookup_expr="lt", label="Due before", widget=DATE)

    class Meta:
        model = Invoice
        fields: list[str] = []


class InvoiceLineFilterSet(df.FilterSet):
    invoice = df.ModelChoiceFilter(queryset=lambda request: Invoice.objects.all())


class BillFilterSet(df.FilterSet):
    q = SearchFilter(
        ("number", "supplier_reference", "partner__code", "partner__legal_name"),
        ranks=("number__iexact", "supplier_reference__iexact", "partner__code__iexact"),
    )
    status = df.ChoiceFilter(
        choices=[*BillStatus.choices, (OVERDUE, "Overdue")],
        method=_status(OPEN_BILL_STATUSES),
        empty_label="Any status",
    )
    match_status = df.ChoiceFilter(choices=MatchStatus.choices, label="Match")
    partner = PartnerFilter("supplier")
    dated_from = df.DateFilter(field_name="bill_date", lookup_expr="gte", label="Dated from", widget=DATE)
    dated_to = df.DateFilter(field_name="bill_date", lookup_expr="lte", label="Dated to", widget=DATE)
    due_before = df.DateFilter(field_name="due_date", lookup_expr="lt", label="Due before", widget=DATE)

    class Meta:
        model = Bill
        fields: list[str] = []


class BillLineFilterSet(df.FilterSet):
    bill = df.ModelChoiceFilter(queryset=lambda request: Bill.objects.all())


class PaymentFilterSet(df.FilterSet):
    q = SearchFilter(("number", "reference", "partner__code", "partner__legal_name"), ranks=("number__iexact",))
    direction = df.ChoiceFilter(choices=Direction.choices, empty_label="In and out")
    method = df.ChoiceFilter(choices=PaymentMethod.choices)
    partner = PartnerFilter()
    paid_from = df.DateFilter(field_name="paid_on", lookup_expr="gte", label="From", widget=DATE)
    paid_to = df.DateFilter(field_name="paid_on", lookup_expr="lte", label="To", widget=DATE)

    class Meta:
        model = Payment
        fields: list[str] = []


class PaymentAllocationFilterSet(df.FilterSet):
    payment = df.ModelChoiceFilter(queryset=lambda request: Payment.objects.all())
    invoice = df.ModelChoiceFilter(queryset=lambda request: Invoice.objects.all())
    bill = df.ModelChoiceFilter(queryset=lambda request: Bill.objects.all())
