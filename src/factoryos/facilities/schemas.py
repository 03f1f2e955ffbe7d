from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field, WithJsonSchema

from factoryos.facilities.models import WorkCenterKind


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


class SiteIn(Schema):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=120)
    address_line1: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    state: str = Field("", max_length=100)
    postcode: str = Field("", max_length=20)
    country: str = Field(None, min_length=2, max_length=2)
    time_zone: str = Field(None, max_length=64)
    active: bool = True


class SitePatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=20)
    name: str | None = Field(None, min_length=1, max_length=120)
    address_line1: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=100)
    state: str | None = Field(None, max_length=100)
    postcode: str | None = Field(None, max_length=20)
    country: str | None = Field(None, min_length=2, max_length=2)
    time_zone: str | None = Field(None, max_length=64)
    active: bool | None = None


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


class WorkCenterIn(Schema):
    site: int
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=120)
    kind: WorkCenterKind
    machines: int = Field(1, ge=1, le=1000)
    machine_rate: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    labour_rate: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    efficiency_pct: Decimal = Field(Decimal("100"), ge=1, le=200, max_digits=5, decimal_places=1)
    calendar: int | None = None
    active: bool = True


class WorkCenterPatch(Schema):
    site: int | None = None
    code: str | None = Field(None, min_length=1, max_length=20)
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: WorkCenterKind | None = None
    machines: int | None = Field(None, ge=1, le=1000)
    machine_rate: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    labour_rate: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    efficiency_pct: Decimal | None = Field(None, ge=1, le=200, max_digits=5, decimal_places=1)
    calendar: int | None = None
    active: bool | None = None


class CalendarOut(Schema):
    id: int
    site_id: int
    name: str


class CalendarIn(Schema):
    site: int
    name: str = Field(min_length=1, max_length=80)


class CalendarPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=80)


class ShiftOut(Schema):
    id: int
    calendar_id: int
    weekday: int
    name: str
    start: LocalTime
    end: LocalTime


class ShiftIn(Schema):
    calendar: int
    weekday: int = Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")
    name: str = Field("Day", min_length=1, max_length=40)
    start: LocalTime
    end: LocalTime = Field(description="At or before start: the shift runs past midnight")


class ShiftPatch(Schema):
    weekday: int | None = Field(None, ge=0, le=6)
    name: str | None = Field(None, min_length=1, max_length=40)
    start: LocalTime | None = None
    end: LocalTime | None = None


class HolidayOut(Schema):
    id: int
    calendar_id: int
    date: date
    name: str


class HolidayIn(Schema):
    calendar: int
    date: date
    name: str = Field(min_length=1, max_length=80)


class ClosureOut(Schema):
    id: int
    calendar_id: int
    starts_at: datetime
    ends_at: datetime
    reason: str


class ClosureIn(Schema):
    calendar: int
    starts_at: datetime = Field(description="Without an offset: the site's local time")
    ends_at: datetime
    reason: str = Field(min_length=1, max_length=120)
