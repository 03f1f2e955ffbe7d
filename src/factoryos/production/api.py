"""Make: work orders (created, planned, released, cancelled, closed; their cost), their materials (issued by hand),
and the floor's job cards (started, paused, reported on, completed) with the time logged and the quantities
reported; a work center's queue; costing: the variance of finished orders and the work in process of open ones."""

from typing import Any, Literal

from ninja import Query, Router
from ninja.responses import Status
from pydantic import Field, create_model

from factoryos.catalog import selectors as catalog
from factoryos.catalog.schemas import OperationOut
from factoryos.documents.schemas import RenderedOut
from factoryos.facilities import selectors as facilities
from factoryos.kernel.access import requires
from factoryos.kernel.api import PageParams
from factoryos.kernel.filters import query_schema
from factoryos.kernel.reads import LIST, VIEW, reads
from factoryos.kernel.resources import PathId, Resource, add_resources, filter_errors
from factoryos.production import costing, estimates, selectors, services
from factoryos.production import schemas as s
from factoryos.production.filters import EstimateFilterSet, VarianceFilterSet, WipFilterSet

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

        @router.post(
            f"/job-cards/{{id}}/{path}", response=s.JobCardOut, operation_id=f"job_cards_{path}".replace("-", "_")
        )
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


_card_move(
    "start",
    services.job_card_start,
    None,
    "Start, resume or join an operation: the operator's time starts (as setup while a planned setup is not done).",
)
_card_move(
    "setup-done",
    services.job_card_setup_done,
    None,
    "Setup is done: the time of everyone setting up the operation stops and their run time starts (the first report "
    "ends setup too).",
)
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


# -- costing (production.costing) ------------------------------------------------------------------------------------
def _costing_params(report: costing.Report, filterset: type) -> type:
    """The report's query parameters: its FilterSet's filters, and ``ordering`` by any of its sortable columns."""
    orderings = tuple(o for name in report.sorts for o in (name, f"-{name}"))
    extra: dict[str, Any] = {
        "ordering": (Literal[orderings] | None, Field(None, description=f"Default: {report.default_sort}"))
    }
    return create_model(
        f"{filterset.__name__.removesuffix('FilterSet')}Params", __base__=query_schema(filterset), **extra
    )


VarianceParams = _costing_params(costing.VARIANCE, VarianceFilterSet)
WipParams = _costing_params(costing.WIP, WipFilterSet)


def _costing(request: Any, report: costing.Report, params: Any, page: PageParams) -> dict[str, Any]:
    """A page of the report's rows (sorted as asked, over every order the filters select), the totals of them all;
    one LIST event."""
    criteria = params.model_dump(exclude_none=True)
    ordering = criteria.pop("ordering", "")
    listing = report.filter(criteria)
    if not listing.filterset.is_valid():
        raise filter_errors(listing.filterset)
    rows = report.rows(listing, ordering)
    report.record(listing, actor=request.membership, count=len(rows))
    return {
        "items": rows[page.offset : page.offset + page.limit],
        "count": len(rows),
        "limit": page.limit,
        "offset": page.offset,
        "totals": report.totals_of(rows),
    }


@router.get("/costing/variance", response=s.VarianceOut, operation_id="costing_variance")
@requires("production.view")
@reads(LIST)
def costing_variance(request, page: Query[PageParams], params: Query[VarianceParams]):  # type: ignore[valid-type]
    """Completed and closed work orders, planned beside actual cost per kind (material, labour, machine, outside) and
    in all, with the variance in money and per cent (default: the latest completed first); the totals are of every
    order the filters select."""
    return _costing(request, costing.VARIANCE, params, page)


@router.get("/costing/wip", response=s.WipOut, operation_id="costing_wip")
@requires("production.view")
@reads(LIST)
def costing_wip(request, page: Query[PageParams], params: Query[WipParams]):  # type: ignore[valid-type]
    """Work in process by work order (released, in progress, completed and not closed): the actual cost so far less
    the value of the finished goods moved into stock (at the unit cost of their production moves); default: the
    largest first. The totals are of every order the filters select."""
    return _costing(request, costing.WIP, params, page)


# -- estimates that learn (production.estimates) ---------------------------------------------------------------------
EstimateParams = query_schema(EstimateFilterSet)


