"""Working-time calendar engine: known answers (shop week, night shift, holidays, closures, overtime, DST) and
Hypothesis properties (add/measure inverse, additivity, monotonicity, interval shape, a brute-force oracle)."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factoryos.planning.engine.calendar import NoWorkingTimeError, Shift, WorkCalendar

ROOT = Path(__file__).resolve().parents[2]
CHICAGO = ZoneInfo("America/Chicago")
SYDNEY = ZoneInfo("Australia/Sydney")
US = timedelta(microseconds=1)

SHOP = {d: [Shift(time(7), time(11)), Shift(time(11, 30), time(15, 30))] for d in range(5)}  # Mon-Fri, 480 min/day
NIGHTS = {d: [Shift(time(22), time(6))] for d in range(7)}


def chi(*args) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


def syd(*args) -> datetime:
    return datetime(*args, tzinfo=SYDNEY)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# 2026-01-12 is a Monday; no DST transition that week in Chicago.
MON = chi(2026, 1, 12)
NEXT_MON = chi(2026, 1, 19)


# --------------------------------------------------------------------------- known answers


def test_shop_week_is_five_times_480_minutes():
    cal = WorkCalendar("America/Chicago", SHOP)
    assert cal.working_minutes(MON, NEXT_MON) == 5 * 480
    assert cal.working_minutes(chi(2026, 1, 12, 7), chi(2026, 1, 12, 15, 30)) == 480
    assert list(cal.intervals(MON, chi(2026, 1, 13))) == [
        (utc(2026, 1, 12, 13), utc(2026, 1, 12, 17)),
        (utc(2026, 1, 12, 17, 30), utc(2026, 1, 12, 21, 30)),
    ]


def test_shop_add_minutes_known_answers():
    cal = WorkCalendar("America/Chicago", SHOP)
    assert cal.add_working_minutes(chi(2026, 1, 12, 7), 480) == chi(2026, 1, 12, 15, 30)
    assert cal.add_working_minutes(chi(2026, 1, 12, 7), 240) == chi(2026, 1, 12, 11)  # ends at the break
    assert cal.add_working_minutes(chi(2026, 1, 12, 7), 241) == chi(2026, 1, 12, 11, 31)
    assert cal.add_working_minutes(chi(2026, 1, 16, 15, 30), 1) == chi(2026, 1, 19, 7, 1)
    assert cal.add_working_minutes(chi(2026, 1, 17, 9), 60) == chi(2026, 1, 19, 8)  # Saturday: starts Monday
    assert cal.add_working_minutes(chi(2026, 1, 12, 7), 0.5) == chi(2026, 1, 12, 7, 0, 30)
    result = cal.add_working_minutes(chi(2026, 1, 12, 7), 1)
    assert result.tzinfo is UTC


def test_zero_minutes_returns_start_unchanged():
    cal = WorkCalendar("America/Chicago", SHOP)
    saturday = chi(2026, 1, 17, 9)
    assert cal.add_working_minutes(saturday, 0) is saturday
    assert cal.add_working_minutes(saturday, 0.0) is saturday


def test_next_working_instant():
    cal = WorkCalendar("America/Chicago", SHOP)
    assert cal.next_working_instant(chi(2026, 1, 12, 8)) == chi(2026, 1, 12, 8)
    assert cal.next_working_instant(chi(2026, 1, 12, 8)).tzinfo is UTC
    assert cal.next_working_instant(chi(2026, 1, 12, 11, 10)) == chi(2026, 1, 12, 11, 30)
    assert cal.next_working_instant(chi(2026, 1, 16, 15, 30)) == chi(2026, 1, 19, 7)


def test_negative_minutes_walk_backwards():
    cal = WorkCalendar("America/Chicago", SHOP)
    assert cal.add_working_minutes(chi(2026, 1, 19, 7), -1) == chi(2026, 1, 16, 15, 29)
    assert cal.add_working_minutes(chi(2026, 1, 12, 15, 30), -480) == chi(2026, 1, 12, 7)  # latest such instant
    assert cal.add_working_minutes(chi(2026, 1, 12, 11, 30), -240) == chi(2026, 1, 12, 7)
    assert cal.add_working_minutes(chi(2026, 1, 17, 12), -30) == chi(2026, 1, 16, 15)  # Saturday: ends Friday
    assert cal.add_working_minutes(chi(2026, 1, 19, 7), -5 * 480) == chi(2026, 1, 12, 7)


def test_night_shift_crosses_midnight():
    cal = WorkCalendar("America/Chicago", {d: [Shift(time(22), time(6))] for d in range(5)})  # starts Mon-Fri
    assert cal.working_minutes(MON, NEXT_MON) == 5 * 480
    assert list(cal.intervals(chi(2026, 1, 17), chi(2026, 1, 18))) == [(chi(2026, 1, 17), chi(2026, 1, 17, 6))]
    assert cal.add_working_minutes(chi(2026, 1, 12, 12), 120) == chi(2026, 1, 13, 0)
    assert cal.add_working_minutes(chi(2026, 1, 17, 6), 1) == chi(2026, 1, 19, 22, 1)
    # A 24-hour shift (end == start) and an early-morning shift that overlaps yesterday's night shift merge.
    cal = WorkCalendar("UTC", {0: [Shift(time(8), time(8))], 1: [Shift(time(6), time(9))]})
    assert list(cal.intervals(utc(2026, 1, 12), utc(2026, 1, 14))) == [(utc(2026, 1, 12, 8), utc(2026, 1, 13, 9))]


def test_overlapping_and_adjacent_shifts_merge():
    cal = WorkCalendar("UTC", {0: [Shift(time(9), time(12)), Shift(time(8), time(10)), Shift(time(12), time(13))]})
    assert list(cal.intervals(utc(2026, 1, 12), utc(2026, 1, 13))) == [(utc(2026, 1, 12, 8), utc(2026, 1, 12, 13))]
    assert cal.working_minutes(utc(2026, 1, 12), utc(2026, 1, 13)) == 300


def test_holiday_removes_its_day():
    cal = WorkCalendar("America/Chicago", SHOP, holidays=[date(2026, 1, 14)])
    assert cal.working_minutes(MON, NEXT_MON) == 4 * 480
    assert cal.working_minutes(chi(2026, 1, 14), chi(2026, 1, 15)) == 0
    assert cal.add_working_minutes(chi(2026, 1, 13, 15, 30), 1) == chi(2026, 1, 15, 7, 1)


def test_night_shift_belongs_to_the_day_it_starts():
    # Holiday Tuesday: Monday's night shift still runs into Tuesday morning; Tuesday's night shift is cancelled.
    cal = WorkCalendar("America/Chicago", NIGHTS, holidays=[date(2026, 1, 13)])
    assert list(cal.intervals(chi(2026, 1, 13), chi(2026, 1, 14, 12))) == [(chi(2026, 1, 13), chi(2026, 1, 13, 6))]
    assert cal.working_minutes(chi(2026, 1, 13), chi(2026, 1, 15)) == 360 + 120


def test_closure_removes_its_window():
    closure = (datetime(2026, 1, 14, 13), datetime(2026, 1, 14, 17))  # naive = Chicago wall clock
    cal = WorkCalendar("America/Chicago", SHOP, closures=[closure])
    assert cal.working_minutes(MON, NEXT_MON) == 5 * 480 - 150
    aware = WorkCalendar("America/Chicago", SHOP, closures=[(utc(2026, 1, 14, 19), utc(2026, 1, 14, 23))])
    assert list(aware.intervals(MON, NEXT_MON)) == list(cal.intervals(MON, NEXT_MON))
    # A closure spanning the break removes 10:00-11:00 and 11:30-12:00.
    cal = WorkCalendar("America/Chicago", SHOP, closures=[(datetime(2026, 1, 12, 10), datetime(2026, 1, 12, 12))])
    assert cal.working_minutes(MON, chi(2026, 1, 13)) == 480 - 90
    assert cal.add_working_minutes(chi(2026, 1, 12, 9), 61) == chi(2026, 1, 12, 12, 1)
    # Overlapping closures, and an empty one (ignored).
    cal = WorkCalendar(
        "America/Chicago",
        SHOP,
        closures=[
            (datetime(2026, 1, 12, 8), datetime(2026, 1, 12, 9)),
            (datetime(2026, 1, 12, 8, 30), datetime(2026, 1, 12, 10)),
            (chi(2026, 1, 12, 14), chi(2026, 1, 12, 14)),
        ],
    )
    assert cal.working_minutes(MON, chi(2026, 1, 13)) == 480 - 120


def test_overtime_adds_time_and_closures_win():
    saturday = (datetime(2026, 1, 17, 8), datetime(2026, 1, 17, 12))
    cal = WorkCalendar("America/Chicago", SHOP, overtime=[saturday])
    assert cal.working_minutes(MON, NEXT_MON) == 5 * 480 + 240
    assert cal.add_working_minutes(chi(2026, 1, 16, 15, 30), 241) == chi(2026, 1, 19, 7, 1)
    # Overtime overlapping a shift (and the break) is not counted twice.
    cal = WorkCalendar("America/Chicago", SHOP, overtime=[(datetime(2026, 1, 12, 10), datetime(2026, 1, 12, 17))])
    assert cal.working_minutes(MON, chi(2026, 1, 13)) == 480 + 30 + 90
    # Overtime on a holiday counts; a closure over overtime wins.
    cal = WorkCalendar(
        "America/Chicago",
        SHOP,
        holidays=[date(2026, 1, 12)],
        overtime=[(datetime(2026, 1, 12, 8), datetime(2026, 1, 12, 12))],
        closures=[(datetime(2026, 1, 12, 11), datetime(2026, 1, 12, 13))],
    )
    assert cal.working_minutes(MON, chi(2026, 1, 13)) == 180


@pytest.mark.parametrize(
    ("tz", "day", "minutes"),
    [
        ("America/Chicago", date(2026, 3, 7), 7 * 60),  # spring forward Sunday 02:00 -> 03:00
        ("America/Chicago", date(2026, 10, 31), 9 * 60),  # fall back Sunday 02:00 -> 01:00
        ("Australia/Sydney", date(2026, 10, 3), 7 * 60),  # spring forward Sunday 02:00 -> 03:00
        ("Australia/Sydney", date(2026, 4, 4), 9 * 60),  # fall back Sunday 03:00 -> 02:00
    ],
)
def test_dst_night_shift_is_shorter_or_longer_in_real_time(tz, day, minutes):
    zone = ZoneInfo(tz)
    cal = WorkCalendar(tz, NIGHTS)
    noon = datetime.combine(day, time(12), zone)
    assert cal.working_minutes(noon, noon + timedelta(days=1)) == minutes
    ((s, e),) = cal.intervals(noon, noon + timedelta(days=1))
    assert s == datetime.combine(day, time(22), zone)
    assert e == datetime.combine(day + timedelta(days=1), time(6), zone)
    assert cal.add_working_minutes(datetime.combine(day, time(22), zone), minutes) == e
    # The remaining hour lands on the next night shift, at 23:00 local.
    after = cal.add_working_minutes(datetime.combine(day, time(22), zone), minutes + 60)
    assert after == datetime.combine(day + timedelta(days=1), time(23), zone)


def test_dst_day_shift_and_known_utc_instants():
    day_shift = {6: [Shift(time(0), time(8))]}  # Sunday 00:00-08:00
    chicago = WorkCalendar("America/Chicago", day_shift)
    assert chicago.working_minutes(chi(2026, 3, 8), chi(2026, 3, 9)) == 420
    assert list(chicago.intervals(chi(2026, 3, 8), chi(2026, 3, 9))) == [(utc(2026, 3, 8, 6), utc(2026, 3, 8, 13))]
    assert chicago.working_minutes(chi(2026, 11, 1), chi(2026, 11, 2)) == 540
    sydney = WorkCalendar("Australia/Sydney", day_shift)
    assert list(sydney.intervals(syd(2026, 4, 5), syd(2026, 4, 6))) == [(utc(2026, 4, 4, 13), utc(2026, 4, 4, 22))]
    assert list(sydney.intervals(syd(2026, 10, 4), syd(2026, 10, 5))) == [(utc(2026, 10, 3, 14), utc(2026, 10, 3, 21))]
    # Across the whole week the DST weeks differ by exactly one hour from a normal week.
    shop = WorkCalendar("America/Chicago", NIGHTS)
    assert shop.working_minutes(chi(2026, 3, 2), chi(2026, 3, 9)) == 7 * 480 - 60
    assert shop.working_minutes(chi(2026, 10, 26), chi(2026, 11, 2)) == 7 * 480 + 60
    assert shop.working_minutes(chi(2026, 1, 12), chi(2026, 1, 19)) == 7 * 480


def test_dst_boundary_inside_gap_or_repeat():
    # 02:30 does not exist on 2026-03-08 in Chicago: the shift starts at the transition (03:00 CDT).
    gap = WorkCalendar("America/Chicago", {6: [Shift(time(2, 30), time(6))]})
    assert list(gap.intervals(chi(2026, 3, 8), chi(2026, 3, 9))) == [(utc(2026, 3, 8, 8), utc(2026, 3, 8, 11))]
    # A shift wholly inside the gap has no working time that day.
    inside = WorkCalendar("America/Chicago", {6: [Shift(time(2, 10), time(2, 50))]})
    assert inside.working_minutes(chi(2026, 3, 8), chi(2026, 3, 9)) == 0
    assert inside.working_minutes(chi(2026, 3, 15), chi(2026, 3, 16)) == 40
    # 01:30 occurs twice on 2026-11-01: a bound there means the first occurrence (CDT).
    repeat = WorkCalendar("America/Chicago", {6: [Shift(time(1, 30), time(3))]})
    expected = [(utc(2026, 11, 1, 6, 30), utc(2026, 11, 1, 9))]
    assert list(repeat.intervals(chi(2026, 11, 1), chi(2026, 11, 2))) == expected
    # A naive closure bound with fold=1 means the second occurrence.
    closed = WorkCalendar(
        "America/Chicago",
        {6: [Shift(time(0), time(4))]},
        closures=[(datetime(2026, 11, 1, 1, 15), datetime(2026, 11, 1, 1, 15, fold=1))],
    )
    assert closed.working_minutes(chi(2026, 11, 1), chi(2026, 11, 2)) == 5 * 60 - 60


def test_long_horizon_walks_interval_by_interval():
    cal = WorkCalendar("America/Chicago", SHOP)
    start = chi(2026, 1, 5, 7)
    # 500,000 = 208 weeks of 2400 + 800: Monday 480, Tuesday 240 until 11:00 and 80 from 11:30.
    result = cal.add_working_minutes(start, 500_000)
    assert result == chi(2030, 1, 1, 12, 50)
    assert cal.working_minutes(start, result) == 500_000
    assert cal.add_working_minutes(result, -500_000) == start


def test_no_working_time_raises_instead_of_looping():
    empty = WorkCalendar("UTC", {})
    with pytest.raises(NoWorkingTimeError):
        empty.add_working_minutes(utc(2026, 1, 1), 1)
    with pytest.raises(NoWorkingTimeError):
        empty.add_working_minutes(utc(2026, 1, 1), -1)
    with pytest.raises(NoWorkingTimeError):
        empty.next_working_instant(utc(2026, 1, 1))
    assert empty.working_minutes(utc(2026, 1, 1), utc(2027, 1, 1)) == 0
    assert issubclass(NoWorkingTimeError, ValueError)
    # Only overtime: usable until it runs out.
    overtime = WorkCalendar("UTC", {}, overtime=[(utc(2026, 2, 1, 8), utc(2026, 2, 1, 10))])
    assert overtime.add_working_minutes(utc(2026, 1, 1), 60) == utc(2026, 2, 1, 9)
    assert overtime.add_working_minutes(utc(2026, 3, 1), -60) == utc(2026, 2, 1, 9)
    with pytest.raises(NoWorkingTimeError):
        overtime.add_working_minutes(utc(2026, 1, 1), 121)
    # Shifts exist, but a closure hides them for longer than the search limit: bounded, not endless.
    closed = WorkCalendar("UTC", SHOP, closures=[(datetime(2000, 1, 1), datetime(2050, 1, 1))])
    with pytest.raises(NoWorkingTimeError):
        closed.add_working_minutes(utc(2026, 1, 1), 1)
    with pytest.raises(NoWorkingTimeError):
        closed.add_working_minutes(utc(2026, 1, 1), -1)
    with pytest.raises(NoWorkingTimeError):
        closed.next_working_instant(utc(2026, 1, 1))


def test_naive_query_datetimes_are_rejected():
    cal = WorkCalendar("America/Chicago", SHOP)
    naive = datetime(2026, 1, 12, 8)
    with pytest.raises(ValueError, match="aware"):
        cal.intervals(naive, MON)
    with pytest.raises(ValueError, match="aware"):
        cal.intervals(MON, naive)
    with pytest.raises(ValueError, match="aware"):
        cal.working_minutes(naive, NEXT_MON)
    with pytest.raises(ValueError, match="aware"):
        cal.add_working_minutes(naive, 5)
    with pytest.raises(ValueError, match="aware"):
        cal.next_working_instant(naive)


def test_degenerate_queries_and_bad_input():
    cal = WorkCalendar("America/Chicago", SHOP)
    assert cal.working_minutes(NEXT_MON, MON) == 0
    assert cal.working_minutes(MON, MON) == 0
    assert list(cal.intervals(NEXT_MON, MON)) == []
    with pytest.raises(ValueError):
        cal.add_working_minutes(MON, float("nan"))
    with pytest.raises(ValueError):
        cal.add_working_minutes(MON, float("inf"))
    with pytest.raises(ValueError):
        WorkCalendar("Mars/Olympus_Mons", SHOP)
    with pytest.raises(ValueError):
        WorkCalendar("UTC", {7: [Shift(time(8), time(9))]})
    with pytest.raises(ValueError):
        Shift(time(8, tzinfo=UTC), time(9))
    with pytest.raises(ValueError):
        WorkCalendar("UTC", SHOP, closures=[(datetime(2026, 1, 2), datetime(2026, 1, 1))])


def test_engine_imports_no_django():
    code = (
        "import sys; import factoryos.planning.engine.calendar; "
        "assert not any(m.startswith('django') for m in sys.modules), sorted(m for m in sys.modules if 'django' in m)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


# --------------------------------------------------------------------------- properties

ZONES = [
    "UTC",
    "America/Chicago",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # 30-minute DST
    "Europe/London",
    "Pacific/Chatham",  # +12:45 / +13:45
    "Asia/Kolkata",
]
# Local dates of DST transitions (and their neighbours) in 2026 for the zones above.
TRANSITION_DAYS = [
    date(2026, 3, 8),
    date(2026, 11, 1),
    date(2026, 4, 5),
    date(2026, 10, 4),
    date(2026, 3, 29),
    date(2026, 10, 25),
    date(2026, 9, 27),
]
START_ZONES = [UTC, timezone(timedelta(hours=-3, minutes=-30)), CHICAGO, SYDNEY, ZoneInfo("Europe/London")]
PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Local times around the DST gaps/repeats of ZONES (and common shift bounds), drawn often.
DST_TIMES = [0, 60, 90, 120, 135, 150, 165, 180, 195, 225, 360, 1320]


@st.composite
def times(draw, whole_minutes: bool) -> time:
    minute_of_day = draw(st.one_of(st.integers(0, 24 * 60 - 1), st.sampled_from(DST_TIMES)))
    second = 0 if whole_minutes else draw(st.sampled_from([0, 0, 0, 15, 59]))
    return time(minute_of_day // 60, minute_of_day % 60, second)


@st.composite
def local_ranges(draw, whole_minutes: bool, max_minutes: int) -> tuple[datetime, datetime]:
    """A (start, end) closure/overtime range: naive local wall clock (always, if whole_minutes), or aware."""
    day = draw(st.sampled_from(TRANSITION_DAYS)) + timedelta(days=draw(st.integers(-10, 10)))
    start = datetime.combine(day, draw(times(whole_minutes)))
    end = start + timedelta(minutes=draw(st.integers(1, max_minutes)))
    if whole_minutes or draw(st.booleans()):
        return start, end
    zone = draw(st.sampled_from(START_ZONES))
    return start.replace(tzinfo=zone), end.replace(tzinfo=zone)


@st.composite
def calendars(draw, whole_minutes: bool = False, tz: str | None = None) -> WorkCalendar:
    tz = tz or draw(st.sampled_from(ZONES))
    shift = st.builds(Shift, times(whole_minutes), times(whole_minutes))
    weekly = {wd: draw(st.lists(shift, max_size=3)) for wd in range(7) if draw(st.booleans())}
    if not any(weekly.values()):
        weekly[draw(st.integers(0, 6))] = [draw(shift)]
    days = st.sampled_from(TRANSITION_DAYS).flatmap(lambda d: st.integers(-10, 10).map(lambda n: d + timedelta(n)))
    return WorkCalendar(
        tz,
        weekly,
        holidays=draw(st.lists(days, max_size=6)),
        closures=draw(st.lists(local_ranges(whole_minutes, 3 * 24 * 60), max_size=4)),
        overtime=draw(st.lists(local_ranges(whole_minutes, 12 * 60), max_size=2)),
    )


def weekly_minutes(cal: WorkCalendar) -> float:
    """Nominal (non-DST) working minutes of one week's shifts, before merging: a scale for drawing minutes."""
    return sum((s.span[1] - s.span[0]) / timedelta(minutes=1) for shifts in cal.weekly.values() for s in shifts)


