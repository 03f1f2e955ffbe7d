"""Buy: requisitions, RFQs and their answers, purchase orders, receipts and returns to suppliers; the transitions
of each, the RFQ comparison and award, and the organization's purchasing settings and approval limits."""

from collections.abc import Callable
from typing import Any

from ninja import Router
from ninja.responses import Status

from factoryos.documents.schemas import RenderedOut
from factoryos.kernel.access import requires
from factoryos.kernel.reads import VIEW, Reader, reads
from factoryos.kernel.resources import PathId, Resource, add_resources
from factoryos.purchasing import schemas as s
from factoryos.purchasing import selectors, services

router = Router(tags=["purchasing"])

add_resources(
    router,
    Resource("purchase-orders", selectors.purchase_orders, ordering=("number", "order_date", "total", "created_at")),
    Resource("purchase-order-lines", selectors.purchase_order_lines, ordering=("position",)),
    Resource("receipts", selectors.receipts, ordering=("number", "received_at")),
    Resource("receipt-lines", selectors.receipt_lines, ordering=("id",)),
    Resource("supplier-returns", selectors.supplier_returns, ordering=("number", "created_at")),
    Resource("supplier-return-lines", selectors.supplier_return_lines, ordering=("id",)),
    Resource("requisitions", selectors.requisitions, ordering=("number", "needed_by", "created_at")),
    Resource("requisition-lines", selectors.requisition_lines, ordering=("id",)),
    Resource("rfqs", selectors.rfqs, ordering=("number", "created_at")),
    Resource("rfq-lines", selectors.rfq_lines, ordering=("id",)),
    Resource("rfq-suppliers", selectors.rfq_suppliers, ordering=("id",)),
    Resource("supplier-quotes", selectors.supplier_quotes, ordering=("unit_price",)),
    # a control over purchasing: changed only by those who approve
    Resource(
        "approval-limits",
        selectors.approval_limits,
        ordering=("max_amount",),
        permissions=("purchasing.view", "purchasing.approve"),
    ),
    schemas=s,
    services=services,
)


def _transition(
    path: str, verb: str, reader: Reader[Any], service: Callable[..., Any], out: Any, summary: str, permission: str
) -> None:
    """``POST /<path>/{id}/<verb>``: one transition service on the object the path names; answers the object."""

    @router.post(
        f"/{path}/{{id}}/{verb}",
        response=out,
        operation_id=f"{path.replace('-', '_')}_{verb}",
        summary=summary,
    )
    @requires(permission)
    def operation(request, id: PathId):  # noqa: A002
        return service(actor=request.membership, obj=reader.fetch(id))


EDIT, APPROVE = "purchasing.edit", "purchasing.approve"
TRANSITIONS = (
    ("purchase-orders", "submit", selectors.purchase_orders, services.purchase_order_submit, s.PurchaseOrderOut,
     "Submit: approved when within your approval limit, else awaiting approval", EDIT),
    ("purchase-orders", "approve", selectors.purchase_orders, services.purchase_order_approve, s.PurchaseOrderOut,
     "Approve an order awaiting approval (the approve permission, or a limit covering it)", EDIT),
    ("purchase-orders", "send", selectors.purchase_orders, services.purchase_order_send, s.PurchaseOrderOut,
     "Mark an approved order as sent to the supplier", EDIT),
    ("purchase-orders", "cancel", selectors.purchase_orders, services.purchase_order_cancel, s.PurchaseOrderOut,
     "Cancel an order nothing was received on", EDIT),
    ("purchase-orders", "close", selectors.purchase_orders, services.purchase_order_close, s.PurchaseOrderOut,
     "Close a (partly) received order", EDIT),
    ("receipts", "post", selectors.receipts, services.receipt_post, s.ReceiptOut,
     "Post a receipt: its lines into stock, the order's received quantities up", EDIT),
    ("receipts", "cancel", selectors.receipts, services.receipt_cancel, s.ReceiptOut, "Cancel a draft receipt", EDIT),
    ("supplier-returns", "post", selectors.supplier_returns, services.supplier_return_post, s.SupplierReturnOut,
     "Post a return: the goods out of stock to the supplier, the order's received quantities down", EDIT),
    ("supplier-returns", "cancel", selectors.supplier_returns, services.supplier_return_cancel, s.SupplierReturnOut,
     "Cancel a draft return", EDIT),
    ("requisitions", "submit", selectors.requisitions, services.requisition_submit, s.RequisitionOut,
     "Submit a requisition for approval", EDIT),
    ("requisitions", "approve", selectors.requisitions, services.requisition_approve, s.RequisitionOut,
     "Approve a submitted requisition", APPROVE),
    ("rfqs", "send", selectors.rfqs, services.request_for_quotation_send, s.RequestForQuotationOut,
     "Mark the RFQ as sent to its suppliers", EDIT),
    ("rfqs", "cancel", selectors.rfqs, services.request_for_quotation_cancel, s.RequestForQuotationOut,
     "Cancel an RFQ", EDIT),
)  # fmt: skip

