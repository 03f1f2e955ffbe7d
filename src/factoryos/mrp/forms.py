"""Forms of the planning pages. They parse input only: every rule lives in mrp.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

from factoryos.catalog.models import Item
from factoryos.mrp.models import Forecast, MrpRun
from factoryos.web.forms import ModelFieldsForm, Picker, form_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ForecastForm(ModelFieldsForm):
    item = forms.ModelChoiceField(
        queryset=Item.all_tenants.none(),
        widget=Picker(reverse_lazy("catalog:item_picker"), placeholder="SKU or name…", attrs={"aria_label": "Item"}),
    )

    class Meta:
        model = Forecast
        fields = ("item", "starts_on", "ends_on", "quantity", "notes")
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["item"].label_from_instance = lambda item: f"{item.sku} · {item.name}"  # type: ignore[attr-defined]


class RunForm(forms.Form):
    horizon_days = form_field(MrpRun._meta.get_field("horizon_days"), label="Days ahead")
    net_change = forms.BooleanField(
        required=False, label="Only what changed", help_text="The items of the orders made since the last run"
    )
