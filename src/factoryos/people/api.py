"""Employees, skills, skill levels and shift assignments. Administrators only: every operation answers 404 (not
403) to anyone without the permission, see access.py."""

from ninja import Router

from factoryos.kernel.resources import Resource, add_resource
from factoryos.people import schemas as s
from factoryos.people import selectors, services
from factoryos.people.access import hide_operations

router = Router(tags=["people"])

add_resource(
    router,
    Resource(
        path="employees",
        reader=selectors.employees,
        out=s.EmployeeOut,
        create_in=s.EmployeeIn,
        patch_in=s.EmployeePatch,
        create=services.employee_create,
        update=services.employee_update,
        delete=services.employee_delete,
        ordering=("employee_number", "last_name", "department", "employment_start"),
    ),
)
add_resource(
    router,
    Resource(
        path="skills",
        reader=selectors.skills,
        out=s.SkillOut,
        create_in=s.SkillIn,
        patch_in=s.SkillPatch,
        create=services.skill_create,
        update=services.skill_update,
        delete=services.skill_delete,
        ordering=("name",),
    ),
)
add_resource(
    router,
    Resource(
        path="employee-skills",
        reader=selectors.employee_skills,
        out=s.EmployeeSkillOut,
        create_in=s.EmployeeSkillIn,
        patch_in=s.EmployeeSkillPatch,
        create=services.employee_skill_create,
        update=services.employee_skill_update,
        delete=services.employee_skill_delete,
        ordering=("level",),
    ),
)
add_resource(
    router,
    Resource(
        path="shift-assignments",
        reader=selectors.shift_assignments,
        out=s.ShiftAssignmentOut,
        create_in=s.ShiftAssignmentIn,
        patch_in=s.ShiftAssignmentPatch,
        create=services.shift_assignment_create,
        update=services.shift_assignment_update,
        delete=services.shift_assignment_delete,
        ordering=("valid_from",),
    ),
)
hide_operations(router)
