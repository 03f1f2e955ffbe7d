from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from factoryos.kernel.limits import of
from factoryos.kernel.schemas import bodies
from factoryos.people.models import Employee, EmployeeSkill, ShiftAssignment, Skill


class SkillLevel(Schema):
    skill: int  # any id: one that names no skill of this organization is the service's field error
    level: Annotated[int, Field(**of(EmployeeSkill, "level").pydantic(), description="1 = in training ... 5 = teaches")]


class EmployeeSkillItem(Schema):
    skill_id: int
    skill: str
    level: int


class EmployeeOut(Schema):
    id: int
    user_id: int | None
    employee_number: str
    first_name: str
    last_name: str
    job_title: str
    department: str
    site_id: int | None
    employment_start: date
    labour_rate: Decimal
    active: bool
    emergency_contact_name: str
    emergency_contact_phone: str
    home_address: str
    work_centers: list[int]
    skills: list[EmployeeSkillItem]

    @staticmethod
    def resolve_work_centers(obj) -> list[int]:
        return sorted(wc.pk for wc in obj.work_centers.all())

    @staticmethod
    def resolve_skills(obj) -> list[dict]:
        return [
            {"skill_id": row.skill_id, "skill": row.skill.name, "level": row.level} for row in obj.skill_levels.all()
        ]


class SkillOut(Schema):
    id: int
    name: str
    description: str


class EmployeeSkillOut(Schema):
    id: int
    employee_id: int
    skill_id: int
    level: int


class ShiftAssignmentOut(Schema):
    id: int
    employee_id: int
    shift_id: int
    valid_from: date
    valid_to: date | None


EmployeeIn, EmployeePatch = bodies(
    Employee,
    (
        "user",
        "employee_number",
        "first_name",
        "last_name",
        "job_title",
        "department",
        "site",
        "employment_start",
        "labour_rate",
        "active",
        "emergency_contact_name",
        "emergency_contact_phone",
        "home_address",
    ),
    extra={
        "work_centers": (
            Annotated[list[int], Field(max_length=200)],
            Field(default_factory=list, description="Qualified work centers (the set is replaced)"),
        ),
        "skills": (
            Annotated[list[SkillLevel], Field(max_length=200)],
            Field(default_factory=list, description="Skills with their levels (the set is replaced)"),
        ),
    },
)
SkillIn, SkillPatch = bodies(Skill, ("name", "description"))
EmployeeSkillIn, EmployeeSkillPatch = bodies(EmployeeSkill, ("employee", "skill", "level"), patch=("level",))
ShiftAssignmentIn, ShiftAssignmentPatch = bodies(
    ShiftAssignment, ("employee", "shift", "valid_from", "valid_to"), patch=("shift", "valid_from", "valid_to")
)
