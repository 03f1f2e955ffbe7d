"""API bodies of work orders and the floor, derived from the models and the services' fields."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from factoryos.catalog.models import Operation
from factoryos.inventory.models import Lot
from factoryos.kernel.limits import of
from factoryos.kernel.schemas import bodies, reply
from factoryos.production import services as f  # the fields each service takes
from factoryos.production.models import (
    CheckResult,
    Downtime,
    JobCard,
    JobCheck,
    MaterialReservation,
    NonConformance,
    PauseReason,
    ProductionReport,
    ScrapReason,
    TimeLog,
    WorkOrder,
    WorkOrderMaterial,
)

Quantity = Annotated[Decimal, Field(**of(ProductionReport, "good").pydantic())]
Positive = Annotated[Decimal, Field(**of(WorkOrderMaterial, "quantity").pydantic())]
LotCode = Annotated[str, Field(**of(Lot, "code").pydantic())]

WorkOrderOut = reply(
    WorkOrder,
    ("number", "status", "source"),
    f.WorkOrderFields,
    ("quantity_completed", "quantity_scrapped", "planned_material_cost", "planned_labour_cost"),
    (
        "planned_machine_cost",
        "planned_outside_cost",
        "created_at",
        "created_by",
        "released_at",
        "released_by",
        "started_at",
        "completed_at",
    ),
    ("closed_at", "cancelled_at"),
)
WorkOrderIn, WorkOrderPatch = bodies(WorkOrder, f.WorkOrderFields)
WorkOrderMaterialOut = reply(
    WorkOrderMaterial, "work_order", "item", "quantity", "issued", "issued_cost", "unit_cost", "job_card", "backflush"
)
MaterialReservationOut = reply(MaterialReservation, "material", "reservation")
JobCardOut = reply(
    JobCard,
    ("work_order", "sequence", "work_center", "description", "setup_minutes", "run_minutes_per_unit"),
    ("labour_rate", "machine_rate", "status", "quantity_good", "quantity_scrap", "running_at", "paused_at"),
    ("pause_reason", "done_at", "done_by", "supplier", "outside_price", "purchase_order_line", "quantity_sent"),
    ("efficiency_pct",),
)
TimeLogOut = reply(TimeLog, "job_card", "operator", "phase", "started_at", "ended_at", "minutes", "end_reason")
JobCheckOut = reply(JobCheck, "job_card", "name", "kind", "nominal", "minus", "plus", "unit")
CheckResultOut = reply(CheckResult, "job_check", "value", "passed", "note", "operator", "created_at")
NonConformanceOut = reply(
    NonConformance,
    ("work_order", "job_card", "result", "status", "cost", "created_at", "created_by", "closed_at", "closed_by"),
    f.NcrFields,
)
_, NonConformancePatch = bodies(NonConformance, f.NcrFields, name="NonConformance")
DowntimeOut = reply(Downtime, f.DowntimeFields, "created_by")
DowntimeIn, DowntimePatch = bodies(Downtime, f.DowntimeFields)
ProductionReportOut = reply(
    ProductionReport, "job_card", "good", "scrap", "scrap_reason", "scrap_cost", "operator", "created_at"
)


class JobPauseIn(Schema):
    reason: PauseReason = Field(description="Why the operation stops")


class JobReportIn(Schema):
    good: Quantity = Decimal(0)
    scrap: Quantity = Decimal(0)
    scrap_reason: ScrapReason | None = Field(None, description="Required with a scrap quantity")


class MaterialIssueIn(Schema):
    quantity: Positive
    lot: LotCode | None = Field(None, description="The lot or serial to issue (default: the reservations' first)")


class WorkOrderCostOut(Schema):
    planned_material: Decimal
    planned_labour: Decimal
    planned_machine: Decimal
    planned_outside: Decimal
    planned: Decimal
    actual_material: Decimal
    actual_labour: Decimal
    actual_machine: Decimal
    actual_outside: Decimal
    actual: Decimal
    scrap: Decimal
    variance: Decimal


class CheckRecordIn(Schema):
    value: Annotated[Decimal, Field(max_digits=14, decimal_places=4)] | None = Field(
        None, description="The measured value (a measurement check)"
    )
    passed: bool | None = Field(None, description="Whether it passed (a pass/fail check)")
    note: Annotated[str, Field(max_length=200)] = ""


class NcrTrendRow(Schema):
    key: str
    label: str | None
    count: int
    cost: Decimal


class NcrTrendOut(Schema):
    item: list[NcrTrendRow]
    work_center: list[NcrTrendRow]
    cause: list[NcrTrendRow]


# -- costing (production.costing): variance of finished orders, work in process of open ones ---------------------------
class _CostingRow(Schema):
    id: int
    number: str
    status: str
    item: int
    sku: str
    item_name: str
    quantity: Decimal
    made: Decimal = Field(description="Good quantity made into stock")
    actual_material: Decimal
    actual_labour: Decimal
    actual_machine: Decimal
    actual_outside: Decimal
    actual: Decimal


class VarianceRowOut(_CostingRow):
    completed_at: datetime | None
    planned_material: Decimal
    planned_labour: Decimal
    planned_machine: Decimal
    planned_outside: Decimal
    planned: Decimal
    scrap: Decimal = Field(description="The scrap's cost, included in the actual")
    variance: Decimal = Field(description="Actual less planned: positive is an overrun")
    variance_pct: Decimal | None = Field(description="The variance as a percentage of the planned cost (none of 0)")
    overrun: bool


class VarianceTotalsOut(WorkOrderCostOut):
    """The variance report's totals: one work order's cost figures summed over the rows, with the variance's %."""

    variance_pct: Decimal | None
    overrun: bool


