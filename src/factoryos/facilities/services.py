"""Writes to sites, work centers and calendars."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone

from factoryos.core.models import Membership
from factoryos.facilities.errors import FacilitiesError
from factoryos.facilities.models import Calendar, Closure, Holiday, Shift, Site, WorkCenter
from factoryos.kernel import crud
from factoryos.kernel.errors import DomainError


class SiteFields(TypedDict, total=False):
    code: str
    name: str
    address_line1: str
    city: str
    state: str
    postcode: str
    country: str
    time_zone: str
    active: bool


class WorkCenterFields(TypedDict, total=False):
    site: Site | int
    code: str
    name: str
    kind: str
    machines: int
    machine_rate: Decimal
    labour_rate: Decimal
    efficiency_pct: Decimal
    calendar: Calendar | int | None
    active: bool


class CalendarFields(TypedDict, total=False):
    site: Site | int
    name: str


class ShiftFields(TypedDict, total=False):
    calendar: Calendar | int
    weekday: int
    name: str
    start: time
    end: time


class HolidayFields(TypedDict, total=False):
    calendar: Calendar | int
    date: date
    name: str


class ClosureFields(TypedDict, total=False):
    calendar: Calendar | int
    starts_at: datetime
    ends_at: datetime
    reason: str


def _refs(fields: Any) -> dict[str, Any]:
    return crud.refs(fields, {"site": Site, "calendar": Calendar})


# -- sites --------------------------------------------------------------------------------------------------------
def site_create(*, actor: Membership, **fields: Unpack[SiteFields]) -> Site:
    """A site; its time zone and country default to the organization's."""
    values = {"time_zone": actor.org.time_zone, "country": actor.org.country, **fields}
    return crud.create(Site, actor=actor, values=values, allowed=SiteFields)


def site_update(*, actor: Membership, obj: Site, **changes: Unpack[SiteFields]) -> Site:
    return crud.update(obj, actor=actor, changes=changes, allowed=SiteFields)


def site_delete(*, actor: Membership, obj: Site) -> None:
    crud.delete(obj, actor=actor)


# -- work centers -------------------------------------------------------------------------------------------------
def _check_calendar_site(calendar: Calendar | None, site: Site | None) -> None:
    if calendar is not None and site is not None and calendar.site_id != site.pk:
        raise DomainError(
            "Choose a calendar of the work center's own site.",
            code=FacilitiesError.CALENDAR_OF_OTHER_SITE,
            field="calendar",
        )


@transaction.atomic
def work_center_create(*, actor: Membership, **fields: Unpack[WorkCenterFields]) -> WorkCenter:
    values = _refs(fields)
    _check_calendar_site(values.get("calendar"), values.get("site"))
    return crud.create(WorkCenter, actor=actor, values=values, allowed=WorkCenterFields)


@transaction.atomic
def work_center_update(*, actor: Membership, obj: WorkCenter, **changes: Unpack[WorkCenterFields]) -> WorkCenter:
    values = _refs(changes)
    _check_calendar_site(values.get("calendar", obj.calendar), values.get("site", obj.site))
    return crud.update(obj, actor=actor, changes=values, allowed=WorkCenterFields)


def work_center_delete(*, actor: Membership, obj: WorkCenter) -> None:
    crud.delete(obj, actor=actor)


# -- calendars and what they hold ---------------------------------------------------------------------------------
def calendar_create(*, actor: Membership, **fields: Unpack[CalendarFields]) -> Calendar:
    return crud.create(Calendar, actor=actor, values=_refs(fields), allowed=CalendarFields)


def calendar_update(*, actor: Membership, obj: Calendar, **changes: Unpack[CalendarFields]) -> Calendar:
    return crud.update(obj, actor=actor, changes=changes, allowed=("name",))


def calendar_delete(*, actor: Membership, obj: Calendar) -> None:
    crud.delete(obj, actor=actor)


def shift_create(*, actor: Membership, **fields: Unpack[ShiftFields]) -> Shift:
    return crud.create(Shift, actor=actor, values=_refs(fields), allowed=ShiftFields)


def shift_update(*, actor: Membership, obj: Shift, **changes: Unpack[ShiftFields]) -> Shift:
    return crud.update(obj, actor=actor, changes=changes, allowed=("weekday", "name", "start", "end"))


def holiday_create(*, actor: Membership, **fields: Unpack[HolidayFields]) -> Holiday:
    return crud.create(Holiday, actor=actor, values=_refs(fields), allowed=HolidayFields)


def closure_create(*, actor: Membership, **fields: Unpack[ClosureFields]) -> Closure:
    """A naive start/end is the site's local wall-clock time (how people say "Friday 13:00 to 17:00")."""
    values = _refs(fields)
    calendar = values.get("calendar")
    if calendar is not None:
        zone = zoneinfo.ZoneInfo(calendar.site.time_zone)
        for name in ("starts_at", "ends_at"):
            value = values.get(name)
            if isinstance(value, datetime) and timezone.is_naive(value):
                values[name] = timezone.make_aware(value, zone)
    return crud.create(Closure, actor=actor, values=values, allowed=ClosureFields)


def calendar_child_delete(*, actor: Membership, obj: Shift | Holiday | Closure) -> None:
    crud.delete(obj, actor=actor)
