"""Sell pages: quotes and sales orders (lists, a new one, the document with its lines, totals and the moves of its
flow), declared on the shared page layer (web/pages.py)."""

from __future__ import annotations

from typing import Any

from factoryos.documents import selectors as documents
from factoryos.finance.pages import DocumentPage, LineAddPage, LineDeletePage, LineEditPage, Move, MovePage
from factoryos.sales import forms as f
from factoryos.sales import selectors, services
from factoryos.sales.models import OrderStatus, QuoteStatus, SalesOrder
from factoryos.web.pages import DeletePage, FormPage, ListPage, route
from factoryos.web.tables import Column

# -- lists -----------------------------------------------------------------------------------------------------------
FILTERS = ("q", "status", "partner", "date_from", "date_to")


@route("quotes/", "quote_list", menu=("Sell", "Quotes", "clipboard"))
class QuoteList(ListPage):
    reader = selectors.quotes
    columns = [
        Column("number", "Number", ("number",)),
        Column("customer", "Customer", ("partner__code", "number")),
        Column("status", "Status", ("status", "number")),
        Column("created", "Created", ("created_at", "id")),
        Column("valid", "Valid until", ("valid_until", "number")),
        Column("total", "Total", ("total", "number"), "num"),
    ]
    default_sort = "-created"
    filter_fields = FILTERS


@route("orders/", "salesorder_list", menu=("Sell", "Sales orders", "box"))
class SalesOrderList(ListPage):
    reader = selectors.sales_orders
    columns = [
        Column("number", "Number", ("number",)),
        Column("customer", "Customer", ("partner__code", "number")),
        Column("reference", "Their reference", ("customer_reference", "number")),
        Column("status", "Status", ("status", "number")),
        Column("date", "Order date", ("order_date", "id")),
        Column("total", "Total", ("total", "number"), "num"),
    ]
    default_sort = "-date"
    filter_fields = FILTERS

    def get_queryset(self) -> Any:
        """The list shows the partner only: not the reader's joins of contact, quote and approver (100,000 orders)."""
        return SalesOrder.objects.select_related("partner")


# -- a new document --------------------------------------------------------------------------------------------------
@route("quotes/new/", "quote_create")
class QuoteCreate(FormPage):
    form_class, service = f.QuoteForm, services.quote_create
    success_url, success_message = "sales:quote_detail", "Quote {result.number} started: add its lines."
    prefill = ("partner",)


@route("orders/new/", "salesorder_create")
class SalesOrderCreate(FormPage):
    form_class, service = f.SalesOrderForm, services.sales_order_create
    success_url, success_message = "sales:salesorder_detail", "Sales order {result.number} started: add its lines."
    prefill = ("partner",)


# -- the document: header, lines, totals, moves (the shared priced document page, finance/pages.py) ---------------
@route("quotes/<int:pk>/edit/", "quote_edit")
class QuoteEdit(FormPage):
    reader, form_class, service = selectors.quotes, f.QuoteEditForm, services.quote_update
    success_url, success_message = "sales:quote_detail", "Quote {result.number} saved."

    def get_form(self, data: Any = None) -> Any:
        return self.form_class(data, initial=self.get_initial(), partner=self.object.partner)  # type: ignore[call-arg]


@route("orders/<int:pk>/edit/", "salesorder_edit")
class SalesOrderEdit(QuoteEdit):
    reader, form_class, service = selectors.sales_orders, f.SalesOrderEditForm, services.sales_order_update
    success_url, success_message = "sales:salesorder_detail", "Sales order {result.number} saved."


