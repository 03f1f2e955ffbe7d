"""The filters of work orders and what hangs off them: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy

from factoryos.catalog.models import Item
from factoryos.facilities.models import WorkCenter
from factoryos.kernel.filters import DayFilter, SearchFilter
from factoryos.production.models import (
    Disposition,
    DowntimeReason,
    JobCard,
    JobCheck,
    JobStatus,
    NcrStatus,
    Phase,
    RootCause,
    Source,
    WorkOrder,
    WorkOrderMaterial,
    WorkOrderStatus,
)
from factoryos.web.forms import Picker

DATE = forms.DateInput(attrs={"type": "date"})


def _orders(request: object) -> QuerySet[WorkOrder]:
    return WorkOrder.objects.all()


def _items(request: object) -> QuerySet[Item]:
    return Item.objects.all()


def _work_centers(request: object) -> QuerySet[WorkCenter]:
    return WorkCenter.objects.order_by("code")


def _cards(request: object) -> QuerySet[JobCard]:
    return JobCard.objects.all()


def _materials(request: object) -> QuerySet[WorkOrderMaterial]:
    return WorkOrderMaterial.objects.all()


class WorkOrderFilterSet(df.FilterSet):
    q = SearchFilter(
        ("number", "item__sku", "item__name", "lot_code", "sales_order_line__order__number"),
        ranks=("number__iexact", "number__istartswith", "item__sku__iexact", "item__sku__istartswith"),
        then=("due_date", "priority", "id"),
    )
    status = df.ChoiceFilter(choices=WorkOrderStatus.choices, empty_label="Any status")
    source = df.ChoiceFilter(choices=Source.choices, empty_label="Any source")
    item = df.ModelChoiceFilter(queryset=_items, widget=forms.NumberInput)
    due_from = df.DateFilter(field_name="due_date", lookup_expr="gte", label="Due from", widget=DATE)
    due_to = df.DateFilter(field_name="due_date", lookup_expr="lte", label="Due by", widget=DATE)


class JobCardFilterSet(df.FilterSet):
    work_order = df.ModelChoiceFilter(queryset=_orders, widget=forms.NumberInput)
    work_center = df.ModelChoiceFilter(queryset=_work_centers)
    status = df.ChoiceFilter(choices=JobStatus.choices, empty_label="Any status")


class WorkOrderMaterialFilterSet(df.FilterSet):
    work_order = df.ModelChoiceFilter(queryset=_orders, widget=forms.NumberInput)
    item = df.ModelChoiceFilter(queryset=_items, widget=forms.NumberInput)


class TimeLogFilterSet(df.FilterSet):
    job_card = df.ModelChoiceFilter(queryset=_cards, widget=forms.NumberInput)
    work_order = df.ModelChoiceFilter(queryset=_orders, field_name="job_card__work_order", widget=forms.NumberInput)
    open = df.BooleanFilter(field_name="ended_at", lookup_expr="isnull", label="Still running")
    phase = df.ChoiceFilter(choices=Phase.choices, empty_label="Setup and run")


class EstimateFilterSet(df.FilterSet):
    """The completed operations whose estimated and actual times are compared (production.estimates)."""

    work_center = df.ModelChoiceFilter(queryset=_work_centers, empty_label="Any work center")
    item = df.ModelChoiceFilter(
        queryset=_items,
        field_name="work_order__item",
        label="Item",
        widget=Picker(reverse_lazy("catalog:item_picker"), placeholder="SKU or name…"),
    )
    done_from = DayFilter("done_at", bound="since", label="Done from")
    done_to = DayFilter("done_at", bound="until", label="Done by")


class ProductionReportFilterSet(df.FilterSet):
    job_card = df.ModelChoiceFilter(queryset=_cards, widget=forms.NumberInput)
    work_order = df.ModelChoiceFilter(queryset=_orders, field_name="job_card__work_order", widget=forms.NumberInput)


class MaterialReservationFilterSet(df.FilterSet):
    material = df.ModelChoiceFilter(queryset=_materials, widget=forms.NumberInput)


def _checks(request: object) -> QuerySet[JobCheck]:
    return JobCheck.objects.all()


class JobCheckFilterSet(df.FilterSet):
    job_card = df.ModelChoiceFilter(queryset=_cards, widget=forms.NumberInput)


class CheckResultFilterSet(df.FilterSet):
    job_check = df.ModelChoiceFilter(queryset=_checks, widget=forms.NumberInput)
    passed = df.BooleanFilter()


class NonConformanceFilterSet(df.FilterSet):
    q = SearchFilter(
        ("description", "work_order__number", "work_order__item__sku"), ranks=("work_order__number__iexact",)
    )
    status = df.ChoiceFilter(choices=NcrStatus.choices, empty_label="Any status")
    disposition = df.ChoiceFilter(choices=Disposition.choices, empty_label="Any disposition")
    root_cause = df.ChoiceFilter(choices=RootCause.choices, empty_label="Any cause")
    work_center = df.ModelChoiceFilter(queryset=_work_centers, field_name="job_card__work_center")
    work_order = df.ModelChoiceFilter(queryset=_orders, widget=forms.NumberInput)
    date_from = df.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From", widget=DATE)
    date_to = df.DateFilter(field_name="created_at", lookup_expr="date__lte", label="To", widget=DATE)


class DowntimeFilterSet(df.FilterSet):
    work_center = df.ModelChoiceFilter(queryset=_work_centers)
    reason = df.ChoiceFilter(choices=DowntimeReason.choices, empty_label="Any reason")
    open = df.BooleanFilter(field_name="ends_at", lookup_expr="isnull", label="Still down")
    date_from = df.DateFilter(field_name="starts_at", lookup_expr="date__gte", label="From", widget=DATE)
    date_to = df.DateFilter(field_name="starts_at", lookup_expr="date__lte", label="To", widget=DATE)


# -- costing: the variance of finished orders, the work in process of open ones ---------------------------------------
class _CostingFilterSet(df.FilterSet):
    q = SearchFilter(
        ("number", "item__sku", "item__name"),
        ranks=("number__iexact", "number__istartswith", "item__sku__iexact", "item__sku__istartswith"),
        then=("number",),
    )
    item = df.ModelChoiceFilter(
        queryset=_items, widget=Picker(reverse_lazy("catalog:item_picker"), placeholder="SKU or name…")
    )


class VarianceFilterSet(_CostingFilterSet):
    """Completed and closed work orders (the costing page's variance, GET /costing/variance)."""

    status = df.ChoiceFilter(
        choices=[(s.value, s.label) for s in (WorkOrderStatus.COMPLETED, WorkOrderStatus.CLOSED)],
        empty_label="Completed or closed",
    )
    completed_from = DayFilter("completed_at", bound="since", label="Completed from")
    completed_to = DayFilter("completed_at", bound="until", label="Completed by")


class WipFilterSet(_CostingFilterSet):
    """Work orders with work in process: released, in progress, or completed and not closed yet."""

    status = df.ChoiceFilter(
        choices=[
            (s.value, s.label) for s in (WorkOrderStatus.RELEASED, WorkOrderStatus.STARTED, WorkOrderStatus.COMPLETED)
        ],
        empty_label="Released to completed",
    )
