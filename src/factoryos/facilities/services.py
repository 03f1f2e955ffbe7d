"""Writes to sites, work centers and calendars."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from factoryos.core.models import Membership
from factoryos.facilities.models import Calendar, Closure, Holiday, Shift, Site, WorkCenter
from factoryos.kernel import crud

SITE_FIELDS = ("code", "name", "address_line1", "city", "state", "postcode", "country", "time_zone", "active")
WORK_CENTER_FIELDS = (
    "site",
    "code",
    "name",
    "kind",
    "machines",
    "machine_rate",
    "labour_rate",
    "efficiency_pct",
    "calendar",
    "active",
)


def _refs(fields: dict[str, Any]) -> dict[str, Any]:
    return crud.refs(fields, {"site": Site, "calendar": Calendar})


def site_create(*, actor: Membership, **fields: Any) -> Site:
    fields.setdefault("time_zone", actor.org.time_zone)
    fields.setdefault("country", actor.org.country)
    return crud.create(Site, **fields)


def site_update(*, actor: Membership, obj: Site, **fields: Any) -> Site:
    return crud.update(obj, allowed=SITE_FIELDS, **fields)


def site_delete(*, actor: Membership, obj: Site) -> None:
    crud.delete(obj)


@transaction.atomic
def work_center_create(*, actor: Membership, **fields: Any) -> WorkCenter:
    fields = _refs(fields)
    _check_calendar_site(fields.get("calendar"), fields.get("site"))
    return crud.create(WorkCenter, **fields)


@transaction.atomic
def work_center_update(*, actor: Membership, obj: WorkCenter, **fields: Any) -> WorkCenter:
    fields = _refs(fields)
    _check_calendar_site(fields.get("calendar", obj.calendar), fields.get("site", obj.site))
    return crud.update(obj, allowed=WORK_CENTER_FIELDS, **fields)


def work_center_delete(*, actor: Membership, obj: WorkCenter) -> None:
    crud.delete(obj)


def _check_calendar_site(calendar: Calendar | None, site: Site | None) -> None:
    from django.core.exceptions import ValidationError

    if calendar is not None and site is not None and calendar.site_id != site.pk:
        raise ValidationError({"calendar": "Choose a calendar of the work center's own site."})


def calendar_create(*, actor: Membership, **fields: Any) -> Calendar:
    return crud.create(Calendar, **_refs(fields))


def calendar_update(*, actor: Membership, obj: Calendar, **fields: Any) -> Calendar:
    return crud.update(obj, allowed=("name",), **fields)


def calendar_delete(*, actor: Membership, obj: Calendar) -> None:
    crud.delete(obj)


def _calendar_child_create(model, fields: dict[str, Any]):
    fields = dict(fields)
    fields["calendar"] = crud.ref(Calendar, fields.get("calendar"), "calendar")
    return crud.create(model, **fields)


def shift_create(*, actor: Membership, **fields: Any) -> Shift:
    return _calendar_child_create(Shift, fields)


def shift_update(*, actor: Membership, obj: Shift, **fields: Any) -> Shift:
    return crud.update(obj, allowed=("weekday", "name", "start", "end"), **fields)


def holiday_create(*, actor: Membership, **fields: Any) -> Holiday:
    return _calendar_child_create(Holiday, fields)


def closure_create(*, actor: Membership, **fields: Any) -> Closure:
    """A naive start/end is the site's local wall-clock time (how people say "Friday 13:00 to 17:00")."""
    calendar = crud.ref(Calendar, fields.get("calendar"), "calendar")
    zone = zoneinfo.ZoneInfo(calendar.site.time_zone)
    for name in ("starts_at", "ends_at"):
        value = fields.get(name)
        if isinstance(value, datetime) and timezone.is_naive(value):
            fields[name] = timezone.make_aware(value, zone)
    return _calendar_child_create(Closure, {**fields, "calendar": calendar})


def calendar_child_delete(*, actor: Membership, obj: Shift | Holiday | Closure) -> None:
    crud.delete(obj)
