"""Facilities in a test world: a site with a day-shift calendar (a shift, a holiday, a closure) and a work center."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from factoryos.facilities import services


def build(owner, objects: dict) -> dict:
    site = services.site_create(actor=owner, code="MAIN", name="Main plant", city="Wetherill Park")
    calendar = services.calendar_create(actor=owner, site=site, name="Day crew")
    shift = services.shift_create(
        actor=owner, calendar=calendar, weekday=0, name="Day", start=time(7, 0), end=time(15, 30)
    )
    holiday = services.holiday_create(actor=owner, calendar=calendar, date=date(2026, 12, 25), name="Christmas Day")
    closure = services.closure_create(
        actor=owner,
        calendar=calendar,
        starts_at=datetime(2026, 12, 11, 12),
        ends_at=datetime(2026, 12, 11, 17),
        reason="Stocktake",
    )
    work_center = services.work_center_create(
        actor=owner,
        site=site,
        code="LSR1",
        name="Fibre laser 1",
        kind="laser",
        machine_rate=Decimal("120"),
        labour_rate=Decimal("65"),
        calendar=calendar,
    )
    return {
        "facilities.site": site,
        "facilities.calendar": calendar,
        "facilities.shift": shift,
        "facilities.holiday": holiday,
        "facilities.closure": closure,
        "facilities.workcenter": work_center,
    }


def grow(owner, objects: dict, n: int) -> None:
    """``n`` more sites, each with a calendar and a work center, and ``n`` more shifts, holidays and closures on the
    world's calendar."""
    calendar = objects["facilities.calendar"]
    for k in range(n):
        site = services.site_create(actor=owner, code=f"S{k}", name=f"Site {k}")
        other = services.calendar_create(actor=owner, site=site, name=f"Crew {k}")
        services.work_center_create(
            actor=owner, site=site, code=f"WC{k}", name=f"Press {k}", kind="press_brake", calendar=other
        )
        services.shift_create(
            actor=owner, calendar=calendar, weekday=1 + k % 6, name=f"Shift {k}", start=time(7, 0), end=time(15, 0)
        )
        services.holiday_create(actor=owner, calendar=calendar, date=date(2027, 1, 1 + k), name=f"Holiday {k}")
        services.closure_create(
            actor=owner,
            calendar=calendar,
            starts_at=datetime(2027, 2, 1 + k, 8),
            ends_at=datetime(2027, 2, 1 + k, 12),
            reason=f"Service {k}",
        )
