from typing import Annotated

from ninja import Schema
from pydantic import Field

from factoryos.kernel.limits import of
from factoryos.kernel.schemas import bodies, reply
from factoryos.people import services as f  # the fields each service takes
from factoryos.people.models import Employee, EmployeeSkill, ShiftAssignment, Skill


class SkillLevel(Schema):
    skill: int  # any id: one that names no skill of this organization is the service's field error
    level: Annotated[int, Field(**of(EmployeeSkill, "level").pydantic(), description="1 = in training ... 5 = teaches")]


class EmployeeSkillItem(Schema):
    skill_id: int
    skill: str
    level: int


class EmployeeOut(reply(Employee, f.EmployeeFields, name="EmployeeFields")):  # type: ignore[misc]
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


SkillOut = reply(Skill, f.SkillFields)
EmployeeSkillOut = reply(EmployeeSkill, f.EmployeeSkillFields)
ShiftAssignmentOut = reply(ShiftAssignment, f.ShiftAssignmentFields)


EmployeeIn, EmployeePatch = bodies(
    Employee,
    f.EmployeeFields,
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
SkillIn, SkillPatch = bodies(Skill, f.SkillFields)
EmployeeSkillIn, EmployeeSkillPatch = bodies(EmployeeSkill, f.EmployeeSkillFields, fixed=("employee", "skill"))
ShiftAssignmentIn, ShiftAssignmentPatch = bodies(ShiftAssignment, f.ShiftAssignmentFields, fixed=("employee",))
