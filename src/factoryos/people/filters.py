"""The filters of employee records: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df

from factoryos.facilities.models import Shift, Site, WorkCenter
from factoryos.kernel.filters import ActiveFilter, SearchFilter
from factoryos.people.models import Employee, Skill

LEVELS = [(n, str(n)) for n in range(1, 6)]


def _departments() -> list[tuple[str, str]]:
    departments = Employee.objects.exclude(department="").order_by("department")
    return [(d, d) for d in departments.values_list("department", flat=True).distinct()]


class EmployeeFilterSet(df.FilterSet):
    q = SearchFilter(("employee_number", "first_name", "last_name", "job_title", "department"))
    department = df.ChoiceFilter(choices=_departments, empty_label="Any department")
    site = df.ModelChoiceFilter(queryset=lambda request: Site.objects.all(), empty_label="Any site")
    active = ActiveFilter()
    work_center = df.ModelChoiceFilter(field_name="work_centers", queryset=lambda request: WorkCenter.objects.all())


class SkillFilterSet(df.FilterSet):
    q = SearchFilter(("name",))


class EmployeeSkillFilterSet(df.FilterSet):
    employee = df.ModelChoiceFilter(queryset=lambda request: Employee.objects.all())
    skill = df.ModelChoiceFilter(queryset=lambda request: Skill.objects.all())
    level = df.ChoiceFilter(choices=LEVELS)


class ShiftAssignmentFilterSet(df.FilterSet):
    employee = df.ModelChoiceFilter(queryset=lambda request: Employee.objects.all())
    shift = df.ModelChoiceFilter(queryset=lambda request: Shift.objects.all())
