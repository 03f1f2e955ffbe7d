"""The stored calendar of a work center answers the engine's working-time questions."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from factoryos.facilities import selectors, services
from factoryos.kernel.tenancy import org_scope

SYDNEY = ZoneInfo("Australia/Sydney")


@pytest.mark.django_db
def test_a_work_centers_calendar_counts_shifts_holidays_and_closures(world):
    # Day crew: Monday 07:00-15:30 only; holiday 2026-12-25; closure Fri 2026-12-11 12-17
    with org_scope(world.org):
        calendar = selectors.calendar_of(world.objects["facilities.workcenter"])
        for weekday in (1, 2, 3, 4):
            services.shift_create(
                actor=world.owner, calendar=calendar, weekday=weekday, start=time(7), end=time(15, 30)
            )
        services.holiday_create(actor=world.owner, calendar=calendar, date=date(2026, 12, 8), name="Shop picnic")
        engine = selectors.work_calendar(calendar)
    week_start = datetime(2026, 12, 7, 0, 0, tzinfo=SYDNEY)  # Monday
    week_end = datetime(2026, 12, 14, 0, 0, tzinfo=SYDNEY)
    # 5 days x 510 min, minus the Tuesday holiday (510), minus Friday's closure 12:00-15:30 (210)
    assert engine.working_minutes(week_start, week_end) == 5 * 510 - 510 - 210
    # 600 minutes from Monday 07:00: 510 on Monday, the holiday skips Tuesday, 90 more on Wednesday -> 08:30
    finish = engine.add_working_minutes(datetime(2026, 12, 7, 7, 0, tzinfo=SYDNEY), 600)
    assert finish == datetime(2026, 12, 9, 8, 30, tzinfo=SYDNEY).astimezone(UTC)
