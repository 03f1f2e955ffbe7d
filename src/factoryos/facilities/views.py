"""Control pages for sites, work centers and calendars, declared on the shared page layer (web/pages.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.facilities import selectors, services
from factoryos.facilities.forms import CalendarForm, ClosureForm, HolidayForm, ShiftForm, SiteForm, WorkCenterForm
from factoryos.facilities.models import WEEKDAYS, Calendar, Shift, WorkCenter
from factoryos.web.pages import ActionPage, DetailPage, FormPage, ListPage, Page, error_status, render, route, submit
from factoryos.web.tables import Column


# -- sites ----------------------------------------------------------------------------------------------------------
@route("sites/", "site_list", menu=("Control", "Sites", "factory"))
class SiteList(ListPage):
    reader = selectors.sites
    columns = [
        Column("code", "Code", ("code",)),
        Column("name", "Name", ("name", "code")),
        Column("city", "Location", ("city", "code")),
        Column("tz", "Time zone", ("time_zone", "code")),
        Column("calendars", "Calendars"),
        Column("wcs", "Work centers", ("wc_count", "code"), "num"),
        Column("active", "Status", ("-active", "code")),
    ]
    default_sort = "code"


@route("sites/new/", "site_create")
class SiteCreate(FormPage):
    form_class = SiteForm
    service = services.site_create
    success_url = "facilities:site_edit"
    success_message = "Site {result.code} created. Give it a calendar of shifts next."

    def get_initial(self) -> dict[str, Any]:
        return {"country": self.actor.org.country, "time_zone": self.actor.org.time_zone}


@route("sites/<int:pk>/", "site_edit")
class SiteEdit(FormPage):
    reader = selectors.sites
    form_class = SiteForm
    service = services.site_update
    success_url = "facilities:site_list"
    success_message = "Site {result.code} saved."

    def get_context(self, form: Any) -> dict[str, Any]:
        site = self.object
        return {
            "calendars": site.calendars.annotate(shift_count=Count("shifts")),
            "calendar_form": CalendarForm(),
            "work_centers": site.work_centers.all(),
        }


@route("sites/<int:pk>/calendars/new/", "calendar_create")
class CalendarCreate(SiteEdit):
    """A new calendar from the site's page; a refusal shows the site's page again with the form's errors."""

    http_method_names = ["post"]
    form_class = CalendarForm
    form_name = "calendar_form"
    success_url = "facilities:calendar_detail"
    success_message = "Calendar {result.name} created: add its shifts."

    def call(self, form: Any) -> Any:
        return services.calendar_create(actor=self.actor, site=self.object, **form.cleaned_data)

    def get_context(self, form: Any) -> dict[str, Any]:
        site_form = SiteForm(initial={name: getattr(self.object, name) for name in SiteForm.base_fields})
        return {**super().get_context(form), "form": site_form, "calendar_form": form}


# -- work centers ---------------------------------------------------------------------------------------------------
@route("work-centers/", "work_center_list", menu=("Control", "Work centers", "gauge"))
class WorkCenterList(ListPage):
    noun = "work_center"
    reader = selectors.work_centers
    columns = [
        Column("code", "Code", ("code",)),
        Column("name", "Name", ("name", "code")),
        Column("kind", "Kind", ("kind", "code")),
        Column("site", "Site", ("site__code", "code")),
        Column("machines", "Machines", ("machines", "code"), "num"),
        Column("machine_rate", "Machine /h", ("machine_rate", "code"), "num"),
        Column("labour_rate", "Labour /h", ("labour_rate", "code"), "num"),
        Column("efficiency", "Eff. %", ("efficiency_pct", "code"), "num"),
        Column("calendar", "Calendar"),
        Column("active", "Status", ("-active", "code")),
    ]
    default_sort = "code"


@route("work-centers/new/", "work_center_create")
class WorkCenterCreate(FormPage):
    noun, form_class, service = "work_center", WorkCenterForm, services.work_center_create
    success_url = "facilities:work_center_list"
    success_message, prefill = "Work center {result.code} created.", ("site",)


@route("work-centers/<int:pk>/", "work_center_edit")
class WorkCenterEdit(FormPage):
    noun, reader, form_class = "work_center", selectors.work_centers, WorkCenterForm
    service = services.work_center_update
    success_url = "facilities:work_center_list"
    success_message = "Work center {result.code} saved."

    def get_context(self, form: Any) -> dict[str, Any]:
        return {"operation_count": self.object.operations.count()}