for transition in TRANSITIONS:
    _transition(*transition)


@router.post("/requisitions/{id}/reject", response=s.RequisitionOut, operation_id="requisitions_reject")
@requires(APPROVE)
def requisition_reject(request, id: PathId, payload: s.RejectIn):  # noqa: A002
    """Reject a submitted requisition, saying why."""
    obj = selectors.requisitions.fetch(id)
    return services.requisition_reject(actor=request.membership, obj=obj, reason=payload.reason)


@router.get("/rfqs/{id}/compare", response=s.CompareOut, operation_id="rfqs_compare")
@requires("purchasing.view")
@reads(VIEW)
def rfq_compare(request, id: PathId):  # noqa: A002
    """The answers side by side: per line each supplier's price, lead time and total, the cheapest marked."""
    rfq = selectors.rfqs.get(id, actor=request.membership, metadata={"view": "compare"})
    return selectors.comparison(rfq)


@router.post("/rfqs/{id}/award", response={201: s.AwardOut}, operation_id="rfqs_award")
@requires(EDIT)
def rfq_award(request, id: PathId, payload: s.AwardIn):  # noqa: A002
    """Order the chosen answers (default: each line's cheapest valid one): one draft purchase order per supplier."""
    rfq = selectors.rfqs.fetch(id)
    choices = [{"line": c.line, "supplier": c.supplier} for c in payload.choices] if payload.choices else None
    orders = services.request_for_quotation_award(actor=request.membership, obj=rfq, choices=choices)  # type: ignore[arg-type]
    return Status(201, {"rfq": selectors.rfqs.fetch(id), "purchase_orders": orders})


@router.get("/purchasing-settings", response=s.PurchasingSettingsOut, operation_id="purchasing_settings_get")
@requires("purchasing.view")
@reads(VIEW)
def settings_get(request):
    """The organization's purchasing settings (over-receipt tolerance)."""
    return selectors.settings(actor=request.membership)


@router.patch("/purchasing-settings", response=s.PurchasingSettingsOut, operation_id="purchasing_settings_update")
@requires(APPROVE)  # a control over receipts, as the approval limits are
def settings_update(request, payload: s.PurchasingSettingsPatch):  # type: ignore[valid-type]
    """Change the organization's purchasing settings."""
    changes = payload.model_dump(exclude_unset=True)
    return services.purchasing_settings_update(actor=request.membership, **changes)


@router.post("/purchase-orders/{id}/pdf", response={201: RenderedOut}, operation_id="purchase_orders_pdf")
@requires(EDIT)
def purchase_order_pdf(request, id: PathId):  # noqa: A002
    """Print the order: the next version of its PDF, kept with it (download it from /documents/{id}/pdf)."""
    order = selectors.purchase_orders.fetch(id)
    return Status(201, services.purchase_order_pdf(actor=request.membership, obj=order))


@router.post("/purchase-orders/{id}/email", response=s.PurchaseOrderOut, operation_id="purchase_orders_email")
@requires(EDIT)
def purchase_order_email(request, id: PathId, payload: s.PurchaseOrderEmailIn):  # noqa: A002
    """Print the order and mail it to the supplier's contact (or ``to``); an approved order becomes sent."""
    order = selectors.purchase_orders.fetch(id)
    return services.purchase_order_email(actor=request.membership, obj=order, to=payload.to, message=payload.message)