instants = st.one_of(
    st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.sampled_from(START_ZONES)),
    st.builds(
        lambda d, minutes, zone: datetime.combine(d, time(), zone) + timedelta(minutes=minutes),
        st.sampled_from(TRANSITION_DAYS),
        st.integers(-2 * 24 * 60, 2 * 24 * 60),
        st.sampled_from(START_ZONES),
    ),
)


@st.composite
def minutes_for(draw, cal: WorkCalendar) -> float:
    """A positive amount of minutes: up to about ten weeks of this calendar's work (keeps walks short)."""
    scale = max(weekly_minutes(cal), 1.0)
    return draw(
        st.one_of(
            st.floats(0.001, 10 * scale, allow_nan=False, allow_infinity=False),
            st.integers(1, max(1, int(10 * scale))),
            st.sampled_from([1, 60, 480]),
        )
    )


def containing(cal: WorkCalendar, instant: datetime) -> list[tuple[datetime, datetime]]:
    """The working intervals (near `instant`) with start <= instant <= end."""
    near = cal.intervals(instant - timedelta(days=3), instant + timedelta(days=3))
    return [(s, e) for s, e in near if s <= instant <= e]


@PROPS
@given(data=st.data(), cal=calendars(), start=instants)
def test_add_then_measure_gives_the_minutes_back(data, cal, start):
    minutes = data.draw(minutes_for(cal))
    end = cal.add_working_minutes(start, minutes)
    assert end.tzinfo is UTC and end >= start
    assert cal.working_minutes(start, end) == pytest.approx(minutes, abs=1e-6)
    # The result is inside or at the end of a working interval (never in a gap after it).
    assert any(s < end <= e for s, e in containing(cal, end))
    # Backwards: the latest instant with that much work before `start`, and back again.
    begin = cal.add_working_minutes(start, -minutes)
    assert begin <= start
    assert cal.working_minutes(begin, start) == pytest.approx(minutes, abs=1e-6)
    assert any(s <= begin < e for s, e in containing(cal, begin))
    assert cal.add_working_minutes(end, -minutes) == cal.next_working_instant(start)


