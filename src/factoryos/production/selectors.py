"""Reads of production (each a Reader: see kernel/reads.py), what a material still holds, a work center's queue and
a work order's cost, planned beside actual."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet, Sum

from factoryos.inventory.models import Reservation, ReservationStatus
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


def cost(order: WorkOrder) -> Cost:
    labour = machine = outside = ZERO
    rates = {card.pk: card for card in order.job_cards.select_related("purchase_order_line__purchase_order")}
    for card in rates.values():  # what the suppliers did, at the service order's price (in our currency)
        line = card.purchase_order_line
        if line is not None:
            outside += line.received * line.net_unit_price * line.purchase_order.exchange_rate
    for card_id, minutes in minutes_by_card(order).items():
        card = rates[card_id]
        labour += minutes / 60 * card.labour_rate
        machine += minutes / 60 * card.machine_rate
    material = order.materials.aggregate(s=Sum("issued_cost"))["s"] or ZERO
    scrap = ProductionReport.objects.filter(job_card__work_order=order).aggregate(s=Sum("scrap_cost"))["s"] or ZERO
    scrap += NonConformance.objects.filter(work_order=order).aggregate(s=Sum("cost"))["s"] or ZERO
    return Cost(
        planned_material=order.planned_material_cost,
        planned_labour=order.planned_labour_cost,
        planned_machine=order.planned_machine_cost,
        planned_outside=order.planned_outside_cost,
        actual_material=material,
        actual_labour=labour.quantize(CENT, rounding=ROUND_HALF_UP),
        actual_machine=machine.quantize(CENT, rounding=ROUND_HALF_UP),
        actual_outside=outside.quantize(CENT, rounding=ROUND_HALF_UP),
        scrap=scrap,
    )


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
