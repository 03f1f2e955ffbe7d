from __future__ import annotations

from django import forms

from factoryos.core.models import Membership
from factoryos.facilities.models import Shift, Site, WorkCenter
from factoryos.people.models import Employee, Skill

SORTS = [
    ("last_name", "Name"),
    ("employee_number", "Employee number"),
    ("department", "Department"),
    ("employment_start", "Start date (oldest first)"),
    ("-employment_start", "Start date (newest first)"),
]
LEVELS = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


def _site_choices() -> list[tuple[str, str]]:
    return [(str(site.pk), str(site)) for site in Site.objects.all()]


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, widget=forms.TextInput(attrs={"type": "search"}))
    department = forms.ChoiceField(required=False)
    site = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    active = forms.ChoiceField(
        label="Status", choices=[("", "Any"), ("1", "Active"), ("0", "Inactive")], required=False
    )
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Employee.objects.exclude(department="").order_by("department")
        departments = departments.values_list("department", flat=True).distinct()
        self.fields["department"].choices = [("", "Any department")] + [(d, d) for d in departments]
        self.fields["site"].choices = [("", "Any site")] + _site_choices()


class EmployeeForm(forms.Form):
    employee_number = forms.CharField(max_length=20)
    first_name = forms.CharField(max_length=80)
    last_name = forms.CharField(max_length=80)
    job_title = forms.CharField(max_length=120, required=False)
    department = forms.CharField(max_length=80, required=False)
    site = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    user = forms.TypedChoiceField(
        label="User account", coerce=int, empty_value=None, required=False, help_text="If the employee logs in."
    )
    employment_start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    labour_rate = forms.DecimalField(
        label="Labour rate / hour", max_digits=10, decimal_places=2, min_value=0, initial=0
    )
    active = forms.BooleanField(required=False, initial=True)
    emergency_contact_name = forms.CharField(max_length=120, required=False, help_text="Stored encrypted.")
    emergency_contact_phone = forms.CharField(max_length=40, required=False, help_text="Stored encrypted.")
    home_address = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Stored encrypted."
    )
    work_centers = forms.TypedMultipleChoiceField(
        label="Qualified work centers", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

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
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("skill_")}
        data["skills"] = [
            {"skill": skill.pk, "level": self.cleaned_data[f"skill_{skill.pk}"]}
            for skill in self.skills
            if self.cleaned_data.get(f"skill_{skill.pk}") is not None
        ]
        return data


class ShiftAssignmentForm(forms.Form):
    """Put the employee on a shift from a date (until a date, or open-ended)."""

    shift = forms.ModelChoiceField(queryset=Shift.all_tenants.none())
    valid_from = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shifts = Shift.objects.select_related("calendar__site").order_by("calendar__site__code", "weekday", "start")
        self.fields["shift"].queryset = shifts
        self.fields["shift"].label_from_instance = lambda s: f"{s.calendar.site.code} · {s.calendar.name} · {s}"
