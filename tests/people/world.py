"""The People app's objects in a test world (see tests.factories.app_world_builders)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from factoryos.people import services


def build(owner, objects: dict) -> dict:
    """An employee at the world's site, qualified on its work center, TIG welding at level 3, on its day shift.

    ``people.skill`` is a second skill nobody has yet (so it can be deleted, or given to the employee, by the
    API sweeps); ``people.skill#tig`` is the one in use.
    """
    tig = services.skill_create(actor=owner, name="TIG welding", description="Stainless and aluminium")
    spare = services.skill_create(actor=owner, name="Forklift licence")
    employee = services.employee_create(
        actor=owner,
        employee_number="E-001",
        first_name="Alex",
        last_name="Nguyen",
        job_title="Welder",
        department="Fabrication",
        site=objects["facilities.site"],
        employment_start=date(2021, 3, 1),
        labour_rate=Decimal("48.50"),
        emergency_contact_name="Linh Nguyen",
        emergency_contact_phone="+61 411 222 333",
        home_address="12 Banksia Ave, Smithfield NSW 2164",
        work_centers=[objects["facilities.workcenter"].pk],
    )
    level = services.employee_skill_create(actor=owner, employee=employee, skill=tig, level=3)
    assignment = services.shift_assignment_create(
        actor=owner, employee=employee, shift=objects["facilities.shift"], valid_from=date(2026, 1, 5)
    )
    return {
        "people.employee": employee,
        "people.skill": spare,
        "people.skill#tig": tig,
        "people.employeeskill": level,
        "people.shiftassignment": assignment,
    }


def grow(owner, objects: dict, n: int) -> None:
    """``n`` more skills and ``n`` more employees, each with two skills, two work centers and a shift."""
    from factoryos.facilities.models import WorkCenter

    centers = list(WorkCenter.objects.values_list("pk", flat=True)[:2])
    for k in range(n):
        skill = services.skill_create(actor=owner, name=f"Skill {k}")
        employee = services.employee_create(
            actor=owner,
            employee_number=f"E-1{k:02}",
            first_name=f"Sam{k}",
            last_name="Rivera",
            job_title="Fitter",
            employment_start=date(2024, 5, 1),
            department="Assembly",
            site=objects["facilities.site"],
            home_address=f"{k} Wattle St, Fairfield NSW 2165",
            work_centers=centers,
        )
        services.employee_skill_create(actor=owner, employee=employee, skill=skill, level=2)
        services.employee_skill_create(actor=owner, employee=employee, skill=objects["people.skill#tig"], level=1)
        services.shift_assignment_create(
            actor=owner, employee=employee, shift=objects["facilities.shift"], valid_from=date(2026, 2, 1)
        )
