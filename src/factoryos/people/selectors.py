"""Reads of employee records (each a Reader: see kernel/reads.py). Every read of a record is on the audit trail."""

from __future__ import annotations

from factoryos.kernel.reads import Reader
from factoryos.people import filters
from factoryos.people.models import Employee, EmployeeSkill, ShiftAssignment, Skill

employees = Reader(
    Employee,
    queryset=lambda: Employee.objects.select_related("site", "user").prefetch_related(
        "work_centers", "skill_levels__skill"
    ),
    filterset=filters.EmployeeFilterSet,
)
skills = Reader(Skill, filterset=filters.SkillFilterSet)
employee_skills = Reader(
    EmployeeSkill,
    queryset=lambda: EmployeeSkill.objects.select_related("employee", "skill"),
    filterset=filters.EmployeeSkillFilterSet,
)
shift_assignments = Reader(
    ShiftAssignment,
    queryset=lambda: ShiftAssignment.objects.select_related("employee", "shift__calendar__site"),
    filterset=filters.ShiftAssignmentFilterSet,
)
