"""Employees, skills, skill levels and shift assignments. Administrators only: every operation answers 404 (not
403) to anyone without the permission, see access.py."""

from ninja import Router

from factoryos.kernel.resources import Resource, add_resource
from factoryos.people import schemas as s
from factoryos.people import selectors, services
from factoryos.people.access import hide_operations

PEOPLE = "people"
router = Router(tags=["people"])

add_resource(
    router,
    Resource(
        path="employees",
        reader=selectors.employees,
        module=PEOPLE,
        out=s.EmployeeOut,
        create_in=s.EmployeeIn,
        patch_in=s.EmployeePatch,
        create=services.employee_create,
        update=services.employee_update,
        delete=services.employee_delete,
        ordering=("employee_number", "last_name", "department", "employment_start"),
        sample_create=lambda o: {
            "employee_number": "E-900",
            "first_name": "Sam",
            "last_name": "Okafor",
            "job_title": "Press brake operator",
            "department": "Fabrication",
            "site": o["facilities.site"].pk,
            "employment_start": "2025-02-03",
            "labour_rate": "44.80",
            "emergency_contact_name": "Ada Okafor",
            "emergency_contact_phone": "+61 400 555 010",
            "home_address": "7 Wattle St, Fairfield NSW 2165",
        },
        sample_patch=lambda o: {"job_title": "Leading hand", "labour_rate": "52.00"},
    ),
)
add_resource(
    router,
    Resource(
        path="skills",
        reader=selectors.skills,
        module=PEOPLE,
        out=s.SkillOut,
        create_in=s.SkillIn,
        patch_in=s.SkillPatch,
        create=services.skill_create,
        update=services.skill_update,
        delete=services.skill_delete,
        ordering=("name",),
        sample_create=lambda o: {"name": "Crane licence", "description": "Overhead crane, high risk work licence"},
        sample_patch=lambda o: {"description": "Renewed yearly"},
    ),
)
add_resource(
    router,
    Resource(
        path="employee-skills",
        reader=selectors.employee_skills,
        module=PEOPLE,
        out=s.EmployeeSkillOut,
        create_in=s.EmployeeSkillIn,
        patch_in=s.EmployeeSkillPatch,
        create=services.employee_skill_create,
        update=services.employee_skill_update,
        delete=services.employee_skill_delete,
        ordering=("level",),
        sample_create=lambda o: {"employee": o["people.employee"].pk, "skill": o["people.skill"].pk, "level": 2},
        sample_patch=lambda o: {"level": 4},
    ),
)
add_resource(
    router,
    Resource(
        path="shift-assignments",
        reader=selectors.shift_assignments,
        module=PEOPLE,
        out=s.ShiftAssignmentOut,
        create_in=s.ShiftAssignmentIn,
        patch_in=s.ShiftAssignmentPatch,
        create=services.shift_assignment_create,
        update=services.shift_assignment_update,
        delete=services.shift_assignment_delete,
        ordering=("valid_from",),
        sample_create=lambda o: {
            "employee": o["people.employee"].pk,
            "shift": o["facilities.shift"].pk,
            "valid_from": "2026-07-06",
            "valid_to": "2026-12-18",
        },
        sample_patch=lambda o: {"valid_to": "2027-06-30"},
    ),
)
hide_operations(router)
