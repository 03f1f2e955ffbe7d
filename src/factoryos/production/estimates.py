"""Estimates that learn (decision 0014): each completed operation's estimated beside actual setup and run time, the
same by work center and by item, and the standard times an operation's last runs suggest.

- *Estimated* is what release planned: the routing's standard time copied onto the job card, divided by the work
  center's efficiency at release (as the planned cost is).
- *Actual* is what the operators logged: the setup minutes (time logs of the setup phase), and the run minutes per
  unit (the run phase's minutes over what was reported, good and scrap). Minutes are summed over the operators on
  the card, as the actual cost counts them.
- A run is evidence for a phase only if it logged time for it: no setup logged, no setup actual; no run time or
  nothing reported, no run actual. A card that planned a setup and logged none (time logged before the floor
  recorded phases) has its setup inside its run time, so its run time is no evidence either.
- A suggestion for a routing operation rests on the last ``RUNS`` completed runs that are evidence for the phase,
  of the same item, at the same step (sequence) and work center, whatever the revision they were released from (a
  new revision copies the routing: its history is the same work). It is the median of their actuals (the engine:
  ``planning.engine.estimates``), and it is made when it rests on at least ``LEAST_RUNS`` runs and changes the
  standard by more than ``THRESHOLD_PCT`` percent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from factoryos.catalog.models import BomStatus, Operation
from factoryos.kernel.reads import Reader
from factoryos.planning.engine.estimates import Learned, deviation_pct, learn
from factoryos.production.filters import EstimateFilterSet
from factoryos.production.models import JobCard, JobStatus, Phase, TimeLog

RUNS = 10  # a suggestion rests on an operation's last RUNS completed runs that logged time for the phase
LEAST_RUNS = 3  # ... and is made from this many runs on
THRESHOLD_PCT = Decimal(5)  # ... when it changes the standard time by more than this
RECENT_DAYS = 90  # the estimates' period unless one is asked for
LATEST = 50  # the completed operations listed one by one
ZERO = Decimal(0)
SETUP_PLACES = Decimal("0.01")  # minutes, as catalog.Operation keeps them
RUN_PLACES = Decimal("0.0001")  # minutes per unit
MINUTES: DecimalField[Any, Any] = DecimalField(max_digits=14, decimal_places=2)
_KEY = (F("work_order__item_id"), F("sequence"), F("work_center_id"))


def _logged(phase: str) -> Coalesce:
    minutes = (
        TimeLog.objects.filter(job_card=OuterRef("pk"), phase=phase)
        .order_by()
        .values("job_card")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    return Coalesce(Subquery(minutes, output_field=MINUTES), Value(ZERO), output_field=MINUTES)


def with_actuals(cards: QuerySet[JobCard]) -> QuerySet[JobCard]:
    """``cards`` with the minutes logged for setup (``setup_logged``) and run (``run_logged``), and whether each is
    evidence of its actual setup (``setup_evidence``) and run time (``run_evidence``): the rules, once."""
    return cards.annotate(
        setup_logged=_logged(Phase.SETUP),
        run_logged=_logged(Phase.RUN),
        any_setup=Exists(TimeLog.objects.filter(job_card=OuterRef("pk"), phase=Phase.SETUP)),
    ).annotate(
        setup_evidence=ExpressionWrapper(Q(setup_logged__gt=0), output_field=BooleanField()),
        run_evidence=ExpressionWrapper(
            Q(run_logged__gt=0)
            & (Q(quantity_good__gt=0) | Q(quantity_scrap__gt=0))
            & (Q(setup_minutes=0) | Q(any_setup=True)),
            output_field=BooleanField(),
        ),
    )


def _completed() -> QuerySet[JobCard]:
    done = JobCard.objects.filter(status=JobStatus.DONE, supplier__isnull=True)
    return with_actuals(done.select_related("work_order__item__uom", "work_center")).order_by("-done_at", "-pk")


# The completed operations done here (not outside), newest first, with their actual minutes.
completed = Reader(JobCard, queryset=_completed, filterset=EstimateFilterSet)


def criteria(params: Mapping[str, Any]) -> dict[str, Any]:
    """The filters asked for; without a period, the last ``RECENT_DAYS`` days."""
    data = {name: params.get(name) for name in EstimateFilterSet.base_filters if params.get(name) not in (None, "")}
    if "done_from" not in data and "done_to" not in data:
        data["done_from"] = (timezone.localdate() - timedelta(days=RECENT_DAYS)).isoformat()
    return data


def _value(card: JobCard, name: str) -> Any:
    return getattr(card, name)  # an annotation of with_actuals


@dataclass(frozen=True)
class Run:
    """One completed operation: estimated (planned at release) beside actual setup minutes and run minutes per unit;
    an actual is None when the run is no evidence of it."""

    card: JobCard
    made: Decimal
    estimated_setup: Decimal
    actual_setup: Decimal | None
    estimated_run: Decimal  # per unit
    actual_run: Decimal | None  # per unit
    run_minutes: Decimal | None  # the run's minutes in all

    @property
    def setup_deviation(self) -> Decimal | None:
        return None if self.actual_setup is None else deviation_pct(self.estimated_setup, self.actual_setup)

    @property
    def run_deviation(self) -> Decimal | None:
        return None if self.actual_run is None else deviation_pct(self.estimated_run, self.actual_run)


def run_of(card: JobCard) -> Run:
    """A card read through ``with_actuals`` as estimated beside actual."""
    factor = card.time_factor
    made = card.quantity_good + card.quantity_scrap
    run_minutes = _value(card, "run_logged") if _value(card, "run_evidence") else None
    return Run(
        card=card,
        made=made,
        estimated_setup=(card.setup_minutes * factor).quantize(SETUP_PLACES),
        actual_setup=_value(card, "setup_logged").quantize(SETUP_PLACES) if _value(card, "setup_evidence") else None,
        estimated_run=(card.run_minutes_per_unit * factor).quantize(RUN_PLACES),
        actual_run=None if run_minutes is None else (run_minutes / made).quantize(RUN_PLACES),
        run_minutes=None if run_minutes is None else run_minutes.quantize(SETUP_PLACES),
    )


@dataclass
class Group:
    """The runs of a work center or an item: minutes estimated beside actual, each phase over the runs that are
    evidence of it (run minutes for what those runs made)."""

    pk: Any
    code: str
    name: str
    runs: int = 0
    setup_runs: int = 0
    estimated_setup: Decimal = ZERO
    actual_setup: Decimal = ZERO
    run_runs: int = 0
    made: Decimal = ZERO
    estimated_run: Decimal = ZERO
    actual_run: Decimal = ZERO

    def add(self, run: Run) -> None:
        self.runs += 1
        if run.actual_setup is not None:
            self.setup_runs += 1
            self.estimated_setup += run.estimated_setup
            self.actual_setup += run.actual_setup
        if run.run_minutes is not None:
            self.run_runs += 1
            self.made += run.made
            self.estimated_run += (run.estimated_run * run.made).quantize(SETUP_PLACES)
            self.actual_run += run.run_minutes

    @property
    def setup_deviation(self) -> Decimal | None:
        return deviation_pct(self.estimated_setup, self.actual_setup) if self.setup_runs else None

    @property
    def run_deviation(self) -> Decimal | None:
        return deviation_pct(self.estimated_run, self.actual_run) if self.run_runs else None


@dataclass(frozen=True)
class Summary:
    count: int
    latest: list[Run]
    by_work_center: list[Group]
    by_item: list[Group]
    total: Group


def summary(cards: Iterable[JobCard]) -> Summary:
    """Estimated beside actual for ``cards`` (read through ``with_actuals``, newest first): all of them by work center
    and by item, and in total; the latest ``LATEST`` one by one."""
    centers: dict[Any, Group] = {}
    items: dict[Any, Group] = {}
    total = Group(pk=None, code="", name="All")
    latest: list[Run] = []
    for card in cards:
        run = run_of(card)
        center, item = card.work_center, card.work_order.item
        centers.setdefault(center.pk, Group(center.pk, center.code, center.name)).add(run)
        items.setdefault(item.pk, Group(item.pk, item.sku, item.name)).add(run)
        total.add(run)
        if len(latest) < LATEST:
            latest.append(run)
    return Summary(
        count=total.runs,
        latest=latest,
        by_work_center=sorted(centers.values(), key=lambda g: g.code),
        by_item=sorted(items.values(), key=lambda g: g.code),
        total=total,
    )


# -- suggestions -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Suggestion:
    """What an operation's last runs say about its standard setup and run time (either may be None: no runs)."""

    operation: Operation
    setup: Learned | None
    run: Learned | None

    def parts(self) -> list[tuple[str, Learned]]:
        return [
            (name, part) for name, part in (("setup_minutes", self.setup), ("run_minutes_per_unit", self.run)) if part
        ]

    @property
    def worth_it(self) -> bool:
        return any(part.worth_it for _, part in self.parts())

    def changes(self) -> dict[str, Decimal]:
        """The standard times accepting it sets: the parts worth suggesting."""
        return {name: part.suggested for name, part in self.parts() if part.worth_it}

    def metadata(self) -> dict[str, Any]:
        """What an accepted suggestion rests on, for its audit event."""
        learned: dict[str, Any] = {
            name: {"runs": part.runs, "median": str(part.median), "from": str(part.current), "to": str(part.suggested)}
            for name, part in self.parts()
            if part.worth_it
        }
        center = self.operation.work_center
        return {
            "learned": {"method": "median", "of_last": RUNS, "efficiency_pct": str(center.efficiency_pct), **learned}
        }


