"""Make: work orders (created, planned, released, cancelled, closed; their cost), their materials (issued by hand),
and the floor's job cards (started, paused, reported on, completed) with the time logged and the quantities
reported; a work center's queue."""

from typing import Any

from ninja import Router
from ninja.responses import Status

from factoryos.documents.schemas import RenderedOut
from factoryos.facilities import selectors as facilities
from factoryos.kernel.access import requires
from factoryos.kernel.reads import LIST, VIEW, reads
from factoryos.kernel.resources import PathId, Resource, add_resources
from factoryos.production import schemas as s
from factoryos.production import selectors, services

router = Router(tags=["production"])

add_resources(
    router,
    Resource("work-orders", selectors.work_orders, ordering=("number", "due_date", "priority", "created_at")),
    Resource("work-order-materials", selectors.materials),
    Resource("material-reservations", selectors.material_reservations),
    Resource("job-cards", selectors.job_cards, ordering=("sequence",)),
    Resource("time-logs", selectors.time_logs, ordering=("started_at",)),
    Resource("production-reports", selectors.production_reports, ordering=("created_at",)),
    Resource("job-checks", selectors.job_checks),
    Resource("downtimes", selectors.downtimes, ordering=("starts_at",)),
    Resource("check-results", selectors.check_results, ordering=("created_at",)),
    Resource("non-conformances", selectors.non_conformances, ordering=("created_at", "cost"), noun="non_conformance"),
    schemas=s,
    services=services,
)


def _order_move(path: str, service: Any, description: str) -> None:
    @router.post(f"/work-orders/{{id}}/{path}", response=s.WorkOrderOut, operation_id=f"work_orders_{path}")
    @requires("production.edit")
    def act(request, id: PathId):  # noqa: A002
        return service(actor=request.membership, obj=selectors.work_orders.fetch(id))

    act.__doc__ = description


_order_move("plan", services.work_order_plan, "A firm intention: MRP counts it, nothing is reserved yet.")
_order_move(
    "release",
    services.work_order_release,
    "To the floor: the BOM revision is copied into the order (materials, job cards), components reserved.",
)
_order_move("cancel", services.work_order_cancel, "Cancel an order nobody has started; its reservations go back.")
_order_move("close", services.work_order_close, "Close a completed order: leftover reservations go back.")


@router.get("/work-orders/{id}/cost", response=s.WorkOrderCostOut, operation_id="work_orders_cost")
@requires("production.view")
@reads(VIEW)
def work_order_cost(request, id: PathId):  # noqa: A002
    """Planned (fixed at release) beside actual cost: material issued, labour and machine time logged, scrap."""
    order = selectors.work_orders.get(id, actor=request.membership, metadata={"view": "cost"})
    cost = selectors.cost(order)
    return {
        **{name: getattr(cost, name) for name in cost.__dataclass_fields__},
        "planned": cost.planned,
        "actual": cost.actual,
        "variance": cost.variance,
    }


def _card_move(path: str, service: Any, body: type | None, description: str) -> None:
    if body is None:

        @router.post(f"/job-cards/{{id}}/{path}", response=s.JobCardOut, operation_id=f"job_cards_{path}")
        @requires("production.edit")
        def act(request, id: PathId):  # noqa: A002
            return service(actor=request.membership, obj=selectors.job_cards.fetch(id))

    else:

        @router.post(f"/job-cards/{{id}}/{path}", response=s.JobCardOut, operation_id=f"job_cards_{path}")
        @requires("production.edit")
        def act(request, id: PathId, payload: body):  # type: ignore[valid-type]  # noqa: A002
            fields = {k: v for k, v in payload.model_dump().items() if v is not None}  # type: ignore[attr-defined]
            return service(actor=request.membership, obj=selectors.job_cards.fetch(id), **fields)

    act.__doc__ = description


_card_move("start", services.job_card_start, None, "Start, resume or join an operation: the operator's time starts.")
_card_move("pause", services.job_card_pause, s.JobPauseIn, "Stop the clock for everyone on it, saying why.")
_card_move(
    "report",
    services.job_card_report,
    s.JobReportIn,
    "A batch done: good ones go on to the next operation; materials are backflushed; the last operation's good "
    "ones go into stock.",
)
_card_move("complete", services.job_card_complete, s.JobReportIn, "Finish the operation, with its last batch.")
_card_move(
    "send", services.job_card_send, None, "Outside processing: what has reached the operation goes to its supplier."
)
_card_move(
    "receive",
    services.job_card_receive,
    s.JobReportIn,
    "Outside processing: parts back from the supplier (good and scrap), counted on the service purchase order.",
)


@router.post(
    "/work-order-materials/{id}/issue", response=s.WorkOrderMaterialOut, operation_id="work_order_materials_issue"
)
@requires("production.edit")
def material_issue(request, id: PathId, payload: s.MaterialIssueIn):  # noqa: A002
    """Issue a component by hand: from the order's reservations first, then from free stock under its location."""
    return services.material_issue(
        actor=request.membership, obj=selectors.materials.fetch(id), quantity=payload.quantity, lot=payload.lot
    )


@router.get("/work-centers/{id}/queue", response=list[s.JobCardOut], operation_id="work_centers_queue")
@requires("production.view")
@reads(LIST)
def work_center_queue(request, id: PathId):  # noqa: A002
    """The work center's open operations in the order to run them (running and paused, then waiting)."""
    center = facilities.work_centers.fetch(id)
    listing = selectors.job_cards.filter({"work_center": center.pk}, queryset=selectors.queue(center.pk))
    rows = list(listing.queryset)
    listing.record(count=len(rows), actor=request.membership, view="queue")
    return rows


@router.post("/job-checks/{id}/record", response={201: s.CheckResultOut}, operation_id="job_checks_record")
@requires("production.edit")
def check_record(request, id: PathId, payload: s.CheckRecordIn):  # noqa: A002
    """An in-process check's result: a value judged against its tolerance, or pass/fail; a failure opens a
    non-conformance report."""
    fields = payload.model_dump()
    return Status(201, services.check_record(actor=request.membership, obj=selectors.job_checks.fetch(id), **fields))


@router.post("/non-conformances/{id}/close", response=s.NonConformanceOut, operation_id="non_conformances_close")
@requires("production.edit")
def ncr_close(request, id: PathId):  # noqa: A002
    """Decided (disposition and root cause set): closed; a scrap posts the parts' planned cost to the work order."""
    return services.non_conformance_close(actor=request.membership, obj=selectors.non_conformances.fetch(id))


@router.post("/work-orders/{id}/traveler", response={201: RenderedOut}, operation_id="work_orders_traveler")
@requires("production.edit")
def work_order_traveler(request, id: PathId):  # noqa: A002
    """Print the job traveler (kept with the order; download it from /documents/{id}/pdf): materials, operations
    with their checks, and a QR code per operation that opens it on the shop floor tablet."""
    order = selectors.work_orders.fetch(id)
    base = request.build_absolute_uri("/")
    return Status(201, services.work_order_traveler(actor=request.membership, obj=order, base_url=base))
