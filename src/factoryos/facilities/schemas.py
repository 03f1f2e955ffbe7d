from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, WithJsonSchema

from factoryos.facilities.models import Calendar, Closure, Holiday, Shift, Site, WorkCenter, WorkCenterKind
from factoryos.kernel.schemas import bodies


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a shift time is the site's local wall-clock time: give it without an offset")
    return value


# A shift's start and end are local wall-clock times (the site's time zone applies), so no offset: JSON Schema's
# "time" format would demand one.
LocalTime = Annotated[
    time,
    AfterValidator(_wall_clock),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?$",
            "description": "Local wall-clock time, HH:MM or HH:MM:SS",
        }
    ),
]


class SiteOut(Schema):
    id: int
    code: str
    name: str
    address_line1: str
    city: str
    state: str
    postcode: str
    country: str
    time_zone: str
    data_region: str
    active: bool


class WorkCenterOut(Schema):
    id: int
    site_id: int
    code: str
    name: str
    kind: WorkCenterKind
    machines: int
    machine_rate: Decimal
    labour_rate: Decimal
    efficiency_pct: Decimal
    calendar_id: int | None
    active: bool


class CalendarOut(Schema):
    id: int
    site_id: int
    name: str


class ShiftOut(Schema):
    id: int
    calendar_id: int
    weekday: int
    name: str
    start: LocalTime
    end: LocalTime


class HolidayOut(Schema):
    id: int
    calendar_id: int
    date: date
    name: str


class ClosureOut(Schema):
    id: int
    calendar_id: int
    starts_at: datetime
    ends_at: datetime
    reason: str


SiteIn, SitePatch = bodies(
    Site,
    ("code", "name", "address_line1", "city", "state", "postcode", "country", "time_zone", "active"),
    defaulted=("country", "time_zone"),  # the organization's
)
WorkCenterIn, WorkCenterPatch = bodies(
    WorkCenter,
    ("site", "code", "name", "kind", "machines", "machine_rate", "labour_rate", "efficiency_pct", "calendar", "active"),
)
CalendarIn, CalendarPatch = bodies(Calendar, ("site", "name"), patch=("name",))
ShiftIn, ShiftPatch = bodies(
    Shift,
    ("calendar", "weekday", "name", "start", "end"),
    override={"start": LocalTime, "end": LocalTime},
    patch=("weekday", "name", "start", "end"),
)
HolidayIn, _ = bodies(Holiday, ("calendar", "date", "name"))
ClosureIn, _ = bodies(Closure, ("calendar", "starts_at", "ends_at", "reason"))
