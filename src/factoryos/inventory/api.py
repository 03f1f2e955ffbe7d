"""Locations, lots, levels, the ledger, receipts/transfers/adjustments/issues, reservations, counts, reports."""

from collections.abc import Callable
from typing import Any

from ninja import Router, Schema
from ninja.responses import Status

from factoryos.inventory import schemas as s
from factoryos.inventory import selectors, services
from factoryos.kernel.access import requires
from factoryos.kernel.reads import LIST, VIEW, reads
from factoryos.kernel.resources import PathId, Resource, add_resources

router = Router(tags=["inventory"])


add_resources(
    router,
    Resource("locations", selectors.locations, ordering=("code", "name")),
    Resource("lots", selectors.lots, ordering=("code",)),
    Resource("stock-levels", selectors.stock_levels, ordering=("on_hand",), name="Level"),
    Resource("stock-moves", selectors.stock_moves, ordering=("created_at",), name="Move"),
    Resource("reservations", selectors.reservations, ordering=("created_at",), create=services.stock_reserve),
    Resource("count-sheets", selectors.count_sheets, ordering=("created_at",)),
    Resource("count-lines", selectors.count_lines, update=services.count_line_set),
    schemas=s,
    services=services,
)


# The four movements of stock: (path under /stock/, service, body, what it does). Each answers the move it made.
MOVEMENTS = (
    ("receipts", services.stock_receive, s.ReceiptIn, "Goods in at a cost (purchase receipt, opening stock)."),
    ("transfers", services.stock_transfer, s.TransferIn, "From one location to another, at the same cost."),
    ("adjustments", services.stock_adjust, s.AdjustmentIn, "A correction up or down, with its reason."),
    ("issues", services.stock_issue, s.IssueIn, "Issue to production; with a reservation id it consumes it."),
)


def _add_movement(path: str, service: Callable[..., Any], body: type[Schema], description: str) -> None:
    name = service.__name__

    @router.post(
        f"/stock/{path}",
        response={201: s.MoveOut},
        operation_id=name,
        summary=name.replace("_", " ").title(),
        description=description,
    )
    @requires("inventory.edit")
    def move(request, payload: body):  # type: ignore[valid-type]
        given: Schema = payload
        return Status(201, service(actor=request.membership, **given.model_dump()))


for movement in MOVEMENTS:
    _add_movement(*movement)


@router.post("/reservations/{id}/release", response=s.ReservationOut, operation_id="reservations_release")
@requires("inventory.edit")
def reservation_release(request, id: PathId):  # noqa: A002
    return services.reservation_release(actor=request.membership, obj=selectors.reservations.fetch(id))


@router.post("/count-sheets/{id}/lines", response={201: s.CountLineOut}, operation_id="count_sheets_add_line")
@requires("inventory.edit")
def count_line_add(request, id: PathId, payload: s.CountLineAdd):  # noqa: A002
    """A line for stock found that the sheet did not expect."""
    sheet = selectors.count_sheets.fetch(id)
    return Status(201, (services.count_line_add(actor=request.membership, sheet=sheet, **payload.model_dump())))


@router.post("/count-sheets/{id}/post", response=s.CountSheetOut, operation_id="count_sheets_post")
@requires("inventory.edit")
def count_sheet_post(request, id: PathId):  # noqa: A002
    """Post every variance as a cycle-count adjustment."""
    return services.count_sheet_post(actor=request.membership, obj=selectors.count_sheets.fetch(id))


@router.get("/stock/valuation", response=s.ValuationOut, operation_id="stock_valuation")
@requires("inventory.view")
@reads(LIST)
def stock_valuation(request):
    """Stock value at moving average cost, by location and by category."""
    report = selectors.valuation(actor=request.membership)
    return report


@router.get("/stock/reorder", response=list[s.ReorderRow], operation_id="stock_reorder")
@requires("inventory.view")
@reads(LIST)
def stock_reorder(request):
    """Items below their reorder point, with a quantity that respects minimum order and order multiple."""
    rows = selectors.reorder(actor=request.membership)
    return [
        {
            "item_id": r["item"].pk,
            "sku": r["item"].sku,
            "name": r["item"].name,
            "uom": r["item"].uom.code,
            "available": r["available"],
            "reorder_point": r["item"].reorder_point,
            "suggested": r["suggested"],
        }
        for r in rows
    ]


@router.get("/lots/{id}/trace", response=s.TraceOut, operation_id="lots_trace")
@requires("inventory.view")
@reads(VIEW)
def lot_trace(request, id: PathId):  # noqa: A002
    """Where a lot went, and which component lots went into a lot that was made."""
    lot = selectors.lots.get(id, actor=request.membership, metadata={"view": "trace"})
    trace = selectors.lot_trace(lot)

    def part(move, lot_attr):
        used = getattr(move, lot_attr)
        return {
            "item_id": used.item_id if lot_attr == "produced_lot" else move.item_id,
            "sku": used.item.sku if lot_attr == "produced_lot" else move.item.sku,
            "lot": used.code if used else None,
            "quantity": move.quantity,
        }

    return {
        "lot_id": lot.pk,
        "item_id": lot.item_id,
        "code": lot.code,
        "moves": [
            {
                "id": m.pk,
                "created_at": m.created_at,
                "reason": m.reason,
                "quantity": m.quantity,
                "from_location": m.from_location.code,
                "to_location": m.to_location.code,
                "reference": m.reference,
            }
            for m in trace["moves"]
        ],
        "components": [part(m, "lot") for m in trace["components"]],
        "used_in": [part(m, "produced_lot") for m in trace["used_in"]],
    }