# -- calendars ------------------------------------------------------------------------------------------------------
GRID_TOP = 26  # px above midnight in the week grid (day names)
GRID_LEFT = 44  # px left of Monday (hour labels)
DAY_WIDTH = 100
HOUR_HEIGHT = 12


def _minutes(t) -> int:
    return t.hour * 60 + t.minute


def _n(value: float) -> str:
    """An SVG coordinate: short, and never localized (a comma would break the picture)."""
    return f"{value:.1f}".removesuffix(".0")


def shift_hours(shift: Shift) -> float:
    """Length in hours; an end at or before the start runs past midnight (equal means 24 hours)."""
    return ((_minutes(shift.end) - _minutes(shift.start)) % 1440 or 1440) / 60


def _hour_range(shifts) -> tuple[int, int]:
    """Even hours [first, last] the week grid shows."""
    if not shifts or any(_minutes(s.end) <= _minutes(s.start) for s in shifts):
        return 0, 24
    first = min(_minutes(s.start) for s in shifts) // 60 - 2
    last = -(-max(_minutes(s.end) for s in shifts) // 60) + 2
    first, last = max(0, first - first % 2), min(24, last + last % 2)
    while last - first < 12:
        first, last = max(0, first - 2), min(24, last + 2)
    return first, last


def week_grid(shifts) -> dict:
    """The week as an SVG picture: one column per weekday, one block per shift (a night shift continues next day).

    Geometry goes in SVG attributes, not style attributes (the CSP forbids inline styles). The picture shows the
    hours the shifts use with two hours either side (at least twelve hours), or the whole day once a shift runs
    past midnight.
    """
    blocks = []
    hours = [0.0] * 7
    first_hour, last_hour = _hour_range(shifts)

    def y(minutes: int) -> float:
        return GRID_TOP + (minutes - first_hour * 60) * HOUR_HEIGHT / 60

    for shift in shifts:
        start, end = _minutes(shift.start), _minutes(shift.end)
        pieces = [(shift.weekday, start, end)] if end > start else [(shift.weekday, start, 1440)]
        if end <= start and end > 0:
            pieces.append(((shift.weekday + 1) % 7, 0, end))
        hours[shift.weekday] += shift_hours(shift)
        for index, (day, lo, hi) in enumerate(pieces):
            height = y(hi) - y(lo)
            left = GRID_LEFT + day * DAY_WIDTH
            blocks.append(
                {
                    "x": _n(left + 4),
                    "y": _n(y(lo) + 1),
                    "width": _n(DAY_WIDTH - 8),
                    "height": _n(max(height - 2, 2)),
                    "text_x": _n(left + 10),
                    "label_y": _n(y(lo) + 13),
                    "times_y": _n(y(lo) + 25),
                    "label": shift.name if index == 0 else f"{shift.name} (cont.)",
                    "times": f"{shift.start:%H:%M}–{shift.end:%H:%M}",
                    "show_label": height >= 16,
                    "show_times": height >= 30,
                    "title": f"{shift.get_weekday_display()} {shift.name} {shift.start:%H:%M}–{shift.end:%H:%M}",
                    "continued": index > 0,
                }
            )
    bottom = y(last_hour * 60)
    return {
        "width": _n(GRID_LEFT + 7 * DAY_WIDTH + 2),
        "height": _n(bottom + 6),
        "day_width": _n(DAY_WIDTH),
        "span": _n(bottom - GRID_TOP),
        "days": [
            {
                "label": label[:3],
                "x": _n(GRID_LEFT + day * DAY_WIDTH + DAY_WIDTH / 2),
                "left": _n(GRID_LEFT + day * DAY_WIDTH),
                "hours": f"{hours[day]:g} h" if hours[day] else "—",
                "weekend": day >= 5,
            }
            for day, label in WEEKDAYS
        ],
        "hours": [
            {"label": f"{h:02d}:00", "y": _n(y(h * 60)), "label_y": _n(y(h * 60) + 3), "major": h % 6 == 0}
            for h in range(first_hour, last_hour + 1, 2)
        ],
        "label_x": _n(GRID_LEFT - 6),
        "left": _n(GRID_LEFT),
        "right": _n(GRID_LEFT + 7 * DAY_WIDTH),
        "top": _n(GRID_TOP),
        "bottom": _n(bottom),
        "blocks": blocks,
        "total": f"{sum(hours):g}",
    }


def _calendar_context(calendar: Calendar, **forms: Any) -> dict[str, Any]:
    shifts = list(calendar.shifts.all())
    for shift in shifts:
        shift.hours = f"{shift_hours(shift):g}"
    return {
        "calendar": calendar,
        "shifts": shifts,
        "grid": week_grid(shifts),
        "shift_form": forms.get("shift_form") or ShiftForm(),
        "holidays": calendar.holidays.all(),
        "holiday_form": forms.get("holiday_form") or HolidayForm(),
        "closures": calendar.closures.all(),
        "closure_form": forms.get("closure_form") or ClosureForm(),
        "work_centers": WorkCenter.objects.filter(calendar=calendar),
        "zone": calendar.site.time_zone,
    }


def _calendar_part(request: HttpRequest, calendar: Calendar, part: str, *, status: int = 200, **forms: Any):
    """After a change: the part (shifts, holidays, closures) for htmx, else back to the calendar page."""
    if request.htmx or status != 200:  # type: ignore[attr-defined]
        partial = f"facilities/partials/calendar_{part}.html"
        return render(
            request, CalendarDetail.template, _calendar_context(calendar, **forms), partial=partial, status=status
        )
    return redirect("facilities:calendar_detail", calendar.pk)


@route("calendars/<int:pk>/", "calendar_detail")
class CalendarDetail(DetailPage):
    reader = selectors.calendars

    def get_context(self, calendar: Calendar) -> dict[str, Any]:
        return _calendar_context(calendar)


class CalendarPartAdd(Page):
    """Add a shift, holiday or closure to a calendar inline (htmx refreshes that part of the page)."""

    http_method_names = ["post"]
    part: str
    form_class: Any
    message = ""

    def add(self, calendar: Calendar, data: dict[str, Any]) -> Any:
        return self.service(actor=self.actor, calendar=calendar, **data)  # type: ignore[attr-defined]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        calendar = selectors.calendars.fetch(pk)
        form = self.form_class(request.POST)
        _result, failure = submit(form, lambda: self.add(calendar, form.cleaned_data))
        if failure is not None:
            return _calendar_part(
                request, calendar, self.part, status=error_status(failure), **{f"{self.part[:-1]}_form": form}
            )
        if self.message and not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, self.message)
        return _calendar_part(request, calendar, self.part)


