"""Sell: quotes, sales orders and their lines; the moves of each through its flow."""

from ninja import Router
from ninja.responses import Status

from factoryos.documents.schemas import RenderedOut
from factoryos.kernel.access import requires
from factoryos.kernel.resources import PathId, Resource, add_resources
from factoryos.sales import schemas as s
from factoryos.sales import selectors, services

router = Router(tags=["sales"])

add_resources(
    router,
    Resource("quotes", selectors.quotes, ordering=("number", "created_at", "valid_until", "total")),
    Resource("quote-lines", selectors.quote_lines, ordering=("position",)),
    Resource("sales-orders", selectors.sales_orders, ordering=("number", "order_date", "total")),
    Resource("sales-order-lines", selectors.sales_order_lines, ordering=("position",)),
    schemas=s,
    services=services,
)


@router.post("/quotes/{id}/send", response=s.QuoteOut, operation_id="quotes_send")
@requires("sales.edit")
def quote_send(request, id: PathId):  # noqa: A002
    """The quote goes to the customer; it can no longer change (revise it instead)."""
    return services.quote_send(actor=request.membership, obj=selectors.quotes.fetch(id))


@router.post("/quotes/{id}/accept", response={201: s.SalesOrderOut}, operation_id="quotes_accept")
@requires("sales.edit")
def quote_accept(request, id: PathId, payload: s.AcceptIn):  # noqa: A002
    """The customer accepted: answers the new draft sales order with the quote's lines."""
    quote = selectors.quotes.fetch(id)
    return Status(201, services.quote_accept(actor=request.membership, obj=quote, **payload.model_dump()))


@router.post("/quotes/{id}/lose", response=s.QuoteOut, operation_id="quotes_lose")
@requires("sales.edit")
def quote_lose(request, id: PathId, payload: s.LoseIn):  # noqa: A002
    """The customer declined, and why."""
    return services.quote_lose(actor=request.membership, obj=selectors.quotes.fetch(id), reason=payload.reason)


@router.post("/quotes/{id}/expire", response=s.QuoteOut, operation_id="quotes_expire")
@requires("sales.edit")
def quote_expire(request, id: PathId):  # noqa: A002
    return services.quote_expire(actor=request.membership, obj=selectors.quotes.fetch(id))


@router.post("/quotes/{id}/revise", response={201: s.QuoteOut}, operation_id="quotes_revise")
@requires("sales.edit")
def quote_revise(request, id: PathId):  # noqa: A002
    """A new draft revision (number -R<n>) with the same lines; this one is superseded."""
    return Status(201, services.quote_revise(actor=request.membership, obj=selectors.quotes.fetch(id)))


@router.post("/sales-orders/{id}/confirm", response=s.SalesOrderOut, operation_id="sales_orders_confirm")
@requires("sales.edit")
def sales_order_confirm(request, id: PathId):  # noqa: A002
    """Credit check (over the limit or overdue: needs sales.approve), then stock reserved line by line."""
    return services.sales_order_confirm(actor=request.membership, obj=selectors.sales_orders.fetch(id))


@router.post("/sales-orders/{id}/cancel", response=s.SalesOrderOut, operation_id="sales_orders_cancel")
@requires("sales.edit")
def sales_order_cancel(request, id: PathId):  # noqa: A002
    """Cancel a draft or confirmed order; its reservations are released."""
    return services.sales_order_cancel(actor=request.membership, obj=selectors.sales_orders.fetch(id))


@router.post("/sales-orders/{id}/close", response=s.SalesOrderOut, operation_id="sales_orders_close")
@requires("sales.edit")
def sales_order_close(request, id: PathId):  # noqa: A002
    """Close a shipped order, or a part-shipped one short; what is still reserved is released."""
    return services.sales_order_close(actor=request.membership, obj=selectors.sales_orders.fetch(id))


@router.post("/quotes/{id}/pdf", response={201: RenderedOut}, operation_id="quotes_pdf")
@requires("sales.edit")
def quote_pdf(request, id: PathId):  # noqa: A002
    """Print the quote: its next PDF version, kept with it (GET /documents/{id}/pdf downloads it)."""
    return Status(201, services.quote_pdf(actor=request.membership, obj=selectors.quotes.fetch(id)))


@router.post("/quotes/{id}/email", response={201: RenderedOut}, operation_id="quotes_email")
@requires("sales.edit")
def quote_email(request, id: PathId, payload: s.QuoteEmailIn):  # noqa: A002
    """Print the quote and mail it, attached, to ``to`` or the quote's contact (sent once the request commits)."""
    quote = selectors.quotes.fetch(id)
    return Status(201, services.quote_email(actor=request.membership, obj=quote, **payload.model_dump()))


@router.post("/sales-orders/{id}/pdf", response={201: RenderedOut}, operation_id="sales_orders_pdf")
@requires("sales.edit")
def sales_order_pdf(request, id: PathId):  # noqa: A002
    """Print the order confirmation, kept with the order."""
    return Status(201, services.sales_order_pdf(actor=request.membership, obj=selectors.sales_orders.fetch(id)))