class VarianceOut(Schema):
    items: list[VarianceRowOut]
    count: int
    limit: int
    offset: int
    totals: VarianceTotalsOut = Field(description="Of every order the filters select, not only this page's")


class WipRowOut(_CostingRow):
    released_at: datetime | None
    finished: Decimal = Field(description="The value of its finished goods moved into stock (their production moves)")
    wip: Decimal = Field(description="Actual cost so far less the finished goods' value")


class WipTotalsOut(Schema):
    actual_material: Decimal
    actual_labour: Decimal
    actual_machine: Decimal
    actual_outside: Decimal
    actual: Decimal
    finished: Decimal
    wip: Decimal


class WipOut(Schema):
    items: list[WipRowOut]
    count: int
    limit: int
    offset: int
    totals: WipTotalsOut = Field(description="Of every order the filters select, not only this page's")


# -- estimates that learn (production.estimates) ---------------------------------------------------------------------
class EstimateGroupOut(Schema):
    """Estimated beside actual minutes of a work center's or an item's completed operations; each phase over the
    runs that logged time for it (run minutes for what those runs made)."""

    id: int | None
    code: str
    name: str
    runs: int
    setup_runs: int
    estimated_setup: Decimal
    actual_setup: Decimal
    setup_deviation_pct: Decimal | None
    run_runs: int
    made: Decimal
    estimated_run: Decimal
    actual_run: Decimal
    run_deviation_pct: Decimal | None


class EstimateRunOut(Schema):
    """One completed operation: the setup minutes and the run minutes per unit, estimated (planned at release) and
    actual (null: it logged no time for that phase)."""

    job_card: int
    work_order: int
    sequence: int
    work_center: int
    item: int
    done_at: datetime | None
    made: Decimal
    estimated_setup: Decimal
    actual_setup: Decimal | None
    setup_deviation_pct: Decimal | None
    estimated_run_per_unit: Decimal
    actual_run_per_unit: Decimal | None
    run_deviation_pct: Decimal | None


class EstimatesOut(Schema):
    count: int = Field(description="Completed operations in the period")
    total: EstimateGroupOut
    by_work_center: list[EstimateGroupOut]
    by_item: list[EstimateGroupOut]
    latest: list[EstimateRunOut] = Field(description="The latest completed operations, newest first")


class LearnedOut(Schema):
    current: Decimal = Field(description="The operation's standard time now")
    median: Decimal = Field(description="The median of the runs' actual minutes")
    suggested: Decimal = Field(description="The standard time that plans the median (times the efficiency)")
    runs: int = Field(description="The runs the median rests on")
    change_pct: Decimal | None
    suggested_change: bool = Field(description="Enough runs, and a change worth making")


class TimeSuggestionOut(Schema):
    operation: int
    sequence: int
    work_center: int
    description: str
    setup: LearnedOut | None = Field(description="Setup minutes (null: no run logged setup)")
    run: LearnedOut | None = Field(description="Run minutes per unit (null: no run logged run time)")
    suggested_change: bool


SetupMinutes = Annotated[Decimal, Field(**of(Operation, "setup_minutes").pydantic())]
RunMinutes = Annotated[Decimal, Field(**of(Operation, "run_minutes_per_unit").pydantic())]


class TimeSuggestionAcceptIn(Schema):
    """The suggested times as they were shown, to accept only that suggestion (both empty: the current one)."""

    setup_minutes: SetupMinutes | None = None
    run_minutes_per_unit: RunMinutes | None = None