@PROPS
@given(data=st.data(), cal=calendars(), start=instants)
def test_add_is_monotone_in_minutes(data, cal, start):
    m1 = data.draw(minutes_for(cal))
    m2 = data.draw(minutes_for(cal))
    m1, m2 = sorted((m1, m2))
    assert cal.add_working_minutes(start, m1) <= cal.add_working_minutes(start, m2)
    assert cal.add_working_minutes(start, -m1) >= cal.add_working_minutes(start, -m2)
    nxt = cal.next_working_instant(start)
    assert nxt >= start
    assert cal.working_minutes(start, nxt) == 0
    assert cal.add_working_minutes(start, m1) > nxt


@PROPS
@given(
    cal=calendars(),
    a=instants,
    gaps=st.tuples(st.integers(0, 40 * 24 * 60), st.integers(0, 40 * 24 * 60), st.integers(0, 59_999_999)),
)
def test_working_minutes_is_additive(cal, a, gaps):
    # Steps in elapsed time (UTC): adding to a local time is wall-clock arithmetic, and across a spring-forward gap
    # 02:01 + 59 minutes is 03:00 local, which is an instant *before* 02:01 (that does not exist) is taken to be.
    b = a.astimezone(UTC) + timedelta(minutes=gaps[0], microseconds=gaps[2])
    c = b + timedelta(minutes=gaps[1])
    whole = cal.working_minutes(a, c)
    assert whole == pytest.approx(cal.working_minutes(a, b) + cal.working_minutes(b, c), abs=1e-6)
    # Elapsed time, not wall-clock difference: across a DST fall-back, 02:00 to 03:00 local is two hours.
    assert 0 <= whole <= (c - a.astimezone(UTC)) / timedelta(minutes=1) + 1e-9