@route("quotes/<int:pk>/", "quote_detail")
class QuoteDetail(DocumentPage):
    reader, lines_reader, line_form = selectors.quotes, selectors.quote_lines, f.QuoteLineForm
    add_line, update_line = services.quote_line_add, services.quote_line_update
    delete_line = services.quote_line_delete
    moves = (
        Move("send", "Mark as sent", services.quote_send, to=QuoteStatus.SENT, primary=True,
             done="{result.number} is sent: it can no longer change (revise it instead)."),
        Move("email", "Email to customer", services.quote_email, form_class=f.EmailForm,
             done="{result.filename} is on its way."),
        Move("accept", "Accepted: make the order", services.quote_accept, to=QuoteStatus.ACCEPTED, primary=True,
             form_class=f.AcceptForm, redirect_to="sales:salesorder_detail",
             done="{object.number} accepted: sales order {result.number} made from it."),
        Move("lose", "Lost", services.quote_lose, to=QuoteStatus.LOST, form_class=f.LoseForm,
             done="{result.number} lost: {result.lost_reason}"),
        Move("revise", "Revise", services.quote_revise, to=QuoteStatus.SUPERSEDED, redirect_to="sales:quote_detail",
             done="Revision {result.revision} ({result.number}) started from {object.number}."),
        Move("expire", "Expired", services.quote_expire, to=QuoteStatus.EXPIRED, confirm="Mark this quote expired?"),
        Move("pdf", "Print PDF", services.quote_pdf, redirect_to="documents:download"),
    )  # fmt: skip

    def get_context(self, quote: Any) -> dict[str, Any]:
        return {"documents": list(documents.for_record(quote)[:5])}


@route("orders/<int:pk>/", "salesorder_detail")
class SalesOrderDetail(DocumentPage):
    reader, lines_reader, line_form = selectors.sales_orders, selectors.sales_order_lines, f.SalesOrderLineForm
    add_line, update_line = services.sales_order_line_add, services.sales_order_line_update
    delete_line = services.sales_order_line_delete
    moves = (
        Move("confirm", "Confirm order", services.sales_order_confirm, to=OrderStatus.CONFIRMED, primary=True,
             done="{result.number} confirmed: stock reserved where there is some."),
        Move("close", "Close", services.sales_order_close, to=OrderStatus.CLOSED,
             confirm="Close this order? What it still holds is released."),
        Move("cancel", "Cancel order", services.sales_order_cancel, to=OrderStatus.CANCELLED,
             confirm="Cancel this order? Its reservations are released."),
        Move("pdf", "Print confirmation", services.sales_order_pdf, redirect_to="documents:download"),
    )  # fmt: skip

    def get_context(self, order: Any) -> dict[str, Any]:
        return {"documents": list(documents.for_record(order)[:5])}


@route("quotes/<int:pk>/lines/", "quote_line_add")
class QuoteLineAdd(LineAddPage):
    document = QuoteDetail


@route("quote-lines/<int:pk>/", "quote_line_edit")
class QuoteLineEdit(LineEditPage):
    document = QuoteDetail


@route("quote-lines/<int:pk>/delete/", "quote_line_delete")
class QuoteLineDelete(LineDeletePage):
    document = QuoteDetail


@route("quotes/<int:pk>/send/", "quote_send", move="send")
@route("quotes/<int:pk>/email/", "quote_email", move="email")
@route("quotes/<int:pk>/accept/", "quote_accept", move="accept")
@route("quotes/<int:pk>/lose/", "quote_lose", move="lose")
@route("quotes/<int:pk>/revise/", "quote_revise", move="revise")
@route("quotes/<int:pk>/expire/", "quote_expire", move="expire")
@route("quotes/<int:pk>/pdf/", "quote_pdf", move="pdf")
class QuoteMove(MovePage):
    document = QuoteDetail


@route("quotes/<int:pk>/delete/", "quote_delete")
class QuoteDelete(DeletePage):
    reader, service, redirect_to = selectors.quotes, services.quote_delete, "sales:quote_list"


@route("orders/<int:pk>/lines/", "salesorder_line_add")
class SalesOrderLineAdd(LineAddPage):
    document = SalesOrderDetail


@route("order-lines/<int:pk>/", "salesorder_line_edit")
class SalesOrderLineEdit(LineEditPage):
    document = SalesOrderDetail


@route("order-lines/<int:pk>/delete/", "salesorder_line_delete")
class SalesOrderLineDelete(LineDeletePage):
    document = SalesOrderDetail


@route("orders/<int:pk>/confirm/", "salesorder_confirm", move="confirm")
@route("orders/<int:pk>/close/", "salesorder_close", move="close")
@route("orders/<int:pk>/cancel/", "salesorder_cancel", move="cancel")
@route("orders/<int:pk>/pdf/", "salesorder_pdf", move="pdf")
class SalesOrderMove(MovePage):
    document = SalesOrderDetail


@route("orders/<int:pk>/delete/", "salesorder_delete")
class SalesOrderDelete(DeletePage):
    reader, service, redirect_to = selectors.sales_orders, services.sales_order_delete, "sales:salesorder_list"
