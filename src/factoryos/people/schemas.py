from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

# An id filter: larger values cannot exist, and the database driver would refuse to compare them (a 500).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Level = Annotated[int, Field(ge=1, le=5)]


class SkillLevel(Schema):
    skill: int
    level: int = Field(ge=1, le=5, description="1 = in training ... 5 = can teach it")


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


class EmployeeIn(Schema):
    user: int | None = Field(None, description="The user id of a member of this organization")
    employee_number: str = Field(min_length=1, max_length=20)
    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(min_length=1, max_length=80)
    job_title: str = Field("", max_length=120)
    department: str = Field("", max_length=80)
    site: int | None = None
    employment_start: date
    labour_rate: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    active: bool = True
    emergency_contact_name: str = Field("", max_length=120, description="Stored encrypted")
    emergency_contact_phone: str = Field("", max_length=40, description="Stored encrypted")
    home_address: str = Field("", max_length=500, description="Stored encrypted")
    work_centers: list[int] = Field(default_factory=list, max_length=200, description="Qualified work centers")
    skills: list[SkillLevel] = Field(default_factory=list, max_length=200)


class EmployeePatch(Schema):
    user: int | None = None
    employee_number: str | None = Field(None, min_length=1, max_length=20)
    first_name: str | None = Field(None, min_length=1, max_length=80)
    last_name: str | None = Field(None, min_length=1, max_length=80)
    job_title: str | None = Field(None, max_length=120)
    department: str | None = Field(None, max_length=80)
    site: int | None = None
    employment_start: date | None = None
    labour_rate: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    active: bool | None = None
    emergency_contact_name: str | None = Field(None, max_length=120)
    emergency_contact_phone: str | None = Field(None, max_length=40)
    home_address: str | None = Field(None, max_length=500)
    work_centers: list[int] | None = Field(None, max_length=200, description="Replaces the set")
    skills: list[SkillLevel] | None = Field(None, max_length=200, description="Replaces the set")


class SkillOut(Schema):
    id: int
    name: str
    description: str


class SkillIn(Schema):
    name: str = Field(min_length=1, max_length=80)
    description: str = Field("", max_length=300)


class SkillPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=80)
    description: str | None = Field(None, max_length=300)


class EmployeeSkillOut(Schema):
    id: int
    employee_id: int
    skill_id: int
    level: int


class EmployeeSkillIn(Schema):
    employee: int
    skill: int
    level: int = Field(ge=1, le=5)


class EmployeeSkillPatch(Schema):
    level: int | None = Field(None, ge=1, le=5)


class ShiftAssignmentOut(Schema):
    id: int
    employee_id: int
    shift_id: int
    valid_from: date
    valid_to: date | None


class ShiftAssignmentIn(Schema):
    employee: int
    shift: int
    valid_from: date
    valid_to: date | None = Field(None, description="Inclusive; empty means open-ended")


class ShiftAssignmentPatch(Schema):
    shift: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
