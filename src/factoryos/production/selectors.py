"""Reads of production (each a Reader: see kernel/reads.py), what a material still holds, a work center's queue and
a work order's cost, planned beside actual."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from factoryos.inventory.models import MoveReason, Reservation, ReservationStatus, StockMove
from factoryos.kernel.reads import Reader
from factoryos.production import filters
from factoryos.production.models import (
    ON_THE_FLOOR,
    CheckResult,
    Downtime,
    JobCard,
    JobCheck,
    JobStatus,
    MaterialReservation,
    NonConformance,
    ProductionReport,
    TimeLog,
    WorkOrder,
    WorkOrderMaterial,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")

work_orders = Reader(
    WorkOrder,
    queryset=lambda: WorkOrder.objects.select_related("item__uom", "bom", "location", "sales_order_line__order"),
    filterset=filters.WorkOrderFilterSet,
)
job_cards = Reader(
    JobCard,
    queryset=lambda: JobCard.objects.select_related(
        "work_order__item__uom", "work_center", "supplier", "purchase_order_line__purchase_order"
    ),
    filterset=filters.JobCardFilterSet,
)
materials = Reader(
    WorkOrderMaterial,
    queryset=lambda: WorkOrderMaterial.objects.select_related("work_order", "item__uom", "job_card"),
    filterset=filters.WorkOrderMaterialFilterSet,
)
material_reservations = Reader(
    MaterialReservation,
    queryset=lambda: MaterialReservation.objects.select_related("material", "reservation"),
    filterset=filters.MaterialReservationFilterSet,
)
time_logs = Reader(
    TimeLog,
    queryset=lambda: TimeLog.objects.select_related("job_card__work_order", "operator"),
    filterset=filters.TimeLogFilterSet,
)
job_checks = Reader(
    JobCheck,
    queryset=lambda: JobCheck.objects.select_related("job_card__work_order"),
    filterset=filters.JobCheckFilterSet,
)
check_results = Reader(
    CheckResult,
    queryset=lambda: CheckResult.objects.select_related("job_check__job_card", "operator"),
    filterset=filters.CheckResultFilterSet,
)
non_conformances = Reader(
    NonConformance,
    queryset=lambda: NonConformance.objects.select_related(
        "work_order__item", "job_card__work_center", "result", "created_by"
    ),
    filterset=filters.NonConformanceFilterSet,
)
downtimes = Reader(
    Downtime, queryset=lambda: Downtime.objects.select_related("work_center"), filterset=filters.DowntimeFilterSet
)
production_reports = Reader(
    ProductionReport,
    queryset=lambda: ProductionReport.objects.select_related("job_card__work_order", "operator"),
    filterset=filters.ProductionReportFilterSet,
)


def held(material: WorkOrderMaterial) -> Decimal:
    """What the material's active reservations still hold."""
    rows = Reservation.objects.filter(
        pk__in=material.reservations.values("reservation_id"), status=ReservationStatus.ACTIVE
    ).values_list("quantity", "consumed")
    return sum((quantity - consumed for quantity, consumed in rows), ZERO)


def queue(work_center_id: int) -> QuerySet[JobCard]:
    """A work center's open operations in the order to run them: running and paused first, then by the order's
    priority and due date (the scheduler's sequence replaces this once there is a published schedule)."""
    return (
        JobCard.objects.filter(work_center_id=work_center_id, work_order__status__in=ON_THE_FLOOR)
        .exclude(status=JobStatus.DONE)
        .select_related("work_order__item__uom", "work_center", "supplier")
        .order_by("work_order__priority", "work_order__due_date", "work_order_id", "sequence")
    )


def waiting(cards: list[JobCard]) -> dict[int, Decimal]:
    """What is at each of ``cards`` to work on (arrived, not reported yet), in one query for them all: the order's
    quantity at a first operation, the good output of the operation before it after."""
    steps: dict[int, list[tuple[int, Decimal]]] = {}
    rows = JobCard.objects.filter(work_order_id__in={card.work_order_id for card in cards})
    for order_id, sequence, good in rows.values_list("work_order_id", "sequence", "quantity_good"):
        steps.setdefault(order_id, []).append((sequence, good))
    result = {}
    for card in cards:
        before = [(seq, good) for seq, good in steps.get(card.work_order_id, []) if seq < card.sequence]
        arrived = max(before)[1] if before else card.work_order.quantity
        result[card.pk] = arrived - card.reported
    return result


@dataclass(frozen=True)
class Cost:
    """A work order's cost: planned at release, actual from what was issued, the time logged and what was scrapped
    (scrap is part of the actual material and time already; it is shown on its own to be seen)."""

    planned_material: Decimal
    planned_labour: Decimal
    planned_machine: Decimal
    planned_outside: Decimal
    actual_material: Decimal
    actual_labour: Decimal
    actual_machine: Decimal
    actual_outside: Decimal
    scrap: Decimal

    @property
    def planned(self) -> Decimal:
        return self.planned_material + self.planned_labour + self.planned_machine + self.planned_outside

    @property
    def actual(self) -> Decimal:
        return self.actual_material + self.actual_labour + self.actual_machine + self.actual_outside

    @property
    def variance(self) -> Decimal:
        return self.actual - self.planned


def minutes_by_card(order: WorkOrder) -> dict[int, Decimal]:
    """The minutes logged on each of the order's job cards (closed logs: a running clock counts once it stops)."""
    rows = TimeLog.objects.filter(job_card__work_order=order).values("job_card_id").annotate(m=Sum("minutes"))
    return {row["job_card_id"]: row["m"] for row in rows}


