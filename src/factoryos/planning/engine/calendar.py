"""Working-time calendar: weekly shifts, holidays, closures and overtime in local wall-clock time, answered in UTC.

Pure Python (no Django). Rules, in one place:

* A ``Shift`` is a local wall-clock range on the day it starts. ``end <= start`` means it ends on the next day
  (22:00-06:00); ``end == start`` is a 24-hour shift. Shifts of one day may touch or overlap: they are merged.
* A holiday is a whole local date. It cancels every shift that *starts* on that date; a night shift that started
  the evening before still runs into the holiday morning. Overtime windows are not cancelled by holidays.
* Working time = (shifts of non-holiday days  UNION  overtime)  MINUS  closures. Closures win over overtime.
* Closures and overtime are ``(start, end)`` pairs of datetimes. An aware datetime (any tz) is an instant; a naive
  one is local wall-clock time in the calendar's zone (honouring ``fold=1`` for the second occurrence of a
  repeated hour). ``end < start`` raises ``ValueError``; an empty range is ignored.
* Local wall-clock time -> instant: a local time L becomes the first instant whose wall-clock reading is >= L.
  So a time that occurs twice (fall-back) means its first occurrence, and a time that does not exist (inside
  the spring-forward gap) means the instant of the transition. Hence a shift spanning the spring-forward gap is
  one hour (the gap) shorter in real time, one spanning the fall-back repeat one hour longer.
* Queries take aware datetimes (any tz; naive raises ``ValueError``) and return aware UTC datetimes.
* ``add_working_minutes`` with negative minutes walks backwards (for backward scheduling). Searches give up with
  ``NoWorkingTimeError`` after ``SEARCH_LIMIT`` of consecutive non-working time.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from numbers import Real
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["SEARCH_LIMIT", "Interval", "NoWorkingTimeError", "Shift", "WorkCalendar"]

Interval = tuple[datetime, datetime]

# A search (add_working_minutes, next_working_instant) gives up after this much consecutive non-working time.
SEARCH_LIMIT = timedelta(days=3660)

_CHUNK = timedelta(days=14)  # intervals are computed this many days at a time
_DAY = timedelta(days=1)
_ZERO = timedelta(0)
_MINUTE = timedelta(minutes=1)
_MICROSECOND = timedelta(microseconds=1)
_US_PER_MINUTE = 60_000_000
_FIRST_DAY = date(1, 1, 3)  # stay clear of datetime's range limits when expanding days
_LAST_DAY = date(9999, 12, 29)
_UTC_MIN = datetime(1, 2, 1, tzinfo=UTC)  # searches stop here (a chunk further stays in range)
_UTC_MAX = datetime(9999, 12, 1, tzinfo=UTC)


class NoWorkingTimeError(ValueError):
    """No (or not enough) working time within SEARCH_LIMIT of consecutive non-working time."""


def _offset(t: time) -> timedelta:
    """Time of day as an offset from midnight."""
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


@dataclass(frozen=True)
class Shift:
    """A shift in local wall-clock time on the day it starts; end <= start ends the next day (end == start: 24 h)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        """Check both ends are naive times."""
        for value in (self.start, self.end):
            if not isinstance(value, time):
                raise TypeError(f"Shift start/end must be datetime.time, got {type(value).__name__}")
            if value.tzinfo is not None:
                raise ValueError("Shift times are local wall-clock times and must be naive")

    @property
    def span(self) -> tuple[timedelta, timedelta]:
        """Start and end as offsets from the local midnight of the shift's day (end in (start, start + 24 h])."""
        start, end = _offset(self.start), _offset(self.end)
        if end <= start:
            end += _DAY
        return start, end


