"""Writes to employees, skills, skill levels and shift assignments: each through core.crud (validated, audited in
the same transaction); the skill and work-center sets of an employee are replaced with one audit event."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction

from factoryos.core.models import Membership
from factoryos.facilities.models import Shift, Site, WorkCenter
from factoryos.kernel import crud, events
from factoryos.kernel.errors import CommonError, DomainError
from factoryos.kernel.events import Action
from factoryos.kernel.fields import MASK
from factoryos.people.errors import PeopleError
from factoryos.people.models import Employee, EmployeeSkill, ShiftAssignment, Skill


class EmployeeFields(TypedDict, total=False):
    user: Any
    employee_number: str
    first_name: str
    last_name: str
    job_title: str
    department: str
    site: Site | int | None
    employment_start: date
    labour_rate: Decimal
    active: bool
    emergency_contact_name: str
    emergency_contact_phone: str
    home_address: str


class SkillFields(TypedDict, total=False):
    name: str
    description: str


class EmployeeSkillFields(TypedDict, total=False):
    employee: Employee | int
    skill: Skill | int
    level: int


class ShiftAssignmentFields(TypedDict, total=False):
    employee: Employee | int
    shift: Shift | int
    valid_from: date
    valid_to: date | None


MAX_ID = 2**63 - 1  # a larger id cannot be in the database, and the database driver would refuse to compare it
_REFS = {"site": Site, "shift": Shift, "employee": Employee, "skill": Skill}


def _refs(fields: Any) -> dict[str, Any]:
    """Ids of related rows -> the current organization's objects (unknown or foreign ids are field errors)."""
    resolved = crud.refs(fields, _REFS)
    if resolved.get("user") is not None:
        resolved["user"] = _member_user(resolved["user"])
    return resolved


def _member_user(user: Any):
    """A user account may be linked only if it belongs to an active member of this organization: any other id
    (someone else's user, or none at all) is the same field error, so nothing is learnt about other accounts."""
    user_id = getattr(user, "pk", user)
    membership = None
    if isinstance(user_id, int) and 0 < user_id <= MAX_ID:
        membership = Membership.objects.filter(user_id=user_id, is_active=True).select_related("user").first()
    if membership is None:
        raise DomainError(f"No member with user id {user_id}.", code=PeopleError.NOT_A_MEMBER, field="user")
    return membership.user


# -- employees ----------------------------------------------------------------------------------------------------
@transaction.atomic
def employee_create(
    *,
    actor: Membership,
    work_centers: Iterable[int] | None = None,
    skills: Iterable[dict[str, int]] | None = None,
    **fields: Unpack[EmployeeFields],
) -> Employee:
    employee = crud.create(Employee, actor=actor, values=_refs(fields), allowed=EmployeeFields)
    if work_centers:
        employee_set_work_centers(actor=actor, employee=employee, work_centers=work_centers)
    if skills:
        employee_set_skills(actor=actor, employee=employee, skills=skills)
    return employee


@transaction.atomic
def employee_update(
    *,
    actor: Membership,
    obj: Employee,
    work_centers: Iterable[int] | None = None,
    skills: Iterable[dict[str, int]] | None = None,
    **changes: Unpack[EmployeeFields],
) -> Employee:
    employee = crud.update(obj, actor=actor, changes=_refs(changes), allowed=EmployeeFields)
    if work_centers is not None:
        employee_set_work_centers(actor=actor, employee=employee, work_centers=work_centers)
    if skills is not None:
        employee_set_skills(actor=actor, employee=employee, skills=skills)
    return employee


def employee_delete(*, actor: Membership, obj: Employee) -> None:
    """Its skill levels and shift assignments go with it (the DELETE event records the employee)."""
    crud.delete(obj, actor=actor)


def _ids(values: Iterable[Any], field: str) -> list[int]:
    ids = []
    for value in values:
        pk = getattr(value, "pk", value)
        try:
            ids.append(int(pk))
        except (TypeError, ValueError):
            raise DomainError(f"{pk!r} is not an id.", code=CommonError.INVALID, field=field) from None
    return ids