@PROPS
@given(cal=calendars(), a=instants, length=st.integers(0, 60 * 24 * 60))
def test_intervals_are_sorted_disjoint_bounded_and_sum_to_working_minutes(cal, a, length):
    b = a + timedelta(minutes=length)
    spans = list(cal.intervals(a, b))
    for s, e in spans:
        assert s.tzinfo is UTC and e.tzinfo is UTC
        assert a <= s < e <= b
    for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        assert e1 < s2  # disjoint and merged (never touching)
    total = sum((e - s for s, e in spans), timedelta(0))
    assert total / timedelta(minutes=1) == cal.working_minutes(a, b)
    # The same intervals, whichever way the range is cut up.
    if length:
        mid = a + timedelta(minutes=length // 3)
        halves = list(cal.intervals(a, mid)) + list(cal.intervals(mid, b))
        stitched = []
        for s, e in halves:
            if stitched and stitched[-1][1] == s:
                stitched[-1] = (stitched[-1][0], e)
            else:
                stitched.append((s, e))
        assert stitched == spans


def brute_force_minutes(cal: WorkCalendar, start: datetime, count: int) -> int:
    """Count working minutes of [start, start + count min) one UTC minute at a time, straight from the rules.

    A local bound L starts at the first instant whose wall-clock reading is >= L, so an instant u is past L
    exactly when the highest reading seen so far (`clock`) is >= L. Valid for whole-minute calendars.
    """
    zone = ZoneInfo(cal.tz)
    minute = timedelta(minutes=1)

    def local(u: datetime) -> datetime:
        return u.astimezone(zone).replace(tzinfo=None, fold=0)

    u = start - timedelta(days=1)
    clock = local(u)
    worked = 0
    while u < start + count * minute:
        clock = max(clock, local(u))
        if u >= start:
            on = False
            for day in (clock.date() - timedelta(days=1), clock.date()):
                if day in cal.holidays:
                    continue
                midnight = datetime.combine(day, time())
                for shift in cal.weekly.get(day.weekday(), ()):
                    so, eo = shift.span
                    on = on or midnight + so <= clock < midnight + eo
            on = on or any(s <= clock < e for s, e in cal.overtime)
            on = on and not any(s <= clock < e for s, e in cal.closures)
            worked += on
        u += minute
    return worked


# (zone, local date of a DST transition) in 2026.
TRANSITIONS = [
    ("America/Chicago", date(2026, 3, 8)),
    ("America/Chicago", date(2026, 11, 1)),
    ("Australia/Sydney", date(2026, 4, 5)),
    ("Australia/Sydney", date(2026, 10, 4)),
    ("Australia/Lord_Howe", date(2026, 4, 5)),
    ("Australia/Lord_Howe", date(2026, 10, 4)),
    ("Europe/London", date(2026, 3, 29)),
    ("Europe/London", date(2026, 10, 25)),
    ("Pacific/Chatham", date(2026, 4, 5)),
    ("Pacific/Chatham", date(2026, 9, 27)),
]


@settings(max_examples=60, deadline=None)
@given(
    zone_day=st.sampled_from(TRANSITIONS).flatmap(lambda zd: st.tuples(calendars(True, zd[0]), st.just(zd[1]))),
    shift=st.integers(-36, 12),
)
def test_working_minutes_match_a_minute_by_minute_oracle_around_dst(zone_day, shift):
    cal, day = zone_day
    start = datetime.combine(day, time(), UTC) + timedelta(hours=shift)
    count = 2 * 24 * 60
    assert cal.working_minutes(start, start + timedelta(minutes=count)) == brute_force_minutes(cal, start, count)
