"""Forms of the facilities pages. They parse input only: every rule lives in facilities.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from factoryos.facilities.models import WEEKDAYS, Calendar, Closure, Holiday, Shift, Site, WorkCenter
from factoryos.web.forms import ModelFieldsForm

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SiteForm(ModelFieldsForm):
    class Meta:
        model = Site
        fields = ("code", "name", "address_line1", "city", "state", "postcode", "country", "time_zone", "active")
        labels = {"address_line1": "Address", "state": "State / region"}
        help_texts = {
            "code": "Short, unique: MAIN, NTH, WH2",
            "country": "Two-letter ISO code, e.g. AU",
            "time_zone": "Shifts are in this local time.",
        }


class WorkCenterForm(ModelFieldsForm):
    site = forms.ModelChoiceField(queryset=Site.all_tenants.none(), empty_label=None)
    calendar = forms.ModelChoiceField(
        queryset=Calendar.all_tenants.none(),
        required=False,
        empty_label="The site's first calendar",
        help_text="A calendar of the same site.",
    )

    class Meta:
        model = WorkCenter
        fields = ("site", "code", "name", "kind", "machines", "machine_rate", "labour_rate", "efficiency_pct")
        fields += ("calendar", "active")
        labels = {
            "machine_rate": "Machine rate / hour",
            "labour_rate": "Labour rate / hour",
            "efficiency_pct": "Efficiency %",
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.all()
        self.fields["calendar"].queryset = Calendar.objects.select_related("site")
        self.fields["calendar"].label_from_instance = lambda c: f"{c.site.code} · {c.name}"


class CalendarForm(ModelFieldsForm):
    class Meta:
        model = Calendar
        fields = ("name",)
        widgets = {"name": forms.TextInput(attrs={"placeholder": "Day crew"})}


class ShiftForm(ModelFieldsForm):
    """One shift on several weekdays at once (one row per day)."""

    weekday = forms.TypedMultipleChoiceField(
        label="Days", choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple, initial=[0, 1, 2, 3, 4]
    )

    class Meta:
        model = Shift
        fields = ("weekday", "name", "start", "end")
        widgets = {"start": TIME, "end": TIME}
        help_texts = {"end": "At or before the start: overnight."}


class HolidayForm(ModelFieldsForm):
    class Meta:
        model = Holiday
        fields = ("date", "name")
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time as typed (naive): the service places it in the calendar's site time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        result = super().to_python(value)
        return timezone.make_naive(result) if result is not None and timezone.is_aware(result) else result


class ClosureForm(ModelFieldsForm):
    starts_at = LocalDateTimeField(label="From")
    ends_at = LocalDateTimeField(label="Until")

    class Meta:
        model = Closure
        fields = ("starts_at", "ends_at", "reason")

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The closure must end after it starts.")
        return data
