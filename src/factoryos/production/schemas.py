"""API bodies of work orders and the floor, derived from the models and the services' fields."""

from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

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
)
TimeLogOut = reply(TimeLog, "job_card", "operator", "started_at", "ended_at", "minutes", "end_reason")
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