def costs(orders: Iterable[WorkOrder]) -> dict[int, Cost]:
    """The cost of each of ``orders`` by its id, in five queries however many there are: the job cards (with their
    service order lines), the minutes logged per card, and the issues, scrap reports and non-conformances summed per
    order. Given a queryset, the queries select by it (a subquery) rather than by a list of its ids."""
    listed = list(orders)
    if not listed:
        return {}
    among = _among(orders, listed, "pk")
    labour: dict[int, Decimal] = {}
    machine: dict[int, Decimal] = {}
    outside: dict[int, Decimal] = {}
    cards = JobCard.objects.filter(work_order__in=among).select_related("purchase_order_line__purchase_order")
    rates = {card.pk: card for card in cards.order_by()}
    for card in rates.values():  # what the suppliers did, at the service order's price (in our currency)
        line = card.purchase_order_line
        if line is not None:
            done = line.received * line.net_unit_price * line.purchase_order.exchange_rate
            outside[card.work_order_id] = outside.get(card.work_order_id, ZERO) + done
    logged = TimeLog.objects.filter(job_card__work_order__in=among).values("job_card_id").annotate(m=Sum("minutes"))
    for row in logged.order_by():  # closed logs: a running clock counts once it stops
        card = rates[row["job_card_id"]]
        order_id = card.work_order_id
        labour[order_id] = labour.get(order_id, ZERO) + row["m"] / 60 * card.labour_rate
        machine[order_id] = machine.get(order_id, ZERO) + row["m"] / 60 * card.machine_rate
    material = _sums(WorkOrderMaterial.objects.filter(work_order__in=among), "work_order_id", "issued_cost")
    reports = ProductionReport.objects.filter(job_card__work_order__in=among)
    scrap = _sums(reports, "job_card__work_order_id", "scrap_cost")
    for order_id, amount in _sums(NonConformance.objects.filter(work_order__in=among), "work_order_id", "cost").items():
        scrap[order_id] = scrap.get(order_id, ZERO) + amount
    return {
        order.pk: Cost(
            planned_material=order.planned_material_cost,
            planned_labour=order.planned_labour_cost,
            planned_machine=order.planned_machine_cost,
            planned_outside=order.planned_outside_cost,
            actual_material=_cents(material.get(order.pk, ZERO)),
            actual_labour=_cents(labour.get(order.pk, ZERO)),
            actual_machine=_cents(machine.get(order.pk, ZERO)),
            actual_outside=_cents(outside.get(order.pk, ZERO)),
            scrap=_cents(scrap.get(order.pk, ZERO)),
        )
        for order in listed
    }


def cost(order: WorkOrder) -> Cost:
    """One work order's cost, planned beside actual (see ``costs``)."""
    return costs([order])[order.pk]


def _among(orders: Iterable[WorkOrder], listed: list[WorkOrder], field: str) -> Any:
    """What selects ``orders`` by ``field`` in a lookup: a subquery of a queryset, else the values of the list."""
    if isinstance(orders, QuerySet) and not orders.query.is_sliced:
        return orders.values(field)
    return [getattr(order, field) for order in listed]


def _sums(rows: QuerySet[Any], key: str, field: str) -> dict[int, Decimal]:
    """``field`` summed per ``key`` (an order's id) over ``rows``, in one query."""
    grouped = rows.values(key).annotate(s=Sum(field)).order_by()
    return {row[key]: row["s"] or ZERO for row in grouped}


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Wip:
    """A work order's work in process: what it has cost so far (its actual cost: material issued, time logged, outside
    work received) less what its finished goods took out of it as they went into stock, at the unit cost their
    production moves carry (the order's planned unit cost, inventory.services.stock_produce)."""

    cost: Cost
    finished: Decimal

    @property
    def value(self) -> Decimal:
        return self.cost.actual - self.finished


def finished_values(orders: Iterable[WorkOrder]) -> dict[int, Decimal]:
    """The value of what each of ``orders`` has put into stock, by its id, in one query: its production moves in the
    stock ledger (reason production, referencing the order's number, of the order's item), quantity x unit cost."""
    listed = list(orders)
    by_number = {order.number: order for order in listed}
    values = dict.fromkeys((order.pk for order in listed), ZERO)
    if not listed:
        return values
    moves = StockMove.objects.filter(reason=MoveReason.PRODUCTION, reference__in=_among(orders, listed, "number"))
    grouped = moves.values("reference", "item_id", "unit_cost").annotate(q=Sum("quantity")).order_by()
    for row in grouped:
        order = by_number[row["reference"]]
        if row["item_id"] == order.item_id:
            values[order.pk] += row["q"] * (row["unit_cost"] or ZERO)
    return {order_id: _cents(value) for order_id, value in values.items()}


def wips(orders: Iterable[WorkOrder]) -> dict[int, Wip]:
    """The work in process of each of ``orders`` by its id (see ``Wip``), in a constant number of queries."""
    listed = orders if isinstance(orders, QuerySet) else list(orders)  # a queryset runs once, then is cached
    cost_of, finished = costs(listed), finished_values(listed)
    return {order_id: Wip(cost_of[order_id], finished[order_id]) for order_id in cost_of}


def ncr_trend(rows: QuerySet[NonConformance]) -> dict[str, list[dict[str, object]]]:
    """Non-conformances and their cost by item, by work center and by root cause (most costly first)."""
    trend = {}
    for key, field, label in (
        ("item", "work_order__item__sku", "work_order__item__name"),
        ("work_center", "job_card__work_center__code", "job_card__work_center__name"),
        ("cause", "root_cause", "root_cause"),
    ):
        grouped = rows.values(field, label).annotate(count=Count("id"), cost=Sum("cost")).order_by("-cost", field)
        trend[key] = [
            {"key": r[field] or "(not decided)", "label": r[label], "count": r["count"], "cost": r["cost"]}
            for r in grouped
        ]
    return trend
