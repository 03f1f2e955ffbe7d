from datetime import time
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

from factoryos.facilities import services as f  # the fields each service takes
from factoryos.facilities.models import Calendar, Closure, Holiday, Shift, Site, WorkCenter
from factoryos.kernel.schemas import bodies, reply


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


SiteOut = reply(Site, f.SiteFields, extra={"data_region": str})
WorkCenterOut = reply(WorkCenter, f.WorkCenterFields)
CalendarOut = reply(Calendar, f.CalendarFields)
ShiftOut = reply(Shift, f.ShiftFields, override={"start": LocalTime, "end": LocalTime})
HolidayOut = reply(Holiday, f.HolidayFields)
ClosureOut = reply(Closure, f.ClosureFields)

SiteIn, SitePatch = bodies(Site, f.SiteFields, defaulted=("country", "time_zone"))  # the organization's
WorkCenterIn, WorkCenterPatch = bodies(WorkCenter, f.WorkCenterFields)
CalendarIn, CalendarPatch = bodies(Calendar, f.CalendarFields, fixed=("site",))
ShiftIn, ShiftPatch = bodies(Shift, f.ShiftFields, override={"start": LocalTime, "end": LocalTime}, fixed=("calendar",))
HolidayIn, _ = bodies(Holiday, f.HolidayFields)
ClosureIn, _ = bodies(Closure, f.ClosureFields)
