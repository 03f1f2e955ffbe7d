"""The facilities pages: sites, work centers and calendars render the world's data, filter, and show the services'
refusals on the field the person typed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from factoryos.facilities.models import Closure, Holiday, Shift
from factoryos.kernel.tenancy import org_scope
from tests.factories import HTMX, assert_page_shows, page_cases, page_text

PAGES = [
    ("facilities:site_list", None, ["MAIN", "Main plant", "Wetherill Park", "Day crew"]),
    ("facilities:site_create", None, ["New site", "Create site"]),
    ("facilities:site_edit", "facilities.site", ["Main plant", "Day crew", "LSR1", "Add calendar"]),
    ("facilities:work_center_list", None, ["LSR1", "Fibre laser 1", "Laser cutting", "120.00"]),
    ("facilities:work_center_create", None, ["New work center", "Efficiency %"]),
    ("facilities:work_center_edit", "facilities.workcenter", ["Fibre laser 1", "Save work center"]),
    (
        "facilities:calendar_detail",
        "facilities.calendar",
        ["Day crew", "Weekly shifts", "07:00–15:30", "Christmas Day", "Stocktake", "11 Dec 2026 12:00"],
    ),
]


@pytest.mark.parametrize(("name", "label", "expected"), page_cases(PAGES))
def test_owner_sees_each_page_with_the_worlds_data(world, owner, name, label, expected):
    assert_page_shows(owner, world, name, label, expected)


def test_navigation_lists_the_facilities_pages(owner):
    page = page_text(owner.get("/"))
    for label, url in [
        ("Work centers", "/control/work-centers/"),
        ("Sites", "/control/sites/"),
    ]:
        assert f'href="{url}"' in page and label in page


def test_work_center_list_filters_by_site_kind_and_active(world, owner):
    url = reverse("facilities:work_center_list")
    assert "LSR1" in page_text(owner.get(url, {"site": world.pk("facilities.site"), "kind": "laser"}))
    assert "LSR1" not in page_text(owner.get(url, {"kind": "welding"}))
    assert "LSR1" not in page_text(owner.get(url, {"active": "no"}))
    assert "LSR1" in page_text(owner.get(url, {"active": "yes", "sort": "-machine_rate"}))


def test_calendar_shifts_holidays_and_closures_inline(world, owner):
    calendar = world.pk("facilities.calendar")
    response = owner.post(
        reverse("facilities:shift_add", args=[calendar]),
        {"weekday": ["1", "2", "3", "4"], "name": "Night", "start": "22:00", "end": "06:00"},
        **HTMX,
    )
    assert response.status_code == 200
    body = page_text(response)
    assert "<html" not in body and "Night (cont.)" in body and "40.5 hours a week" in body  # 8.5 + 4 x 8
    with org_scope(world.org):
        assert Shift.objects.filter(calendar_id=calendar, name="Night").count() == 4
    bad = owner.post(reverse("facilities:shift_add", args=[calendar]), {"name": "Odd", "start": "x"}, **HTMX)
    assert bad.status_code == 400 and 'id="id_start-error"' in page_text(bad)

    response = owner.post(
        reverse("facilities:holiday_add", args=[calendar]), {"date": "2026-12-25", "name": "Again"}, **HTMX
    )
    assert response.status_code == 400
    assert "A holiday with this date already exists." in page_text(response)
    response = owner.post(reverse("facilities:holiday_delete", args=[world.pk("facilities.holiday")]), **HTMX)
    assert response.status_code == 200 and "No holidays." in page_text(response)

    response = owner.post(
        reverse("facilities:closure_add", args=[calendar]),
        {"starts_at": "2026-07-03T13:00", "ends_at": "2026-07-03T17:00", "reason": "Compressor service"},
        **HTMX,
    )
    assert response.status_code == 200 and "3 Jul 2026 13:00" in page_text(response)
    with org_scope(world.org):
        closure = Closure.objects.get(reason="Compressor service")
        assert closure.starts_at.isoformat() == "2026-07-03T03:00:00+00:00"  # 13:00 in Sydney (AEST, +10)
        assert not Holiday.objects.filter(calendar_id=calendar).exists()
    backwards = owner.post(
        reverse("facilities:closure_add", args=[calendar]),
        {"starts_at": "2026-07-03T13:00", "ends_at": "2026-07-03T12:00", "reason": "Oops"},
        **HTMX,
    )
    assert backwards.status_code == 400 and "must end after it starts" in page_text(backwards)


def test_site_and_work_center_forms_show_service_errors(world, owner):
    response = owner.post(
        reverse("facilities:site_create"),
        {"code": "MAIN", "name": "Again", "country": "AU", "time_zone": "Australia/Sydney"},
    )
    assert response.status_code == 400 and "A site with this code already exists." in page_text(response)
    with org_scope(world.org):
        from factoryos.facilities import services as facility_services

        other = facility_services.site_create(actor=world.owner, code="NTH", name="North")
    response = owner.post(
        reverse("facilities:work_center_edit", args=[world.pk("facilities.workcenter")]),
        {
            "site": other.pk,
            "code": "LSR1",
            "name": "Fibre laser 1",
            "kind": "laser",
            "machines": "1",
            "machine_rate": "120",
            "labour_rate": "65",
            "efficiency_pct": "100",
            "calendar": world.pk("facilities.calendar"),
            "active": "on",
        },
    )
    assert response.status_code == 400
    assert re.search(r'id="id_calendar-error">Choose a calendar of the work center', page_text(response))
