"""Plan: forecasts, MRP runs (started in the background, read when done), their planned orders (firmed into purchase
and work orders) and exception messages, and an item's projected stock."""

from django.http import Http404
from ninja import Router
from ninja.responses import Status

from factoryos.catalog import selectors as catalog
from factoryos.jobs.schemas import JobOut
from factoryos.kernel.access import requires
from factoryos.kernel.reads import VIEW, reads
from factoryos.kernel.resources import PathId, Resource, add_resources
from factoryos.mrp import schemas as s
from factoryos.mrp import selectors, services

router = Router(tags=["planning"])


# Before the resources: /planned-orders/{id} would take /planned-orders/firm (and answer 405).
@router.post("/planned-orders/firm", response=s.FirmOut, operation_id="planned_orders_firm")
@requires("planning.edit")
def planned_orders_firm(request, payload: s.FirmIn):
    """Firm proposals: the buys into a draft purchase order per supplier, the makes into draft work orders."""
    made = services.planned_orders_firm(
        actor=request.membership, planned_orders=payload.planned_orders, location=payload.location
    )
    return {key: [order.number for order in orders] for key, orders in made.items()}


add_resources(
    router,
    Resource("forecasts", selectors.forecasts, ordering=("starts_on",), module="planning"),
    Resource("planned-orders", selectors.planned_orders, ordering=("due_date", "release_date"), module="planning"),
    Resource("mrp-messages", selectors.messages, ordering=("on",), module="planning"),
    schemas=s,
    services=services,
)


@router.post("/mrp-runs", response={202: JobOut}, operation_id="mrp_runs_start")
@requires("planning.edit")
def mrp_run_start(request, payload: s.MrpRunIn):
    """Plan the organization in the background (in full, or a net change of the last run): follow the job at
    /jobs/{id}; its result names the run."""
    return Status(
        202,
        services.mrp_run_start(
            actor=request.membership, horizon_days=payload.horizon_days, net_change=payload.net_change
        ),
    )


@router.get("/mrp-runs/latest", response=s.MrpRunOut, operation_id="mrp_runs_latest")
@requires("planning.view")
@reads(VIEW)
def mrp_run_latest(request):
    """The last finished run: when, over what horizon, and what it found (counts, each phase's seconds)."""
    run = selectors.latest_run()
    if run is None:
        raise Http404("MRP has not run yet.")
    return selectors.runs.viewed(run, actor=request.membership)


@router.get("/items/{id}/projection", response=list[s.ProjectionPoint], operation_id="items_projection")
@requires("planning.view")
@reads(VIEW)
def item_projection(request, id: PathId):  # noqa: A002
    """The item's projected stock over the last run: today's, then after each day something arrives or is used."""
    item = catalog.items.get(id, actor=request.membership, metadata={"view": "projection"})
    run = selectors.latest_run()
    return [] if run is None else [{"on": on, "quantity": qty} for on, qty in selectors.projected(item, run)]