def _merge(intervals: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Merge sorted intervals (of times of day or of instants) that overlap or touch."""
    merged: list[tuple[Any, Any]] = []
    for s, e in intervals:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    """Remove sorted disjoint holes from sorted disjoint intervals."""
    if not holes:
        return intervals
    result: list[Interval] = []
    i = 0
    for s, e in intervals:
        while i < len(holes) and holes[i][1] <= s:
            i += 1
        j = i
        while j < len(holes) and holes[j][0] < e:
            hs, he = holes[j]
            if hs > s:
                result.append((s, hs))
            s = max(s, he)
            if s >= e:
                break
            j += 1
        if s < e:
            result.append((s, e))
    return result


def _utc(value: datetime, name: str) -> datetime:
    """An aware datetime as UTC; naive raises ValueError."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {value.isoformat()}")
    return value.astimezone(UTC)


@dataclass(frozen=True, eq=False)
class WorkCalendar:
    """A site's working time: weekly shifts in an IANA zone, minus holidays and closures, plus overtime."""

    tz: str
    weekly: Mapping[int, Sequence[Shift]]
    holidays: Iterable[date] = ()
    closures: Iterable[tuple[datetime, datetime]] = ()
    overtime: Iterable[tuple[datetime, datetime]] = ()
    _zone: ZoneInfo = field(init=False, repr=False)
    _pattern: tuple[tuple[tuple[timedelta, timedelta], ...], ...] = field(init=False, repr=False)
    _closures: tuple[Interval, ...] = field(init=False, repr=False)
    _closure_ends: tuple[datetime, ...] = field(init=False, repr=False)
    _overtime: tuple[Interval, ...] = field(init=False, repr=False)
    _overtime_starts: tuple[datetime, ...] = field(init=False, repr=False)
    _overtime_ends: tuple[datetime, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Validate and normalise: zone, merged per-weekday spans, frozen holidays, merged UTC closures/overtime."""
        setattr_ = object.__setattr__
        try:
            zone = ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(f"unknown time zone {self.tz!r}") from exc
        setattr_(self, "_zone", zone)

        weekly: dict[int, tuple[Shift, ...]] = {}
        for weekday, shifts in dict(self.weekly).items():
            if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
                raise ValueError(f"weekday must be an int 0 (Monday) .. 6 (Sunday), got {weekday!r}")
            shifts = tuple(shifts)
            for shift in shifts:
                if not isinstance(shift, Shift):
                    raise TypeError(f"weekly[{weekday}] must hold Shift objects, got {type(shift).__name__}")
            weekly[weekday] = shifts
        setattr_(self, "weekly", weekly)
        pattern = tuple(tuple(_merge(sorted(s.span for s in weekly.get(wd, ())))) for wd in range(7))
        setattr_(self, "_pattern", pattern)

        holidays = frozenset(self.holidays)
        for day in holidays:
            if isinstance(day, datetime) or not isinstance(day, date):
                raise TypeError(f"holidays must be dates, got {day!r}")
        setattr_(self, "holidays", holidays)

        closures = tuple(self.closures)
        setattr_(self, "closures", closures)
        merged = self._ranges_to_utc(closures, "closure")
        setattr_(self, "_closures", merged)
        setattr_(self, "_closure_ends", tuple(e for _, e in merged))

        overtime = tuple(self.overtime)
        setattr_(self, "overtime", overtime)
        merged = self._ranges_to_utc(overtime, "overtime")
        setattr_(self, "_overtime", merged)
        setattr_(self, "_overtime_starts", tuple(s for s, _ in merged))
        setattr_(self, "_overtime_ends", tuple(e for _, e in merged))

    # ----------------------------------------------------------------- conversion

    def _local_to_utc(self, local: datetime) -> datetime:
        """Naive local wall-clock time -> the first instant whose reading is >= it (gap: the transition)."""
        zone = self._zone
        instant = local.replace(tzinfo=zone).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == local:
            return instant  # exists (an ambiguous time keeps its fold: 0 = first occurrence)
        # In a spring-forward gap: fold=1 reads it with the later offset (an instant before the transition),
        # fold=0 with the earlier offset (an instant after it). Bisect for the transition itself.
        lo = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
        hi = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if lo > hi:
            lo, hi = hi, lo
        before = lo.astimezone(zone).utcoffset()
        while hi - lo > _MICROSECOND:
            mid = lo + (hi - lo) // 2
            if mid.astimezone(zone).utcoffset() == before:
                lo = mid
            else:
                hi = mid
        return hi

    def _to_utc(self, value: datetime, name: str) -> datetime:
        """A closure/overtime bound: aware -> UTC; naive -> local wall-clock in the calendar's zone."""
        if not isinstance(value, datetime):
            raise TypeError(f"{name} bounds must be datetimes, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            return self._local_to_utc(value.replace(tzinfo=None))
        return value.astimezone(UTC)

    def _ranges_to_utc(self, ranges: Iterable[tuple[datetime, datetime]], name: str) -> tuple[Interval, ...]:
        """(start, end) pairs -> sorted, merged UTC intervals; end < start raises, empty ranges are dropped."""
        result = []
        for pair in ranges:
            start, end = pair
            s, e = self._to_utc(start, name), self._to_utc(end, name)
            if e < s:
                raise ValueError(f"{name} ends before it starts: {start!r} .. {end!r}")
            if e > s:
                result.append((s, e))
        return tuple(_merge(sorted(result)))

    # ----------------------------------------------------------------- core

    @staticmethod
    def _overlapping(
        ranges: tuple[Interval, ...], ends: tuple[datetime, ...], a: datetime, b: datetime
    ) -> list[Interval]:
        """The members of sorted disjoint ranges that overlap [a, b)."""
        out: list[Interval] = []
        for i in range(bisect_right(ends, a), len(ranges)):
            if ranges[i][0] >= b:
                break
            out.append(ranges[i])
        return out

    def _window(self, a: datetime, b: datetime) -> list[Interval]:
        """Working intervals within [a, b) (UTC, a < b): sorted, disjoint, merged, clipped."""
        zone = self._zone
        raw: list[Interval] = []
        day = max(a.astimezone(zone).date() - 2 * _DAY, _FIRST_DAY)
        last = min(b.astimezone(zone).date() + _DAY, _LAST_DAY)
        while day <= last:
            spans = self._pattern[day.weekday()]
            if spans and day not in self.holidays:
                midnight = datetime.combine(day, time())
                for so, eo in spans:
                    s = self._local_to_utc(midnight + so)
                    if s >= b:
                        break
                    e = self._local_to_utc(midnight + eo)
                    if e > a and e > s:
                        raw.append((s, e))
            day += _DAY
        raw.extend(self._overlapping(self._overtime, self._overtime_ends, a, b))
        if not raw:
            return []
        raw.sort()
        working = _subtract(_merge(raw), self._overlapping(self._closures, self._closure_ends, a, b))
        out = []
        for s, e in working:
            s, e = max(s, a), min(e, b)
            if s < e:
                out.append((s, e))
        return out

    def _forward(self, t: datetime, until: datetime | None = None) -> Iterator[Interval]:
        """Working intervals from t on (to `until`, or until SEARCH_LIMIT of non-working time): merged, in order."""
        pos, pending, last_work = t, None, t
        no_shifts = not any(self._pattern)
        while until is None or pos < until:
            if no_shifts:  # only overtime can add time: jump to it, stop after the last one
                i = bisect_right(self._overtime_ends, pos)
                if i == len(self._overtime):
                    break
                if self._overtime[i][0] > pos:
                    if pending is not None:
                        yield pending
                        pending = None
                    pos = self._overtime[i][0]
                    if until is not None and pos >= until:
                        break
            if until is None and (pos - last_work > SEARCH_LIMIT or pos >= _UTC_MAX):
                break
            nxt = pos + _CHUNK if until is None else min(pos + _CHUNK, until)
            for s, e in self._window(pos, nxt):
                if pending is not None and s == pending[1]:
                    pending = (pending[0], e)
                else:
                    if pending is not None:
                        yield pending
                    pending = (s, e)
            if pending is not None:
                last_work = pending[1]
                if pending[1] < nxt:  # cannot be continued by a later chunk
                    yield pending
                    pending = None
            pos = nxt
        if pending is not None:
            yield pending

    def _backward(self, t: datetime) -> Iterator[Interval]:
        """Working intervals before t, latest first, until SEARCH_LIMIT of non-working time: merged."""
        pos, pending, last_work = t, None, t
        no_shifts = not any(self._pattern)
        while True:
            if no_shifts:
                j = bisect_left(self._overtime_starts, pos) - 1
                if j < 0:
                    break
                if self._overtime[j][1] < pos:
                    if pending is not None:
                        yield pending
                        pending = None
                    pos = self._overtime[j][1]
            if last_work - pos > SEARCH_LIMIT or pos < _UTC_MIN:
                break
            prv = pos - _CHUNK
            for s, e in reversed(self._window(prv, pos)):
                if pending is not None and e == pending[0]:
                    pending = (s, pending[1])
                else:
                    if pending is not None:
                        yield pending
                    pending = (s, e)
            if pending is not None:
                last_work = pending[0]
                if pending[0] > prv:
                    yield pending
                    pending = None
            pos = prv
        if pending is not None:
            yield pending

    # ----------------------------------------------------------------- queries

    def intervals(self, start: datetime, end: datetime) -> Iterator[Interval]:
        """Working intervals clipped to [start, end): aware UTC, sorted, disjoint and non-touching."""
        a, b = _utc(start, "start"), _utc(end, "end")
        if b <= a:
            return iter(())
        return self._forward(a, b)

    def working_minutes(self, start: datetime, end: datetime) -> float:
        """Working minutes in [start, end) (exact to the microsecond); 0.0 when end <= start."""
        total = sum((e - s for s, e in self.intervals(start, end)), _ZERO)
        return total / _MINUTE

    def next_working_instant(self, t: datetime) -> datetime:
        """The first working instant at or after t (t itself, in UTC, when t is working time)."""
        u = _utc(t, "t")
        for s, _ in self._forward(u):
            return s
        raise NoWorkingTimeError(
            f"calendar {self.tz}: no working time within {SEARCH_LIMIT.days} days after {u.isoformat()}"
        )

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        """The instant when `minutes` of working time have elapsed after start (negative: before start).

        minutes == 0 returns start unchanged. Otherwise the result is UTC: forwards it is the earliest instant r
        with working_minutes(start, r) == minutes (work begins at the next working instant if start is outside
        working time, and r ends on the working interval that completes the work); backwards it is the latest r
        with working_minutes(r, start) == -minutes. Minutes are rounded to the microsecond.
        """
        u = _utc(start, "start")
        if isinstance(minutes, bool) or not isinstance(minutes, Real):
            raise TypeError(f"minutes must be a real number, got {type(minutes).__name__}")
        if isinstance(minutes, int):
            micros = abs(minutes) * _US_PER_MINUTE
        else:
            value = float(minutes)
            if not math.isfinite(value):
                raise ValueError(f"minutes must be finite, got {minutes!r}")
            micros = round(abs(value) * _US_PER_MINUTE)
        if minutes == 0:
            return start
        try:
            need = timedelta(microseconds=micros)
        except OverflowError as exc:
            raise ValueError(f"minutes out of range: {minutes!r}") from exc
        if minutes > 0:
            for s, e in self._forward(u):
                if e - s >= need:
                    return s + need
                need -= e - s
        else:
            for s, e in self._backward(u):
                if e - s >= need:
                    return e - need
                need -= e - s
        direction = "after" if minutes > 0 else "before"
        raise NoWorkingTimeError(
            f"calendar {self.tz}: {minutes} working minutes {direction} {u.isoformat()} not available; "
            f"{need / _MINUTE} minutes missing when {SEARCH_LIMIT.days} days passed without working time"
        )