@route("calendars/<int:pk>/shifts/", "shift_add")
class ShiftAdd(CalendarPartAdd):
    part, form_class, message = "shifts", ShiftForm, "Shift added."

    @transaction.atomic
    def add(self, calendar: Calendar, data: dict[str, Any]) -> list[Shift]:
        """One shift per chosen weekday: all of them or none."""
        fields = dict(data)
        days = fields.pop("weekday")
        return [services.shift_create(actor=self.actor, calendar=calendar, weekday=day, **fields) for day in days]


@route("calendars/<int:pk>/holidays/", "holiday_add")
class HolidayAdd(CalendarPartAdd):
    part, form_class, service = "holidays", HolidayForm, services.holiday_create


@route("calendars/<int:pk>/closures/", "closure_add")
class ClosureAdd(CalendarPartAdd):
    part, form_class, service = "closures", ClosureForm, services.closure_create


class CalendarPartDelete(ActionPage):
    """Remove a shift, holiday or closure; htmx refreshes its part of the calendar page."""

    service = services.calendar_child_delete
    part: str

    def target(self, obj: Any, result: Any) -> HttpResponse:
        return _calendar_part(self.request, obj.calendar, self.part)


@route("shifts/<int:pk>/delete/", "shift_delete")
class ShiftDelete(CalendarPartDelete):
    reader, part = selectors.shifts, "shifts"


@route("holidays/<int:pk>/delete/", "holiday_delete")
class HolidayDelete(CalendarPartDelete):
    reader, part = selectors.holidays, "holidays"


@route("closures/<int:pk>/delete/", "closure_delete")
class ClosureDelete(CalendarPartDelete):
    reader, part = selectors.closures, "closures"
