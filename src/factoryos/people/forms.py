from __future__ import annotations

from django import forms

from factoryos.core.models import Membership
from factoryos.facilities.models import Shift, Site, WorkCenter
from factoryos.people.models import Employee, ShiftAssignment, Skill
from factoryos.web.forms import ModelFieldsForm

DATE = forms.DateInput(attrs={"type": "date"})

LEVELS = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


def _site_choices() -> list[tuple[str, str]]:
    return [(str(site.pk), str(site)) for site in Site.objects.all()]


class EmployeeForm(ModelFieldsForm):
    site = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    user = forms.TypedChoiceField(
        label="User account", coerce=int, empty_value=None, required=False, help_text="If the employee logs in."
    )
    work_centers = forms.TypedMultipleChoiceField(
        label="Qualified work centers", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Employee
        fields = (
            "employee_number",
            "first_name",
            "last_name",
            "job_title",
            "department",
            "site",
            "user",
            "employment_start",
            "labour_rate",
            "active",
            "emergency_contact_name",
            "emergency_contact_phone",
            "home_address",
            "work_centers",
        )
        labels = {"labour_rate": "Labour rate / hour"}
        widgets = {
            "employment_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "emergency_contact_name": forms.TextInput,
            "emergency_contact_phone": forms.TextInput,
            "home_address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", "—")] + _site_choices()
        members = Membership.objects.filter(is_active=True).select_related("user").order_by("user__email")
        self.fields["user"].choices = [("", "—")] + [
            (str(m.user_id), f"{m.user.full_name} <{m.user.email}>") for m in members
        ]
        self.fields["work_centers"].choices = [(str(wc.pk), str(wc)) for wc in WorkCenter.objects.all()]
        self.skills = list(Skill.objects.all())
        for skill in self.skills:
            self.fields[f"skill_{skill.pk}"] = forms.TypedChoiceField(
                label=f"Skill: {skill.name}", choices=LEVELS, coerce=int, empty_value=None, required=False
            )

    @classmethod
    def initial_for(cls, employee: Employee) -> dict:
        initial = {n: getattr(employee, n) for n in cls.base_fields if n not in {"site", "user", "work_centers"}}
        initial["site"] = employee.site_id
        initial["user"] = employee.user_id
        initial["work_centers"] = [wc.pk for wc in employee.work_centers.all()]
        for row in employee.skill_levels.all():
            initial[f"skill_{row.skill_id}"] = row.level
        return initial

    def service_fields(self) -> dict:
        """The cleaned data as the service takes it: skill_<id> fields become ``skills``."""
        data = {k: v for k, v in super().service_fields().items() if not k.startswith("skill_")}
        data["skills"] = [
            {"skill": skill.pk, "level": self.cleaned_data[f"skill_{skill.pk}"]}
            for skill in self.skills
            if self.cleaned_data.get(f"skill_{skill.pk}") is not None
        ]
        return data


class ShiftAssignmentForm(ModelFieldsForm):
    """Put the employee on a shift from a date (until a date, or open-ended)."""

    shift = forms.ModelChoiceField(queryset=Shift.all_tenants.none())

    class Meta:
        model = ShiftAssignment
        fields = ("shift", "valid_from", "valid_to")
        labels = {"valid_from": "From", "valid_to": "To"}
        widgets = {"valid_from": DATE, "valid_to": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shifts = Shift.objects.select_related("calendar__site").order_by("calendar__site__code", "weekday", "start")
        self.fields["shift"].queryset = shifts
        self.fields["shift"].label_from_instance = lambda s: f"{s.calendar.site.code} · {s.calendar.name} · {s}"