def _last_runs(item_ids: set[int], evidence: str) -> dict[tuple[int, int, int], list[Decimal]]:
    """The actuals (setup minutes, or run minutes per unit) of the last ``RUNS`` runs that are evidence of the phase,
    per (item, sequence, work center), most recent first."""
    rows = (
        with_actuals(
            JobCard.objects.filter(status=JobStatus.DONE, supplier__isnull=True, work_order__item_id__in=item_ids)
        )
        .filter(**{evidence: True})
        .annotate(
            latest=Window(
                RowNumber(), partition_by=list(_KEY), order_by=[F("done_at").desc(nulls_last=True), F("pk").desc()]
            )
        )
        .filter(latest__lte=RUNS)
        .order_by("latest")
        .values_list(
            "work_order__item_id",
            "sequence",
            "work_center_id",
            "setup_logged",
            "run_logged",
            "quantity_good",
            "quantity_scrap",
        )
    )
    found: dict[tuple[int, int, int], list[Decimal]] = {}
    for item, sequence, center, setup, run, good, scrap in rows:
        actual = (
            setup.quantize(SETUP_PLACES)
            if evidence == "setup_evidence"
            else (run / (good + scrap)).quantize(RUN_PLACES)
        )
        found.setdefault((item, sequence, center), []).append(actual)
    return found


