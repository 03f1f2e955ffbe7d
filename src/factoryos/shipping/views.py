"""Ship pages, declared on the shared page layer (web/pages.py): the shipments (list, a shipment with its picked
lines, carrier and tracking, pack/ship/cancel and its packing slip) and the customer returns (list, new, a return
with its lines, receive/cancel). Shipping's permissions are sales' ("Quote, sell and ship")."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.documents import selectors as documents
from factoryos.kernel.access import has_perm
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.transitions import can_transition, is_editable
from factoryos.sales import selectors as sales_selectors
from factoryos.sales.models import OPEN_STATUSES
from factoryos.shipping import selectors, services
from factoryos.shipping.forms import CustomerReturnForm, CustomerReturnLineForm, ShipmentForm, ShipmentLineForm
from factoryos.shipping.models import CustomerReturn, ReturnStatus, Shipment, ShipmentLine, ShipmentStatus
from factoryos.web import pages
from factoryos.web.pages import ActionPage, DeletePage, DetailPage, FormPage, ListPage, Page, route
from factoryos.web.panels import Panel
from factoryos.web.tables import Column

MODULE = "sales"


# -- shipments -----------------------------------------------------------------------------------------------------
@route("shipments/", "shipment_list", menu=("Ship", "Shipments", "truck"))
class ShipmentList(ListPage):
    module, reader = MODULE, selectors.shipments
    columns = [
        Column("number", "Number", ("number",)),
        Column("order", "Sales order", ("order__number", "number")),
        Column("customer", "Customer", ("order__partner__code", "number")),
        Column("status", "Status", ("status", "number")),
        Column("carrier", "Carrier", ("carrier", "number")),
        Column("tracking", "Tracking"),
        Column("created", "Created", ("created_at", "id")),
    ]
    default_sort = "-created"
    filter_fields = ("q", "status", "customer", "date_from", "date_to")


def _shipment_context(page: Page, shipment: Shipment, **extra: Any) -> dict[str, Any]:
    """A shipment's page: its lines (each with its form while picking), the header form, the moves it may make."""
    editable = is_editable(shipment) and has_perm(page.request, "sales.edit")
    lines = list(selectors.shipment_lines.all().filter(shipment=shipment))
    bound: dict[int, Any] = extra.pop("line_forms", {})
    for line in lines:
        initial = {"location": line.location_id, "lot": line.lot_id, "quantity": line.quantity.normalize()}
        line.form = bound.get(line.pk) or ShipmentLineForm(
            initial=initial, shipment=shipment, line=line, prefix=f"line-{line.pk}"
        )
    return {
        "shipment": shipment,
        "lines": lines,
        "editable": editable,
        "header_form": extra.pop("header_form", None) or ShipmentForm(initial=_header(shipment)),
        "add_form": extra.pop("add_form", None) or ShipmentLineForm(shipment=shipment, prefix="add"),
        "can_pack": can_transition(shipment, ShipmentStatus.PACKED),
        "can_ship": can_transition(shipment, ShipmentStatus.SHIPPED),
        "can_cancel": can_transition(shipment, ShipmentStatus.CANCELLED),
        "documents": list(documents.for_record(shipment)),
        "returns": list(shipment.returns.all()),
        **extra,
    }


def _header(shipment: Shipment) -> dict[str, Any]:
    return {name: getattr(shipment, name) for name in ShipmentForm.base_fields}


@route("shipments/<int:pk>/", "shipment_detail")
class ShipmentDetail(DetailPage):
    module, reader, template = MODULE, selectors.shipments, "shipping/shipment_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(_shipment_context(self, self.reader.get(pk, actor=self.actor)))


class _ShipmentWrite(Page):
    """A POST on a shipment's page: on success back to it, on refusal the page again with the errors (400/409)."""

    module = MODULE
    http_method_names = ["post"]
    template = "shipping/shipment_detail.html"

    def refused(self, shipment: Shipment, failure: Exception, **forms_: Any) -> HttpResponse:
        notice = "" if forms_ else error_messages(failure)
        context = _shipment_context(self, shipment, notice=notice, **forms_)
        return self.render(context, status=pages.error_status(failure))