@transaction.atomic
def employee_set_work_centers(*, actor: Membership, employee: Employee, work_centers: Iterable[Any]) -> Employee:
    """Replace the work centers the employee is qualified on; one UPDATE event with the codes before and after."""
    ids = set(_ids(work_centers, "work_centers"))
    found = list(WorkCenter.objects.filter(pk__in=[pk for pk in ids if 0 < pk <= MAX_ID]))
    missing = sorted(ids - {wc.pk for wc in found})
    if missing:
        raise DomainError(
            f"No work center with id {', '.join(map(str, missing))}.",
            code=CommonError.UNKNOWN_REFERENCE,
            field="work_centers",
        )
    employee = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
    before = sorted(employee.work_centers.values_list("code", flat=True))
    after = sorted(wc.code for wc in found)
    if before != after:
        employee.work_centers.set(found)
        # Employee records are private (audit_private): say what changed, not to what.
        events.record(
            action=Action.UPDATE,
            actor=actor,
            obj=employee,
            changes={"work_centers": [MASK, MASK]},
            metadata={"count": [len(before), len(after)]},
        )
    return employee


@transaction.atomic
def employee_set_skills(*, actor: Membership, employee: Employee, skills: Iterable[dict[str, Any]]) -> Employee:
    """Replace the employee's skills with ``[{"skill": id, "level": 1..5}, ...]``; one UPDATE event with
    {skill name: level} before and after."""
    wanted: dict[int, int] = {}
    for entry in skills:
        skill_id = _ids([entry.get("skill")], "skills")[0]
        level = entry.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            raise DomainError(
                "A skill level must be a whole number from 1 to 5.", code=CommonError.OUT_OF_RANGE, field="skills"
            )
        if skill_id in wanted:
            raise DomainError(f"Skill {skill_id} is listed twice.", code=PeopleError.SKILL_LISTED_TWICE, field="skills")
        wanted[skill_id] = level
    found = {s.pk: s for s in Skill.objects.filter(pk__in=[pk for pk in wanted if 0 < pk <= MAX_ID])}
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise DomainError(
            f"No skill with id {', '.join(map(str, missing))}.", code=CommonError.UNKNOWN_REFERENCE, field="skills"
        )
    employee = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
    current = {row.skill_id: row for row in EmployeeSkill.objects.filter(employee=employee).select_related("skill")}
    before = {row.skill.name: row.level for row in current.values()}
    for skill_id, row in current.items():
        if skill_id not in wanted:
            row.delete()
        elif row.level != wanted[skill_id]:
            row.level = wanted[skill_id]
            row.save(update_fields=["level"])
    for skill_id, level in wanted.items():
        if skill_id not in current:
            EmployeeSkill.objects.create(employee=employee, skill=found[skill_id], level=level)
    after = {found[skill_id].name: level for skill_id, level in wanted.items()}
    if before != after:
        events.record(
            action=Action.UPDATE,
            actor=actor,
            obj=employee,
            changes={"skills": [MASK, MASK]},
            metadata={"count": [len(before), len(after)]},
        )
    return employee


# -- skills -------------------------------------------------------------------------------------------------------
def skill_create(*, actor: Membership, **fields: Unpack[SkillFields]) -> Skill:
    return crud.create(Skill, actor=actor, values=fields, allowed=SkillFields)


def skill_update(*, actor: Membership, obj: Skill, **changes: Unpack[SkillFields]) -> Skill:
    return crud.update(obj, actor=actor, changes=changes, allowed=SkillFields)


def skill_delete(*, actor: Membership, obj: Skill) -> None:
    crud.delete(obj, actor=actor)


def employee_skill_create(*, actor: Membership, **fields: Unpack[EmployeeSkillFields]) -> EmployeeSkill:
    return crud.create(EmployeeSkill, actor=actor, values=_refs(fields), allowed=EmployeeSkillFields)


def employee_skill_update(
    *, actor: Membership, obj: EmployeeSkill, **changes: Unpack[EmployeeSkillFields]
) -> EmployeeSkill:
    return crud.update(obj, actor=actor, changes=changes, allowed=("level",))


def employee_skill_delete(*, actor: Membership, obj: EmployeeSkill) -> None:
    crud.delete(obj, actor=actor)


# -- shift assignments --------------------------------------------------------------------------------------------
def shift_assignment_create(*, actor: Membership, **fields: Unpack[ShiftAssignmentFields]) -> ShiftAssignment:
    return crud.create(ShiftAssignment, actor=actor, values=_refs(fields), allowed=ShiftAssignmentFields)


def shift_assignment_update(
    *, actor: Membership, obj: ShiftAssignment, **changes: Unpack[ShiftAssignmentFields]
) -> ShiftAssignment:
    return crud.update(obj, actor=actor, changes=_refs(changes), allowed=("shift", "valid_from", "valid_to"))


def shift_assignment_delete(*, actor: Membership, obj: ShiftAssignment) -> None:
    crud.delete(obj, actor=actor)
