"""Reads of sites, work centers and calendars (each a Reader: see kernel/reads.py), and calendars as the planning
engine sees them."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from factoryos.facilities import filters
from factoryos.facilities.models import Calendar, Closure, Holiday, Shift, Site, WorkCenter
from factoryos.kernel.reads import Reader
from factoryos.planning.engine.calendar import Shift as EngineShift
from factoryos.planning.engine.calendar import WorkCalendar

sites = Reader(
    Site,
    queryset=lambda: (
        Site.objects.select_related("org")  # its data region is the organization's
        .annotate(wc_count=Count("work_centers"))
        .prefetch_related("calendars")
    ),
    filterset=filters.SiteFilterSet,
)
work_centers = Reader(
    WorkCenter,
    queryset=lambda: WorkCenter.objects.select_related("site", "calendar"),
    filterset=filters.WorkCenterFilterSet,
)
calendars = Reader(
    Calendar, queryset=lambda: Calendar.objects.select_related("site"), filterset=filters.CalendarFilterSet
)
shifts = Reader(
    Shift, queryset=lambda: Shift.objects.select_related("calendar__site"), filterset=filters.ShiftFilterSet
)
holidays = Reader(
    Holiday, queryset=lambda: Holiday.objects.select_related("calendar__site"), filterset=filters.HolidayFilterSet
)
closures = Reader(
    Closure, queryset=lambda: Closure.objects.select_related("calendar__site"), filterset=filters.ClosureFilterSet
)


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
