"""Calendars as the planning engine sees them."""

from __future__ import annotations

from collections import defaultdict

from factoryos.facilities.models import Calendar, WorkCenter
from factoryos.planning.engine.calendar import Shift as EngineShift
from factoryos.planning.engine.calendar import WorkCalendar


def calendar_of(work_center: WorkCenter) -> Calendar | None:
    """The work center's own calendar, else its site's first calendar."""
    if work_center.calendar_id:
        return work_center.calendar
    return work_center.site.calendars.order_by("name", "pk").first()


def work_calendar(calendar: Calendar) -> WorkCalendar:
    """The engine's calendar: weekly shifts in the site's time zone, holidays, closures (exact instants)."""
    weekly: dict[int, list[EngineShift]] = defaultdict(list)
    for weekday, start, end in calendar.shifts.values_list("weekday", "start", "end"):
        weekly[weekday].append(EngineShift(start, end))
    return WorkCalendar(
        tz=calendar.site.time_zone,
        weekly=dict(weekly),
        holidays=list(calendar.holidays.values_list("date", flat=True)),
        closures=list(calendar.closures.values_list("starts_at", "ends_at")),
    )