def _group(group: estimates.Group) -> dict[str, Any]:
    return {
        "id": group.pk, "code": group.code, "name": group.name, "runs": group.runs, "setup_runs": group.setup_runs,
        "estimated_setup": group.estimated_setup, "actual_setup": group.actual_setup,
        "setup_deviation_pct": group.setup_deviation, "run_runs": group.run_runs, "made": group.made,
        "estimated_run": group.estimated_run, "actual_run": group.actual_run, "run_deviation_pct": group.run_deviation,
    }  # fmt: skip


def _run(run: estimates.Run) -> dict[str, Any]:
    card = run.card
    return {
        "job_card": card.pk, "work_order": card.work_order_id, "sequence": card.sequence,
        "work_center": card.work_center_id, "item": card.work_order.item_id, "done_at": card.done_at, "made": run.made,
        "estimated_setup": run.estimated_setup, "actual_setup": run.actual_setup,
        "setup_deviation_pct": run.setup_deviation, "estimated_run_per_unit": run.estimated_run,
        "actual_run_per_unit": run.actual_run, "run_deviation_pct": run.run_deviation,
    }  # fmt: skip


@router.get("/estimates", response=s.EstimatesOut, operation_id="estimates")
@requires("production.view")
@reads(LIST)
def estimates_summary(request, params: Query[EstimateParams]):  # type: ignore[valid-type]
    """Estimated (planned at release: the standard time over the work center's efficiency) beside actual (logged)
    setup and run time of the operations completed in a period (the last 90 days unless given), in total, by work
    center and by item, and the latest one by one; each phase counts the runs that logged time for it."""
    listing = estimates.completed.filter(estimates.criteria(params.model_dump()))  # type: ignore[attr-defined]
    if not listing.filterset.is_valid():
        raise filter_errors(listing.filterset)
    summary = estimates.summary(listing.queryset)
    listing.record(count=summary.count, actor=request.membership, view="estimates")
    return {
        "count": summary.count,
        "total": _group(summary.total),
        "by_work_center": [_group(g) for g in summary.by_work_center],
        "by_item": [_group(g) for g in summary.by_item],
        "latest": [_run(r) for r in summary.latest],
    }


def _learned(part: Any) -> dict[str, Any] | None:
    if part is None:
        return None
    return {
        "current": part.current, "median": part.median, "suggested": part.suggested, "runs": part.runs,
        "change_pct": part.change_pct, "suggested_change": part.worth_it,
    }  # fmt: skip


@router.get("/boms/{id}/time-suggestions", response=list[s.TimeSuggestionOut], operation_id="boms_time_suggestions")
@requires("production.view")
@reads(VIEW)
def bom_time_suggestions(request, id: PathId):  # noqa: A002
    """For each operation of a BOM revision's routing: the standard setup and run time its last completed runs
    suggest (the median of the last 10 that logged time for the phase, times the work center's efficiency), the runs
    it rests on, and whether the change is worth making (at least 3 runs, more than 5 %). Outside operations and
    obsolete revisions learn nothing."""
    bom = catalog.boms.get(id, actor=request.membership, metadata={"view": "time suggestions"})
    operations = list(bom.operations.select_related("work_center").order_by("sequence"))
    found = estimates.suggestions(operations)
    rows = []
    for op in operations:
        suggestion = found.get(op.pk)
        rows.append(
            {
                "operation": op.pk,
                "sequence": op.sequence,
                "work_center": op.work_center_id,
                "description": op.description,
                "setup": _learned(suggestion.setup if suggestion else None),
                "run": _learned(suggestion.run if suggestion else None),
                "suggested_change": bool(suggestion and suggestion.worth_it),
            }  # fmt: skip
        )
    return rows


@router.post(
    "/operations/{id}/time-suggestion/accept", response=OperationOut, operation_id="operations_time_suggestion_accept"
)
@requires("catalog.edit")
def time_suggestion_accept(request, id: PathId, payload: s.TimeSuggestionAcceptIn):  # noqa: A002
    """Accept what the operation's last runs suggest: its standard times become the suggested ones (on a draft or the
    released revision), with an audit event naming the runs and the median. Give the times as they were shown to
    accept only that suggestion (409 ``time_suggestion_changed`` if it has changed since); 409
    ``no_time_suggestion`` when there is none."""
    operation = catalog.operations.fetch(id)
    return services.time_suggestion_accept(actor=request.membership, obj=operation, **payload.model_dump())
