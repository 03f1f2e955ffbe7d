"""Ship: shipments (created from a sales order, picked, packed, shipped, cancelled), their lines and packing slips,
and customer returns (RMA) with their lines, received into quarantine."""

from ninja import Router
from ninja.responses import Status

from factoryos.documents.schemas import RenderedOut
from factoryos.kernel.access import requires
from factoryos.kernel.reads import VIEW, reads
from factoryos.kernel.resources import PathId, Resource, add_resources
from factoryos.sales import selectors as sales_selectors
from factoryos.shipping import schemas as s
from factoryos.shipping import selectors, services

router = Router(tags=["shipping"])

add_resources(
    router,
    Resource("shipments", selectors.shipments, ordering=("number", "created_at"), module="sales"),
    Resource("shipment-lines", selectors.shipment_lines, module="sales"),
    Resource("returns", selectors.customer_returns, ordering=("number", "created_at"), module="sales"),
    Resource("return-lines", selectors.customer_return_lines, module="sales"),
    schemas=s,
    services=services,
)


@router.post("/sales-orders/{id}/shipments", response={201: s.ShipmentOut}, operation_id="sales_orders_ship")
@requires("sales.edit")
def shipment_create(request, id: PathId, payload: s.ShipmentCreate):  # noqa: A002
    """A shipment of what is left to ship of the order, its lines proposed where the stock is (the order's
    reservations first, then first expiry first); change the lines while picking."""
    order = sales_selectors.sales_orders.fetch(id)
    fields = payload.model_dump(exclude_unset=True)
    return Status(201, services.shipment_create(actor=request.membership, order=order, **fields))


@router.get("/sales-orders/{id}/shipment-proposal", response=list[s.PickOut], operation_id="sales_orders_proposal")
@requires("sales.view")
@reads(VIEW)
def shipment_proposal(request, id: PathId):  # noqa: A002
    """What a new shipment of the order would pick, and from where (nothing is written)."""
    order = sales_selectors.sales_orders.get(id, actor=request.membership, metadata={"view": "shipment proposal"})
    return [
        {
            "order_line_id": line.pk,
            "item_id": line.item_id,
            "location_id": location.pk,
            "location": location.code,
            "lot_id": lot.pk if lot else None,
            "lot": lot.code if lot else None,
            "quantity": quantity,
        }
        for line, location, lot, quantity in selectors.proposal(order)
    ]


def _transition(path: str, service, description: str) -> None:  # type: ignore[no-untyped-def]
    @router.post(f"/shipments/{{id}}/{path}", response=s.ShipmentOut, operation_id=f"shipments_{path}")
    @requires("sales.edit")
    def act(request, id: PathId):  # noqa: A002
        return service(actor=request.membership, obj=selectors.shipments.fetch(id))

    act.__doc__ = description


_transition("pack", services.shipment_pack, "Picked and packed: the lines are fixed.")
_transition("ship", services.shipment_ship, "The shipment leaves: its stock moves to the customer, the order learns.")
_transition("cancel", services.shipment_cancel, "Cancel a shipment that has not left (no stock moves).")


@router.post("/shipments/{id}/packing-slip", response={201: RenderedOut}, operation_id="shipments_packing_slip")
@requires("sales.edit")
def packing_slip(request, id: PathId):  # noqa: A002
    """Print the packing slip (kept with the shipment; download it from /documents/{id}/pdf)."""
    return Status(201, services.packing_slip(actor=request.membership, obj=selectors.shipments.fetch(id)))


@router.post("/returns/{id}/receive", response=s.CustomerReturnOut, operation_id="returns_receive")
@requires("sales.edit")
def return_receive(request, id: PathId):  # noqa: A002
    """The goods are here: into quarantine, and their sales order learns they came back."""
    return services.customer_return_receive(actor=request.membership, obj=selectors.customer_returns.fetch(id))


@router.post("/returns/{id}/cancel", response=s.CustomerReturnOut, operation_id="returns_cancel")
@requires("sales.edit")
def return_cancel(request, id: PathId):  # noqa: A002
    return services.customer_return_cancel(actor=request.membership, obj=selectors.customer_returns.fetch(id))
