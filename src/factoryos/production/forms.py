"""Forms of the production pages. They parse input only: every rule lives in production.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

from factoryos.catalog.models import Item, Operation
from factoryos.facilities.models import WorkCenter
from factoryos.inventory.models import VIRTUAL_KINDS, Location, Lot
from factoryos.production.models import (
    Downtime,
    NonConformance,
    PauseReason,
    ProductionReport,
    ScrapReason,
    WorkOrder,
    WorkOrderMaterial,
)
from factoryos.web.forms import ModelFieldsForm, Picker, form_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkOrderForm(ModelFieldsForm):
    """What to make, how many, where and by when; the BOM revision is the item's released one at release."""

    item = forms.ModelChoiceField(
        queryset=Item.all_tenants.none(),
        widget=Picker(reverse_lazy("catalog:item_picker"), placeholder="SKU or name…", attrs={"aria_label": "Item"}),
    )
    location = forms.ModelChoiceField(
        queryset=Location.all_tenants.none(),
        widget=Picker(
            reverse_lazy("inventory:location_picker"), placeholder="Code or name…", attrs={"aria_label": "Location"}
        ),
        help_text=WorkOrder._meta.get_field("location").help_text,
    )

    class Meta:
        model = WorkOrder
        fields = ("item", "quantity", "location", "due_date", "priority", "lot_code", "notes")
        widgets = {"due_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["item"].label_from_instance = lambda item: f"{item.sku} · {item.name}"  # type: ignore[attr-defined]
        self.fields["location"].queryset = Location.objects.exclude(  # type: ignore[attr-defined]
            kind__in=sorted(VIRTUAL_KINDS)
        ).filter(active=True)
        self.fields["location"].label_from_instance = lambda loc: f"{loc.code} · {loc.name}"  # type: ignore[attr-defined]


class IssueForm(forms.Form):
    quantity = form_field(WorkOrderMaterial._meta.get_field("quantity"), label="Quantity to issue")
    lot = form_field(Lot._meta.get_field("code"), label="Lot / serial", required=False)

    def service_fields(self) -> dict[str, Any]:
        return {"quantity": self.cleaned_data["quantity"], "lot": (self.cleaned_data["lot"] or "").strip() or None}


class PauseForm(forms.Form):
    reason = forms.ChoiceField(choices=PauseReason.choices, widget=forms.RadioSelect)


class ReportForm(forms.Form):
    """A batch: how many good, how many scrapped and why (the scanner's Enter submits it)."""

    good = form_field(ProductionReport._meta.get_field("good"), required=False, label="Good")
    scrap = form_field(ProductionReport._meta.get_field("scrap"), required=False, label="Scrap")
    scrap_reason = forms.ChoiceField(choices=[("", "—"), *ScrapReason.choices], required=False, label="Scrap reason")

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"good": data.get("good") or 0, "scrap": data.get("scrap") or 0, "scrap_reason": data["scrap_reason"]}


class TimeSuggestionForm(forms.Form):
    """The standard times the engineer saw suggested (hidden beside the Accept button): accepted only if the
    suggestion is still that."""

    setup_minutes = form_field(Operation._meta.get_field("setup_minutes"), required=False)
    run_minutes_per_unit = form_field(Operation._meta.get_field("run_minutes_per_unit"), required=False)

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in ("setup_minutes", "run_minutes_per_unit")}


class CheckForm(forms.Form):
    """A check's result on the tablet: a measured value, or the Pass / Fail button pressed (``passed``)."""

    value = forms.DecimalField(max_digits=14, decimal_places=4, required=False, label="Measured")
    passed = forms.TypedChoiceField(
        choices=[("", ""), ("1", "Pass"), ("0", "Fail")], coerce=lambda v: v == "1", required=False, empty_value=None
    )
    note = forms.CharField(max_length=200, required=False)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"value": data.get("value"), "passed": data.get("passed"), "note": data.get("note") or ""}


class NonConformanceForm(ModelFieldsForm):
    class Meta:
        model = NonConformance
        fields = ("description", "quantity", "disposition", "root_cause")


class DowntimeForm(ModelFieldsForm):
    work_center = forms.ModelChoiceField(queryset=WorkCenter.all_tenants.none(), empty_label="Choose…")

    class Meta:
        model = Downtime
        fields = ("work_center", "reason", "starts_at", "ends_at", "note")
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_center"].queryset = WorkCenter.objects.filter(active=True).order_by("code")  # type: ignore[attr-defined]
