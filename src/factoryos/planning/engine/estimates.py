"""Standard times that learn from the floor: what the last runs of an operation say its setup and run time should be.

Pure Python (no Django): plain decimals in, a plain answer out. Rules, in one place:

* A run's actual is what its operators logged for one phase: the setup minutes, or the run minutes per unit made
  (good and scrap). A run that logged nothing for the phase is no evidence; the caller leaves it out.
* The suggestion is the *median* of the runs' actuals, not their mean: one job that stalled for an afternoon (a
  breakdown, a missing drawing) moves a mean a long way and a median not at all. With an even number of runs it is
  the mean of the two middle ones.
* A standard time is at 100 % efficiency: planning divides it by the work center's efficiency (at 80 % an operation
  takes 1.25 times its standard). So the suggested standard is the median actual times the efficiency: planned
  with it, the next order expects what the runs took.
* A suggestion is worth making when it rests on at least ``least_runs`` runs and differs from the current standard
  by more than ``threshold_pct`` percent (from a standard of zero: any time at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["Learned", "deviation_pct", "learn", "median"]

_HUNDRED = Decimal(100)
_PCT = Decimal("0.1")


def median(values: Sequence[Decimal]) -> Decimal:
    """The middle value (the mean of the two middle ones for an even count); ``ValueError`` for none."""
    if not values:
        raise ValueError("the median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def deviation_pct(estimated: Decimal, actual: Decimal) -> Decimal | None:
    """How far ``actual`` is from ``estimated``, in percent of the estimate (one decimal); None without an estimate."""
    if estimated <= 0:
        return None
    return ((actual - estimated) * _HUNDRED / estimated).quantize(_PCT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Learned:
    """What the runs say about one standard time: the current one, the median of the runs' actuals, the standard
    that would plan that median (``suggested``), how many runs it rests on, and whether it is worth suggesting."""

    current: Decimal
    median: Decimal
    suggested: Decimal
    runs: int
    worth_it: bool

    @property
    def change_pct(self) -> Decimal | None:
        """The suggestion's change from the current standard, in percent (None from a standard of zero)."""
        return deviation_pct(self.current, self.suggested)


def learn(
    current: Decimal,
    actuals: Sequence[Decimal],
    *,
    efficiency_pct: Decimal = _HUNDRED,
    places: Decimal = Decimal("0.01"),
    least_runs: int = 3,
    threshold_pct: Decimal = Decimal(5),
) -> Learned | None:
    """The standard time ``actuals`` (the last runs' minutes, most recent first or in any order) suggest in place of
    ``current``, rounded to ``places``; None without any run."""
    if efficiency_pct <= 0:
        raise ValueError(f"efficiency_pct must be positive, got {efficiency_pct}")
    if not actuals:
        return None
    middle = median(actuals)
    suggested = (middle * efficiency_pct / _HUNDRED).quantize(places, rounding=ROUND_HALF_UP)
    # from a standard of zero, any time at all is a change worth suggesting
    changed = abs(suggested - current) * _HUNDRED / current > threshold_pct if current > 0 else suggested > 0
    return Learned(
        current=current,
        median=middle,
        suggested=suggested,
        runs=len(actuals),
        worth_it=changed and len(actuals) >= least_runs,
    )
