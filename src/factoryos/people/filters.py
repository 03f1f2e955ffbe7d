"""The filters of employee records: one definition for the API and the pages.

Names, job titles and departments are encrypted: the search matches them after decrypting (``SearchFilter`` does it
for encrypted fields, kernel/sealed.py), and so do the department choices and the department filter. Decision 0009.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import django_filters as df
from django.db.models import QuerySet

from factoryos.facilities.models import Shift, Site, WorkCenter
from factoryos.kernel.filters import ActiveFilter, SearchFilter
from factoryos.kernel.sealed import opened
from factoryos.people.models import Employee, Skill

LEVELS = [(n, str(n)) for n in range(1, 6)]


def _departments() -> list[tuple[str, str]]:
    """The departments in use (decrypted). Each EmployeeFilterSet replaces it with its own, computed once."""
    return EmployeeFilterSet(queryset=Employee.objects.all()).department_choices()


class EmployeeFilterSet(df.FilterSet):
    q = SearchFilter(("employee_number", "first_name", "last_name", "job_title", "department"))
    department = df.ChoiceFilter(choices=_departments, empty_label="Any department", method="in_department")
    site = df.ModelChoiceFilter(queryset=lambda request: Site.objects.all(), empty_label="Any site")
    active = ActiveFilter()
    work_center = df.ModelChoiceFilter(field_name="work_centers", queryset=lambda request: WorkCenter.objects.all())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A function, not the bound method: the form deep-copies its fields, and with them a method's FilterSet.
        self.filters["department"].extra["choices"] = lambda: self.department_choices()

    @cached_property
    def departments(self) -> dict[Any, str]:
        """Each employee's department, decrypted: one query and one pass for the choices, their check and the
        filter."""
        return {pk: values[0] for pk, values in opened(self.queryset, ["department"])}

    def department_choices(self) -> list[tuple[str, str]]:
        """The departments in use, in alphabetical order."""
        return [(d, d) for d in sorted({d for d in self.departments.values() if d}, key=str.casefold)]

    def in_department(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(pk__in=[pk for pk, department in self.departments.items() if department == value])


class SkillFilterSet(df.FilterSet):
    q = SearchFilter(("name",))


class EmployeeSkillFilterSet(df.FilterSet):
    employee = df.ModelChoiceFilter(queryset=lambda request: Employee.objects.all())
    skill = df.ModelChoiceFilter(queryset=lambda request: Skill.objects.all())
    level = df.ChoiceFilter(choices=LEVELS)


class ShiftAssignmentFilterSet(df.FilterSet):
    employee = df.ModelChoiceFilter(queryset=lambda request: Employee.objects.all())
    shift = df.ModelChoiceFilter(queryset=lambda request: Shift.objects.all())
