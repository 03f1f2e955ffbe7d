"""Forms of the facilities pages. They parse input only: every rule lives in facilities.services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from factoryos.core.models import TIME_ZONES
from factoryos.facilities.models import WEEKDAYS, Calendar, Site, WorkCenterKind

ACTIVE_CHOICES = [("", "Any status"), ("yes", "Active"), ("no", "Inactive")]


class SiteForm(forms.Form):
    code = forms.CharField(max_length=20, help_text="Short, unique: MAIN, NTH, WH2")
    name = forms.CharField(max_length=120)
    address_line1 = forms.CharField(label="Address", max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    state = forms.CharField(label="State / region", max_length=100, required=False)
    postcode = forms.CharField(max_length=20, required=False)
    country = forms.CharField(max_length=2, min_length=2, help_text="Two-letter ISO code, e.g. AU")
    time_zone = forms.ChoiceField(choices=[(z, z) for z in TIME_ZONES], help_text="Shifts are in this local time.")
    active = forms.BooleanField(required=False, initial=True)


class WorkCenterForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.all_tenants.none(), empty_label=None)
    code = forms.CharField(max_length=20)
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=WorkCenterKind.choices)
    machines = forms.IntegerField(label="Parallel machines", min_value=1, initial=1)
    machine_rate = forms.DecimalField(label="Machine rate / hour", max_digits=10, decimal_places=2, initial=0)
    labour_rate = forms.DecimalField(label="Labour rate / hour", max_digits=10, decimal_places=2, initial=0)
    efficiency_pct = forms.DecimalField(label="Efficiency %", max_digits=5, decimal_places=1, initial=100)
    calendar = forms.ModelChoiceField(
        queryset=Calendar.all_tenants.none(),
        required=False,
        empty_label="The site's first calendar",
        help_text="A calendar of the same site.",
    )
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.all()
        self.fields["calendar"].queryset = Calendar.objects.select_related("site")
        self.fields["calendar"].label_from_instance = lambda c: f"{c.site.code} · {c.name}"


class WorkCenterFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    site = forms.ModelChoiceField(queryset=Site.all_tenants.none(), required=False, empty_label="All sites")
    kind = forms.ChoiceField(choices=[("", "All kinds"), *WorkCenterKind.choices], required=False)
    active = forms.ChoiceField(label="Status", choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.all()
        self.fields["q"].widget.attrs.update(type="search", placeholder="Code or name")


class SiteFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    active = forms.ChoiceField(label="Status", choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(type="search", placeholder="Code, name or city")


class CalendarForm(forms.Form):
    name = forms.CharField(max_length=80, widget=forms.TextInput(attrs={"placeholder": "Day crew"}))


class ShiftForm(forms.Form):
    """One shift on several weekdays at once (one row per day)."""

    weekday = forms.TypedMultipleChoiceField(
        label="Days", choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple, initial=[0, 1, 2, 3, 4]
    )
    name = forms.CharField(max_length=40, initial="Day")
    start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), help_text="At or before the start: overnight."
    )


class HolidayForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    name = forms.CharField(max_length=80)


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time as typed (naive): the service places it in the calendar's site time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        result = super().to_python(value)
        return timezone.make_naive(result) if result is not None and timezone.is_aware(result) else result


class ClosureForm(forms.Form):
    starts_at = LocalDateTimeField(label="From")
    ends_at = LocalDateTimeField(label="Until")
    reason = forms.CharField(max_length=120)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The closure must end after it starts.")
        return data
