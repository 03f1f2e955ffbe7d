"""Employees, skills, skill levels and shift assignments. Administrators only: every operation answers 404 (not
403) to anyone without the permission, see access.py."""

from ninja import Router

from factoryos.kernel.resources import Resource, add_resources
from factoryos.people import schemas as s
from factoryos.people import selectors, services
from factoryos.people.access import hide_operations

router = Router(tags=["people"])
EMPLOYEE_SORTS = ("employee_number", "last_name", "department", "employment_start")

add_resources(
    router,
    Resource("employees", selectors.employees, ordering=EMPLOYEE_SORTS),
    Resource("skills", selectors.skills, ordering=("name",)),
    Resource("employee-skills", selectors.employee_skills, ordering=("level",)),
    Resource("shift-assignments", selectors.shift_assignments, ordering=("valid_from",)),
    schemas=s,
    services=services,
)
hide_operations(router)