@route("shipments/<int:pk>/edit/", "shipment_edit")
class ShipmentEdit(_ShipmentWrite):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        shipment = selectors.shipments.fetch(pk)
        form = ShipmentForm(request.POST)
        _, failure = pages.submit(
            form, lambda: services.shipment_update(actor=self.actor, obj=shipment, **form.service_fields())
        )
        if failure is not None:
            return self.refused(shipment, failure, header_form=form)
        messages.success(request, f"Shipment {shipment.number} saved.")
        return redirect("shipping:shipment_detail", shipment.pk)


@route("shipments/<int:pk>/lines/", "shipment_line_add")
class ShipmentLineAdd(_ShipmentWrite):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        shipment = selectors.shipments.fetch(pk)
        form = ShipmentLineForm(request.POST, shipment=shipment, prefix="add")
        _, failure = pages.submit(
            form, lambda: services.shipment_line_create(actor=self.actor, shipment=shipment, **form.service_fields())
        )
        if failure is not None:
            return self.refused(shipment, failure, add_form=form)
        messages.success(request, "Line added.")
        return redirect("shipping:shipment_detail", shipment.pk)


@route("shipment-lines/<int:pk>/", "shipment_line_edit")
class ShipmentLineEdit(_ShipmentWrite):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        line: ShipmentLine = selectors.shipment_lines.fetch(pk)
        shipment = line.shipment
        form = ShipmentLineForm(request.POST, shipment=shipment, line=line, prefix=f"line-{line.pk}")
        _, failure = pages.submit(
            form, lambda: services.shipment_line_update(actor=self.actor, obj=line, **form.service_fields())
        )
        if failure is not None:
            return self.refused(shipment, failure, line_forms={line.pk: form})
        messages.success(request, "Line saved.")
        return redirect("shipping:shipment_detail", shipment.pk)


@route("shipment-lines/<int:pk>/delete/", "shipment_line_delete")
class ShipmentLineDelete(DeletePage):
    module, reader, service = MODULE, selectors.shipment_lines, services.shipment_line_delete

    def target(self, obj: Model, result: Any) -> HttpResponse:
        return redirect("shipping:shipment_detail", obj.shipment_id)  # type: ignore[attr-defined]


class _ShipmentMove(ActionPage):
    module, reader, redirect_to = MODULE, selectors.shipments, "shipping:shipment_detail"


@route("shipments/<int:pk>/pack/", "shipment_pack")
class ShipmentPack(_ShipmentMove):
    service, success_message = services.shipment_pack, "Shipment {object.number} packed."


@route("shipments/<int:pk>/ship/", "shipment_ship")
class ShipmentShip(_ShipmentMove):
    service, success_message = services.shipment_ship, "Shipment {object.number} shipped: the stock has left."


@route("shipments/<int:pk>/cancel/", "shipment_cancel")
class ShipmentCancel(_ShipmentMove):
    service, success_message = services.shipment_cancel, "Shipment {object.number} cancelled: no stock moved."


@route("shipments/<int:pk>/packing-slip/", "shipment_packing_slip")
class ShipmentPackingSlip(_ShipmentMove):
    service = services.packing_slip

    def target(self, obj: Model, result: Any) -> HttpResponse:
        if result is None:
            return redirect("shipping:shipment_detail", obj.pk)
        messages.success(self.request, f"Packing slip {result.filename} printed.")
        return redirect("shipping:shipment_detail", obj.pk)


@route("orders/<int:pk>/ship/", "shipment_create")
class ShipmentCreate(ActionPage):
    """Start a shipment of what is left to ship of a sales order (from the order's page)."""

    module, reader, service = MODULE, sales_selectors.sales_orders, services.shipment_create
    failure_message = "Nothing shipped: "

    def call(self, obj: Model) -> Any:
        return services.shipment_create(actor=self.actor, order=obj)  # type: ignore[arg-type]

    def target(self, obj: Model, result: Any) -> HttpResponse:
        if result is None:
            return redirect("sales:salesorder_detail", obj.pk)
        messages.success(self.request, f"Shipment {result.number} started: check what is picked, then pack it.")
        return redirect("shipping:shipment_detail", result.pk)


