"""Control pages for sites, work centers and calendars. Views parse, check, call one service, render.

``sorted_page`` and ``page`` are shared with the catalog pages (the same list mechanics everywhere in Control).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factoryos.facilities import services
from factoryos.facilities.forms import (
    CalendarForm,
    ClosureForm,
    HolidayForm,
    ShiftForm,
    SiteFilterForm,
    SiteForm,
    WorkCenterFilterForm,
    WorkCenterForm,
)
from factoryos.facilities.models import WEEKDAYS, Calendar, Closure, Holiday, Shift, Site, WorkCenter
from factoryos.kernel import events
from factoryos.kernel.access import check
from factoryos.kernel.errors import DomainError
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.events import Action
from factoryos.web.decorators import member_view, render_page
from factoryos.web.views import apply_errors

PAGE_SIZE = 50
ERRORS = (ValidationError, DomainError)


# -- shared list and page mechanics (used by the catalog pages too) -----------------------------------------------
def page(request, template: str, context: dict, *, partial: str | None = None, status: int = 200):
    """``render_page``, except that htmx restoring a page from history gets the whole page, not the partial."""
    if request.headers.get("HX-History-Restore-Request") == "true":
        partial = None
    return render_page(request, template, context, partial=partial, status=status)


def sorted_page(request, queryset, columns, default: str, *, unsorted_order: tuple[str, ...] | None = None) -> dict:
    """Sort by ``?sort=key`` / ``?sort=-key`` (a column's key), paginate, and describe the table's header.

    ``columns`` are ``(key, label, order_by fields or None, css class)``. ``unsorted_order`` orders the rows when
    no sort is asked for (e.g. best search matches first); then no column shows as sorted.
    """
    orders = {key: fields for key, _label, fields, _css in columns if fields}
    wanted = request.GET.get("sort", "")
    key, desc = wanted.lstrip("-"), wanted.startswith("-")
    if key not in orders:
        if unsorted_order is not None:
            key, desc = "", False
            queryset = queryset.order_by(*unsorted_order)
        else:
            key, desc = default.lstrip("-"), default.startswith("-")
    if key:
        queryset = queryset.order_by(*[_flip(f) if desc else f for f in orders[key]])
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    base = request.GET.copy()
    base.pop("page", None)
    base.pop("sort", None)
    heads = []
    for ckey, label, fields, css in columns:
        head = {"label": label, "css": css, "sortable": bool(fields), "active": ckey == key, "desc": desc}
        if fields:
            query = base.copy()
            query["sort"] = f"-{ckey}" if ckey == key and not desc else ckey
            head["url"] = f"{request.path}?{query.urlencode()}"
        heads.append(head)
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page_obj, "heads": heads, "query": query.urlencode(), "sort": f"{'-' if desc else ''}{key}"}


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def _filters(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "")} if form.is_valid() else {}


def _active(qs, value: str):
    return qs.filter(active=value == "yes") if value in ("yes", "no") else qs


def _record_list(object_type: str, criteria: dict, count: int) -> None:
    events.record_list(object_type=object_type, criteria=criteria, count=count)


def _fail(request, exc) -> None:
    messages.error(request, error_messages(exc))


# -- sites ----------------------------------------------------------------------------------------------------------
SITE_COLUMNS = [
    ("code", "Code", ("code",), ""),
    ("name", "Name", ("name", "code"), ""),
    ("city", "Location", ("city", "code"), ""),
    ("tz", "Time zone", ("time_zone", "code"), ""),
    ("calendars", "Calendars", None, ""),
    ("wcs", "Work centers", ("wc_count", "code"), "num"),
    ("active", "Status", ("-active", "code"), ""),
]


@require_GET
@member_view("facilities.view")
def site_list(request):
    form = SiteFilterForm(request.GET or None)
    criteria = _filters(form)
    qs = Site.objects.annotate(wc_count=Count("work_centers")).prefetch_related("calendars")
    if q := criteria.get("q", "").strip():
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(city__icontains=q))
    qs = _active(qs, criteria.get("active", ""))
    context = {"form": form, **sorted_page(request, qs, SITE_COLUMNS, "code")}
    _record_list("facilities.site", criteria, context["page"].paginator.count)
    return page(request, "facilities/site_list.html", context, partial="facilities/partials/site_table.html")


@require_http_methods(["GET", "POST"])
@member_view("facilities.edit")
def site_create(request):
    form = SiteForm(request.POST or None, initial={"country": request.org.country, "time_zone": request.org.time_zone})
    if request.method == "POST" and form.is_valid():
        try:
            site = services.site_create(actor=request.membership, **form.cleaned_data)
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Site {site.code} created. Give it a calendar of shifts next.")
            return redirect("facilities:site_edit", site.pk)
    return page(request, "facilities/site_form.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_view("facilities.view")
def site_edit(request, pk: int):
    site = get_object_or_404(Site.objects, pk=pk)
    form = SiteForm(initial={name: getattr(site, name) for name in SiteForm.base_fields})
    if request.method == "GET":
        events.record(action=Action.VIEW, obj=site)
    else:
        check(request, "facilities.edit")
        form = SiteForm(request.POST)
        if form.is_valid():
            try:
                services.site_update(actor=request.membership, obj=site, **form.cleaned_data)
            except ERRORS as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Site {form.cleaned_data['code']} saved.")
                return redirect("facilities:site_list")
    return page(request, "facilities/site_form.html", _site_context(site, form), status=400 if form.errors else 200)


def _site_context(site: Site, form, calendar_form=None) -> dict:
    return {
        "site": site,
        "form": form,
        "calendars": site.calendars.annotate(shift_count=Count("shifts")),
        "calendar_form": calendar_form or CalendarForm(),
        "work_centers": site.work_centers.all(),
    }


@require_POST
@member_view("facilities.edit")
def calendar_create(request, pk: int):
    site = get_object_or_404(Site.objects, pk=pk)
    form = CalendarForm(request.POST)
    if form.is_valid():
        try:
            calendar = services.calendar_create(actor=request.membership, site=site, **form.cleaned_data)
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Calendar {calendar.name} created: add its shifts.")
            return redirect("facilities:calendar_detail", calendar.pk)
    site_form = SiteForm(initial={name: getattr(site, name) for name in SiteForm.base_fields})
    return page(request, "facilities/site_form.html", _site_context(site, site_form, form), status=400)


# -- work centers ---------------------------------------------------------------------------------------------------
WORK_CENTER_COLUMNS = [
    ("code", "Code", ("code",), ""),
    ("name", "Name", ("name", "code"), ""),
    ("kind", "Kind", ("kind", "code"), ""),
    ("site", "Site", ("site__code", "code"), ""),
    ("machines", "Machines", ("machines", "code"), "num"),
    ("machine_rate", "Machine /h", ("machine_rate", "code"), "num"),
    ("labour_rate", "Labour /h", ("labour_rate", "code"), "num"),
    ("efficiency", "Eff. %", ("efficiency_pct", "code"), "num"),
    ("calendar", "Calendar", None, ""),
    ("active", "Status", ("-active", "code"), ""),
]


@require_GET
@member_view("facilities.view")
def work_center_list(request):
    form = WorkCenterFilterForm(request.GET or None)
    criteria = _filters(form)
    qs = WorkCenter.objects.select_related("site", "calendar")
    if q := criteria.get("q", "").strip():
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if criteria.get("site"):
        qs = qs.filter(site=criteria["site"])
    if criteria.get("kind"):
        qs = qs.filter(kind=criteria["kind"])
    qs = _active(qs, criteria.get("active", ""))
    context = {"form": form, **sorted_page(request, qs, WORK_CENTER_COLUMNS, "code")}
    _record_list("facilities.workcenter", criteria, context["page"].paginator.count)
    return page(
        request, "facilities/work_center_list.html", context, partial="facilities/partials/work_center_table.html"
    )


@require_http_methods(["GET", "POST"])
@member_view("facilities.edit")
def work_center_create(request):
    initial = {"site": request.GET.get("site")} if request.GET.get("site", "").isdigit() else {}
    form = WorkCenterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            wc = services.work_center_create(actor=request.membership, **form.cleaned_data)
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Work center {wc.code} created.")
            return redirect("facilities:work_center_list")
    return page(request, "facilities/work_center_form.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_view("facilities.view")
def work_center_edit(request, pk: int):
    wc = get_object_or_404(WorkCenter.objects.select_related("site"), pk=pk)
    form = WorkCenterForm(initial={name: getattr(wc, name) for name in WorkCenterForm.base_fields})
    if request.method == "GET":
        events.record(action=Action.VIEW, obj=wc)
    else:
        check(request, "facilities.edit")
        form = WorkCenterForm(request.POST)
        if form.is_valid():
            try:
                services.work_center_update(actor=request.membership, obj=wc, **form.cleaned_data)
            except ERRORS as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Work center {form.cleaned_data['code']} saved.")
                return redirect("facilities:work_center_list")
    context = {"form": form, "work_center": wc, "operation_count": wc.operations.count()}
    return page(request, "facilities/work_center_form.html", context, status=400 if form.errors else 200)


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


def _calendar_context(calendar: Calendar, **forms) -> dict:
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


def _calendar_of(pk: int) -> Calendar:
    return get_object_or_404(Calendar.objects.select_related("site"), pk=pk)


@require_GET
@member_view("facilities.view")
def calendar_detail(request, pk: int):
    calendar = _calendar_of(pk)
    events.record(action=Action.VIEW, obj=calendar)
    return page(request, "facilities/calendar.html", _calendar_context(calendar))


def _calendar_part(request, calendar: Calendar, part: str, *, status: int = 200, **forms):
    """After a change: the part (shifts, holidays, closures) for htmx, else back to the calendar page."""
    if request.htmx:
        return page(
            request,
            "facilities/calendar.html",
            _calendar_context(calendar, **forms),
            partial=f"facilities/partials/calendar_{part}.html",
            status=status,
        )
    if status != 200:
        return page(request, "facilities/calendar.html", _calendar_context(calendar, **forms), status=status)
    return redirect("facilities:calendar_detail", calendar.pk)


@require_POST
@member_view("facilities.edit")
def shift_add(request, pk: int):
    calendar = _calendar_of(pk)
    form = ShiftForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        days = data.pop("weekday")
        try:
            with transaction.atomic():  # all the days or none
                for day in days:
                    services.shift_create(actor=request.membership, calendar=calendar, weekday=day, **data)
        except ERRORS as exc:
            apply_errors(form, exc)
    if form.errors:
        return _calendar_part(request, calendar, "shifts", status=400, shift_form=form)
    if not request.htmx:
        messages.success(request, "Shift added.")
    return _calendar_part(request, calendar, "shifts")


def _child_delete(request, model, pk: int, part: str):
    obj = get_object_or_404(model.objects.select_related("calendar__site"), pk=pk)
    calendar = obj.calendar
    try:
        services.calendar_child_delete(actor=request.membership, obj=obj)
    except ERRORS as exc:
        _fail(request, exc)
    return _calendar_part(request, calendar, part)


@require_POST
@member_view("facilities.edit")
def shift_delete(request, pk: int):
    return _child_delete(request, Shift, pk, "shifts")


@require_POST
@member_view("facilities.edit")
def holiday_add(request, pk: int):
    calendar = _calendar_of(pk)
    form = HolidayForm(request.POST)
    if form.is_valid():
        try:
            services.holiday_create(actor=request.membership, calendar=calendar, **form.cleaned_data)
        except ERRORS as exc:
            apply_errors(form, exc)
    if form.errors:
        return _calendar_part(request, calendar, "holidays", status=400, holiday_form=form)
    return _calendar_part(request, calendar, "holidays")


@require_POST
@member_view("facilities.edit")
def holiday_delete(request, pk: int):
    return _child_delete(request, Holiday, pk, "holidays")


@require_POST
@member_view("facilities.edit")
def closure_add(request, pk: int):
    calendar = _calendar_of(pk)
    form = ClosureForm(request.POST)
    if form.is_valid():
        try:
            services.closure_create(actor=request.membership, calendar=calendar, **form.cleaned_data)
        except ERRORS as exc:
            apply_errors(form, exc)
    if form.errors:
        return _calendar_part(request, calendar, "closures", status=400, closure_form=form)
    return _calendar_part(request, calendar, "closures")


@require_POST
@member_view("facilities.edit")
def closure_delete(request, pk: int):
    return _child_delete(request, Closure, pk, "closures")