def suggestions(operations: Iterable[Operation]) -> dict[int, Suggestion]:
    """What the last runs suggest for each of ``operations`` (by id) that is done here (not outside), on a draft or
    the released revision (an obsolete one is history). Two queries, whatever the number of operations; give the
    operations with their revision and work center."""
    chosen = [op for op in operations if op.supplier_id is None and op.bom.status != BomStatus.OBSOLETE]
    if not chosen:
        return {}
    items = {op.bom.item_id for op in chosen}
    setups, runs = _last_runs(items, "setup_evidence"), _last_runs(items, "run_evidence")

    def learned(current: Decimal, actuals: list[Decimal], op: Operation, places: Decimal) -> Learned | None:
        return learn(
            current, actuals, efficiency_pct=op.work_center.efficiency_pct, places=places, least_runs=LEAST_RUNS,
            threshold_pct=THRESHOLD_PCT,
        )  # fmt: skip

    result = {}
    for op in chosen:
        key = (op.bom.item_id, op.sequence, op.work_center_id)
        result[op.pk] = Suggestion(
            operation=op,
            setup=learned(op.setup_minutes, setups.get(key, []), op, SETUP_PLACES),
            run=learned(op.run_minutes_per_unit, runs.get(key, []), op, RUN_PLACES),
        )
    return result