# -- customer returns ----------------------------------------------------------------------------------------------
@route("returns/", "customerreturn_list", menu=("Ship", "Returns", "return"))
class CustomerReturnList(ListPage):
    module, reader = MODULE, selectors.customer_returns
    columns = [
        Column("number", "Number", ("number",)),
        Column("customer", "Customer", ("customer__code", "number")),
        Column("shipment", "Shipment", ("shipment__number", "number")),
        Column("reason", "Reason"),
        Column("status", "Status", ("status", "number")),
        Column("created", "Created", ("created_at", "id")),
    ]
    default_sort = "-created"
    filter_fields = ("q", "status", "customer")


@route("returns/new/", "customerreturn_create")
class CustomerReturnCreate(FormPage):
    module, form_class, service = MODULE, CustomerReturnForm, services.customer_return_create
    success_url, success_message = "shipping:customerreturn_detail", "Return {result.number} opened: add its lines."
    prefill = ("customer", "shipment")


def _return_context(page: Page, rma: CustomerReturn, **extra: Any) -> dict[str, Any]:
    return {
        "rma": rma,
        "lines": list(selectors.customer_return_lines.all().filter(customer_return=rma).order_by("pk")),
        "editable": is_editable(rma) and has_perm(page.request, "sales.edit"),
        "add_form": extra.pop("add_form", None) or CustomerReturnLineForm(customer_return=rma, prefix="add"),
        "can_receive": can_transition(rma, ReturnStatus.RECEIVED),
        "can_cancel": can_transition(rma, ReturnStatus.CANCELLED),
        **extra,
    }


@route("returns/<int:pk>/", "customerreturn_detail")
class CustomerReturnDetail(DetailPage):
    module, reader, template = MODULE, selectors.customer_returns, "shipping/customerreturn_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(_return_context(self, self.reader.get(pk, actor=self.actor)))


@route("returns/<int:pk>/lines/", "customerreturn_line_add")
class CustomerReturnLineAdd(Page):
    module, http_method_names, template = MODULE, ["post"], "shipping/customerreturn_detail.html"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        rma = selectors.customer_returns.fetch(pk)
        form: forms.Form = CustomerReturnLineForm(request.POST, customer_return=rma, prefix="add")
        _, failure = pages.submit(
            form,
            lambda: services.customer_return_line_create(
                actor=self.actor,
                customer_return=rma,
                **form.service_fields(),  # type: ignore[attr-defined]
            ),
        )
        if failure is not None:
            return self.render(_return_context(self, rma, add_form=form), status=pages.error_status(failure))
        messages.success(request, "Line added.")
        return redirect("shipping:customerreturn_detail", rma.pk)


@route("return-lines/<int:pk>/delete/", "customerreturn_line_delete")
class CustomerReturnLineDelete(DeletePage):
    module, reader, service = MODULE, selectors.customer_return_lines, services.customer_return_line_delete

    def target(self, obj: Model, result: Any) -> HttpResponse:
        return redirect("shipping:customerreturn_detail", obj.customer_return_id)  # type: ignore[attr-defined]


class _ReturnMove(ActionPage):
    module, reader, redirect_to = MODULE, selectors.customer_returns, "shipping:customerreturn_detail"
    success_message: ClassVar[str] = ""


@route("returns/<int:pk>/receive/", "customerreturn_receive")
class CustomerReturnReceive(_ReturnMove):
    service = services.customer_return_receive
    success_message = "Return {object.number} received into quarantine."


@route("returns/<int:pk>/cancel/", "customerreturn_cancel")
class CustomerReturnCancel(_ReturnMove):
    service, success_message = services.customer_return_cancel, "Return {object.number} cancelled."


# -- the sales order page's shipments panel (composed by sales through web.panels, registered in apps.py) -----------
def _order_shipments(request: HttpRequest, order: Any) -> dict[str, Any]:
    return {
        "order": order,
        "shipments": list(order.shipments.order_by("-id")),
        "can_ship": order.status in OPEN_STATUSES and has_perm(request, f"{MODULE}.edit"),
    }


ORDER_SHIPMENTS_PANEL = Panel(
    slot="sales.salesorder",
    anchor="shipments",
    label="Shipments",
    template="shipping/panels/order_shipments.html",
    context=_order_shipments,
    permission=f"{MODULE}.view",
)
