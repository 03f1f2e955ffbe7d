"""Buy pages: requisitions, requests for quotation (with the answers compared), purchase orders (the shared priced
document page, finance/pages.py), receipts and returns to suppliers, and the purchasing settings with the approval
limits; declared on the shared page layer (web/pages.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.documents import selectors as documents
from factoryos.finance.pages import DocumentPage, LineAddPage, LineDeletePage, LineEditPage, Move, MovePage
from factoryos.kernel.access import has_perm
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.reads import LIST, VIEW, Reader
from factoryos.kernel.transitions import can_transition, is_editable
from factoryos.purchasing import forms as f
from factoryos.purchasing import selectors, services
from factoryos.purchasing.models import (
    OPEN_FOR_RECEIPT,
    POStatus,
    ReceiptStatus,
    RequisitionStatus,
    RfqStatus,
    SupplierReturnStatus,
)
from factoryos.web import pages
from factoryos.web.pages import ActionPage, DetailPage, FormPage, ListPage, Page, route
from factoryos.web.tables import Column

EDIT, APPROVE = "purchasing.edit", "purchasing.approve"


# -- the pieces the non-priced documents share -----------------------------------------------------------------------
class RecordPage(DetailPage):
    """A record with lines and forms beside it (requisition, RFQ, receipt, return): ``forms(obj)`` gives the
    context's forms, which a refused POST replaces by its bound one (shown with its errors, 400 or 409)."""

    def forms(self, obj: Any) -> dict[str, Any]:
        return {}

    def may_edit(self) -> bool:
        return has_perm(self.request, EDIT)

    def context(self, obj: Any, **bound: Any) -> dict[str, Any]:
        return {
            self.noun: obj,
            "editable": is_editable(obj) and self.may_edit(),
            "can_edit": self.may_edit(),
            **self.forms(obj),
            **self.get_context(obj),
            **bound,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(self.context(self.reader.get(pk, actor=self.actor)))

    def refused(self, obj: Any, failure: Exception, **bound: Any) -> HttpResponse:
        bound.setdefault("notice", "" if bound else error_messages(failure))
        return self.render(self.context(obj, **bound), status=pages.error_status(failure))


class Part(Page):
    """A POST on a record's page: one service; the record's page again on a refusal, else back to it."""

    http_method_names = ["post"]
    record: ClassVar[type[RecordPage]]
    parent_of: ClassVar[Callable[[Any], Any] | None] = None  # the record a child row (a line) belongs to
    reader: ClassVar[Reader[Any] | None] = None  # the row the URL names (default: the record's reader)

    def page(self) -> RecordPage:
        page = self.record()
        page.setup(self.request, **self.kwargs)
        return page

    def back(self, record: Any) -> HttpResponse:
        return redirect(f"purchasing:{self.record.noun}_detail", record.pk)


class FormPart(Part):
    """``form_class`` bound to the POST (named ``form_name`` in the record's context), then ``call``."""

    form_class: ClassVar[Callable[..., forms.Form]]
    form_name: ClassVar[str] = "form"
    done: ClassVar[str] = "Saved."

    def make_form(self, record: Any, data: Any) -> forms.Form:
        return self.form_class(data, prefix=self.form_name)

    def call(self, record: Any, form: Any) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        page = self.page()
        row = (self.reader or page.reader).fetch(pk)
        record = self.parent_of(row) if self.parent_of else row
        form = self.make_form(record, request.POST)
        result, failure = pages.submit(form, lambda: self.call(row, form))
        if failure is not None:
            return page.refused(record, failure, **{self.form_name: form})
        messages.success(request, self.done.format(result=result, object=record))
        return self.after(record, result)

    def after(self, record: Any, result: Any) -> HttpResponse:
        return self.back(record)


class Action(ActionPage):
    """A button on a record's page: ``service(actor=, obj=)`` (given per address), then back to the record."""

    service: Callable[..., Any] | None = None
    parent_of: Callable[[Any], Any] | None = None
    record_url: ClassVar[str] = ""

    def call(self, obj: Any) -> Any:
        assert self.service is not None
        return self.service(actor=self.actor, obj=obj)

    def target(self, obj: Any, result: Any) -> HttpResponse:
        record = self.parent_of(obj) if self.parent_of else obj
        return redirect(self.record_url, record.pk)


# -- requisitions -------------------------------------------------------------------------------------------------
DATES = ("date_from", "date_to")


@route("requisitions/", "requisition_list", menu=("Buy", "Requisitions", "clipboard"))
class RequisitionList(ListPage):
    reader = selectors.requisitions
    columns = [
        Column("number", "Number", ("number",)),
        Column("requested", "Requested by", ("requested_by__email", "number")),
        Column("needed", "Needed by", ("needed_by", "number")),
        Column("status", "Status", ("status", "number")),
        Column("created", "Raised", ("created_at", "id")),
    ]
    default_sort = "-created"
    filter_fields = ("q", "status", *DATES)


@route("requisitions/new/", "requisition_create")
class RequisitionCreate(FormPage):
    form_class, service = f.RequisitionForm, services.requisition_create
    success_url, success_message = (
        "purchasing:requisition_detail",
        "Requisition {result.number} started: add its lines.",
    )


@route("requisitions/<int:pk>/", "requisition_detail")
class RequisitionDetail(RecordPage):
    reader = selectors.requisitions

    def forms(self, obj: Any) -> dict[str, Any]:
        return {
            "line_form": f.RequisitionLineForm(prefix="line_form"),
            "reject_form": f.RejectForm(prefix="reject_form"),
            "rfq_form": f.RfqCreateForm(prefix="rfq_form"),
        }

    def get_context(self, requisition: Any) -> dict[str, Any]:
        approver = has_perm(self.request, APPROVE)
        return {
            "lines": list(requisition.lines.select_related("item__uom")),
            "rfqs": list(requisition.rfqs.order_by("-id")),
            "can_submit": can_transition(requisition, RequisitionStatus.SUBMITTED) and self.may_edit(),
            "can_decide": can_transition(requisition, RequisitionStatus.APPROVED) and approver,
            "can_quote": requisition.status == RequisitionStatus.APPROVED and self.may_edit(),
        }


@route("requisitions/<int:pk>/lines/", "requisition_line_add")
class RequisitionLineAdd(FormPart):
    record, form_class, form_name, done = RequisitionDetail, f.RequisitionLineForm, "line_form", "Line added."

    def call(self, record: Any, form: Any) -> Any:
        return services.requisition_line_create(actor=self.actor, requisition=record, **form.service_fields())


@route("requisitions/<int:pk>/reject/", "requisition_reject")
class RequisitionReject(FormPart):
    record, form_class, form_name, done = RequisitionDetail, f.RejectForm, "reject_form", "{object} rejected."
    permission = APPROVE

    def call(self, record: Any, form: Any) -> Any:
        return services.requisition_reject(actor=self.actor, obj=record, reason=form.cleaned_data["reason"])


@route("requisitions/<int:pk>/rfq/", "requisition_rfq")
class RequisitionRfq(FormPart):
    record, form_class, form_name, done = RequisitionDetail, f.RfqCreateForm, "rfq_form", "{result.number} started."

    def call(self, record: Any, form: Any) -> Any:
        fields = form.service_fields()
        return services.request_for_quotation_create(actor=self.actor, requisition=record, **fields)

    def after(self, record: Any, result: Any) -> HttpResponse:
        return redirect("purchasing:requestforquotation_detail", result.pk)


@route("requisitions/<int:pk>/submit/", "requisition_submit", service=services.requisition_submit)
class RequisitionAction(Action):
    reader, record_url, success_message = selectors.requisitions, "purchasing:requisition_detail", "{result} updated."


@route("requisitions/<int:pk>/approve/", "requisition_approve", service=services.requisition_approve)
class RequisitionApprove(RequisitionAction):
    permission = APPROVE


@route("requisition-lines/<int:pk>/delete/", "requisition_line_delete", service=services.requisition_line_delete)
class RequisitionLineDelete(Action):
    reader, record_url, success_message = selectors.requisition_lines, "purchasing:requisition_detail", "Line removed."

    @staticmethod
    def parent_of(line: Any) -> Any:
        return line.requisition


# -- requests for quotation ------------------------------------------------------------------------------------------
@route("rfqs/", "requestforquotation_list", menu=("Buy", "RFQs", "file"))
class RfqList(ListPage):
    reader = selectors.rfqs
    columns = [
        Column("number", "Number", ("number",)),
        Column("requisition", "Requisition", ("requisition__number", "number")),
        Column("respond", "Answers by", ("respond_by", "number")),
        Column("status", "Status", ("status", "number")),
        Column("created", "Created", ("created_at", "id")),
    ]
    default_sort = "-created"
    filter_fields = ("q", "status", "supplier", *DATES)


@route("rfqs/<int:pk>/", "requestforquotation_detail")
class RfqDetail(RecordPage):
    reader, noun = selectors.rfqs, "requestforquotation"

    def forms(self, rfq: Any) -> dict[str, Any]:
        return {
            "supplier_form": f.RfqSupplierForm(prefix="supplier_form"),
            "quote_form": f.SupplierQuoteForm(prefix="quote_form", rfq=rfq),
        }

    def get_context(self, rfq: Any) -> dict[str, Any]:
        comparison = selectors.comparison(rfq)
        for line in comparison["lines"]:  # one cell per supplier column, in the suppliers' order
            answers = {answer["rfq_supplier_id"]: answer for answer in line["answers"]}
            line["cells"] = [answers.get(s["rfq_supplier_id"]) for s in comparison["suppliers"]]
        return {
            "rfq": rfq,
            "comparison": comparison,
            "suppliers": list(rfq.suppliers.select_related("supplier")),
            "orders": list(rfq.orders.select_related("partner")),
            "answerable": rfq.status in (RfqStatus.DRAFT, RfqStatus.SENT) and self.may_edit(),
            "can_send": can_transition(rfq, RfqStatus.SENT) and self.may_edit(),
            "can_award": can_transition(rfq, RfqStatus.AWARDED) and self.may_edit(),
            "can_cancel": can_transition(rfq, RfqStatus.CANCELLED) and self.may_edit(),
        }


def _rfq_of(row: Any) -> Any:
    return row.rfq


@route("rfqs/<int:pk>/suppliers/", "rfq_supplier_add")
class RfqSupplierAdd(FormPart):
    record, form_class, form_name, done = RfqDetail, f.RfqSupplierForm, "supplier_form", "Supplier added."

    def call(self, record: Any, form: Any) -> Any:
        return services.rfq_supplier_create(actor=self.actor, rfq=record, **form.service_fields())


@route("rfqs/<int:pk>/quotes/", "rfq_quote_add")
class RfqQuoteAdd(FormPart):
    record, form_class, form_name, done = RfqDetail, f.SupplierQuoteForm, "quote_form", "Answer entered."

    def make_form(self, record: Any, data: Any) -> forms.Form:
        return f.SupplierQuoteForm(data, prefix=self.form_name, rfq=record)

    def call(self, record: Any, form: Any) -> Any:
        return services.supplier_quote_create(actor=self.actor, **form.service_fields())


@route("rfqs/<int:pk>/award/", "rfq_award")
class RfqAward(Part):
    """Order the chosen answer of each line (``choice-<line id>``: an RFQ supplier's id; none: the cheapest)."""

    record = RfqDetail

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        page = self.page()
        rfq = page.reader.fetch(pk)
        form = f.AwardForm(request.POST, rfq=rfq)
        orders, failure = pages.submit(
            form,
            lambda: services.request_for_quotation_award(
                actor=self.actor,
                obj=rfq,
                choices=form.choices() or None,  # type: ignore[arg-type]
            ),
        )
        if failure is not None:
            return page.refused(rfq, failure, award_form=form, notice=error_messages(failure))
        messages.success(request, f"Awarded: {', '.join(order.number for order in orders)} (drafts to submit).")
        return self.back(rfq)


@route("rfqs/<int:pk>/send/", "rfq_send", service=services.request_for_quotation_send)
@route("rfqs/<int:pk>/cancel/", "rfq_cancel", service=services.request_for_quotation_cancel)
class RfqAction(Action):
    reader, record_url, success_message = selectors.rfqs, "purchasing:requestforquotation_detail", "{result} updated."


@route("rfq-suppliers/<int:pk>/delete/", "rfq_supplier_delete", service=services.rfq_supplier_delete)
class RfqSupplierDelete(Action):
    reader, record_url, success_message = selectors.rfq_suppliers, "purchasing:requestforquotation_detail", "Removed."
    parent_of = staticmethod(_rfq_of)


@route("supplier-quotes/<int:pk>/delete/", "supplier_quote_delete", service=services.supplier_quote_delete)
class SupplierQuoteDelete(Action):
    reader, record_url, success_message = selectors.supplier_quotes, "purchasing:requestforquotation_detail", "Removed."

    @staticmethod
    def parent_of(quote: Any) -> Any:
        return quote.rfq_line.rfq


# -- purchase orders -------------------------------------------------------------------------------------------------
@route("orders/", "purchaseorder_list", menu=("Buy", "Purchase orders", "cart"))
class PurchaseOrderList(ListPage):
    reader = selectors.purchase_orders
    columns = [
        Column("number", "Number", ("number",)),
        Column("supplier", "Supplier", ("partner__code", "number")),
        Column("reference", "Their reference", ("supplier_reference", "number")),
        Column("status", "Status", ("status", "number")),
        Column("date", "Order date", ("order_date", "id")),
        Column("expected", "Expected", ("expected_date", "number")),
        Column("total", "Total", ("total", "number"), "num"),
    ]
    default_sort = "-date"
    filter_fields = ("q", "status", "supplier", *DATES)


@route("orders/new/", "purchaseorder_create")
class PurchaseOrderCreate(FormPage):
    form_class, service = f.PurchaseOrderForm, services.purchase_order_create
    success_url, success_message = "purchasing:purchaseorder_detail", "{result.number} started: add its lines."
    prefill = ("partner",)


@route("orders/<int:pk>/edit/", "purchaseorder_edit")
class PurchaseOrderEdit(FormPage):
    reader, form_class, service = selectors.purchase_orders, f.PurchaseOrderEditForm, services.purchase_order_update
    success_url, success_message = "purchasing:purchaseorder_detail", "{result.number} saved."


class EmailForm(forms.Form):
    to = forms.EmailField(required=False, help_text="Empty: the supplier's primary contact")
    message = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


@route("orders/<int:pk>/", "purchaseorder_detail")
class PurchaseOrderDetail(DocumentPage):
    reader, line_form = selectors.purchase_orders, f.PurchaseOrderLineForm
    lines_reader = selectors.purchase_order_lines
    add_line = services.purchase_order_line_add
    update_line, delete_line = services.purchase_order_line_update, services.purchase_order_line_delete
    moves = (
        Move("submit", "Submit", services.purchase_order_submit, to=POStatus.PENDING_APPROVAL, primary=True,
             done="{result.number} submitted: {result.status}."),
        Move("approve", "Approve", services.purchase_order_approve, to=POStatus.APPROVED, primary=True),
        Move("email", "Email to supplier", services.purchase_order_email, to=POStatus.SENT, form_class=EmailForm,
             primary=True, done="{result.number} emailed to the supplier."),
        Move("send", "Mark as sent", services.purchase_order_send, to=POStatus.SENT),
        Move("close", "Close", services.purchase_order_close, to=POStatus.CLOSED,
             confirm="Close this order? Nothing more is expected on it."),
        Move("cancel", "Cancel order", services.purchase_order_cancel, to=POStatus.CANCELLED,
             confirm="Cancel this order?"),
        Move("pdf", "Print PDF", services.purchase_order_pdf, redirect_to="documents:download"),
    )  # fmt: skip

    def allowed_moves(self, document: Any) -> list[dict[str, Any]]:
        shown = super().allowed_moves(document)
        if document.status == POStatus.DRAFT:  # submit leads to approved or pending: approve waits its turn
            shown = [entry for entry in shown if entry["move"].name != "approve"]
        return shown

    def get_context(self, order: Any) -> dict[str, Any]:
        lines = order.lines.aggregate(goods=Count("id", filter=Q(item__isnull=False)), every=Count("id"))
        goods = lines["goods"] > 0  # a service line (the supplier's work on our parts) comes back on the shop floor
        return {
            "receipts": list(order.receipts.order_by("-id")),
            "documents": list(documents.for_record(order)[:5]),
            "receive_form": f.ReceiveForm(prefix="receive"),
            "can_receive": order.status in OPEN_FOR_RECEIPT and has_perm(self.request, EDIT) and goods,
            "services_only": lines["every"] > 0 and not goods,
            "amount": services.amount_of(order),
        }


@route("orders/<int:pk>/lines/", "purchaseorder_line_add")
class PurchaseOrderLineAdd(LineAddPage):
    document = PurchaseOrderDetail


@route("order-lines/<int:pk>/", "purchaseorder_line_edit")
class PurchaseOrderLineEdit(LineEditPage):
    document = PurchaseOrderDetail


@route("order-lines/<int:pk>/delete/", "purchaseorder_line_delete")
class PurchaseOrderLineDelete(LineDeletePage):
    document = PurchaseOrderDetail


@route("orders/<int:pk>/submit/", "purchaseorder_submit", move="submit")
@route("orders/<int:pk>/approve/", "purchaseorder_approve", move="approve")
@route("orders/<int:pk>/email/", "purchaseorder_email", move="email")
@route("orders/<int:pk>/send/", "purchaseorder_send", move="send")
@route("orders/<int:pk>/close/", "purchaseorder_close", move="close")
@route("orders/<int:pk>/cancel/", "purchaseorder_cancel", move="cancel")
@route("orders/<int:pk>/pdf/", "purchaseorder_pdf", move="pdf")
class PurchaseOrderMove(MovePage):
    document = PurchaseOrderDetail


@route("orders/<int:pk>/receive/", "purchaseorder_receive")
class PurchaseOrderReceive(Page):
    """A receipt of the order, with a line for everything outstanding when a location is given."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = selectors.purchase_orders.fetch(pk)
        form = f.ReceiveForm(request.POST, prefix="receive")
        receipt, failure = pages.submit(
            form, lambda: services.receipt_create(actor=self.actor, purchase_order=order, **form.service_fields())
        )
        if failure is not None:
            page = PurchaseOrderDetail()
            page.setup(request, pk=pk)
            return page.refused(order, failure, receive_form=form)
        messages.success(request, f"{receipt.number} started: check the quantities and lots, then post it.")
        return redirect("purchasing:receipt_detail", receipt.pk)


# -- receipts ----------------------------------------------------------------------------------------------------------
@route("receipts/", "receipt_list", menu=("Buy", "Receipts", "receipt"))
class ReceiptList(ListPage):
    reader = selectors.receipts
    columns = [
        Column("number", "Number", ("number",)),
        Column("order", "Order", ("purchase_order__number", "number")),
        Column("supplier", "Supplier", ("supplier__code", "number")),
        Column("reference", "Delivery note", ("supplier_reference", "number")),
        Column("status", "Status", ("status", "number")),
        Column("received", "Received", ("received_at", "id")),
    ]
    default_sort = "-received"
    filter_fields = ("q", "status", "supplier", *DATES)


@route("receipts/<int:pk>/", "receipt_detail")
class ReceiptDetail(RecordPage):
    reader = selectors.receipts

    def forms(self, receipt: Any) -> dict[str, Any]:
        return {
            "line_form": f.ReceiptLineForm(prefix="line_form", receipt=receipt),
            "return_form": f.SupplierReturnForm(prefix="return_form"),
        }

    def get_context(self, receipt: Any) -> dict[str, Any]:
        return {
            "lines": list(receipt.lines.select_related("item__uom", "location", "po_line")),
            "returns": list(receipt.returns.order_by("-id")),
            "can_post": can_transition(receipt, ReceiptStatus.POSTED) and self.may_edit(),
            "can_return": receipt.status == ReceiptStatus.POSTED and self.may_edit(),
            "org_currency": self.actor.org.currency,
        }


def _receipt_of(row: Any) -> Any:
    return row.receipt


@route("receipts/<int:pk>/lines/", "receipt_line_add")
class ReceiptLineAdd(FormPart):
    record, form_name, done = ReceiptDetail, "line_form", "Line added."

    def make_form(self, record: Any, data: Any) -> forms.Form:
        return f.ReceiptLineForm(data, prefix=self.form_name, receipt=record)

    def call(self, record: Any, form: Any) -> Any:
        return services.receipt_line_create(actor=self.actor, receipt=record, **form.service_fields())


@route("receipt-lines/<int:pk>/", "receiptline_edit")
class ReceiptLineEdit(FormPage):
    """A line of a draft receipt: quantity, location, lot and expiry, cost."""

    reader, form_class, service = selectors.receipt_lines, f.ReceiptLineEditForm, services.receipt_line_update
    noun = "line"
    template = "purchasing/receiptline_form.html"

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for name in ("quantity", "unit_cost"):
            initial[name] = initial[name].normalize()
        return initial

    def succeeded(self, result: Any) -> HttpResponse:
        messages.success(self.request, "Line saved.")
        return redirect("purchasing:receipt_detail", result.receipt_id)


@route("receipts/<int:pk>/return/", "receipt_return")
class ReceiptReturn(FormPart):
    record, form_name, form_class, done = ReceiptDetail, "return_form", f.SupplierReturnForm, "{result.number} started."

    def call(self, record: Any, form: Any) -> Any:
        return services.supplier_return_create(actor=self.actor, receipt=record, **form.service_fields())

    def after(self, record: Any, result: Any) -> HttpResponse:
        return redirect("purchasing:supplierreturn_detail", result.pk)


@route("receipts/<int:pk>/post/", "receipt_post", service=services.receipt_post)
@route("receipts/<int:pk>/cancel/", "receipt_cancel", service=services.receipt_cancel)
class ReceiptAction(Action):
    reader, record_url, success_message = selectors.receipts, "purchasing:receipt_detail", "{result} {result.status}."


@route("receipt-lines/<int:pk>/delete/", "receipt_line_delete", service=services.receipt_line_delete)
class ReceiptLineDelete(Action):
    reader, record_url, success_message = selectors.receipt_lines, "purchasing:receipt_detail", "Line removed."
    parent_of = staticmethod(_receipt_of)


# -- returns to suppliers ----------------------------------------------------------------------------------------------
@route("returns/", "supplierreturn_list")
class SupplierReturnList(ListPage):
    reader = selectors.supplier_returns
    columns = [
        Column("number", "Number", ("number",)),
        Column("receipt", "Receipt", ("receipt__number", "number")),
        Column("supplier", "Supplier", ("supplier__code", "number")),
        Column("reason", "Reason"),
        Column("status", "Status", ("status", "number")),
        Column("created", "Created", ("created_at", "id")),
    ]
    default_sort = "-created"
    filter_fields = ("q", "status", "supplier", *DATES)


@route("returns/<int:pk>/", "supplierreturn_detail")
class SupplierReturnDetail(RecordPage):
    reader = selectors.supplier_returns

    def forms(self, supplier_return: Any) -> dict[str, Any]:
        return {"line_form": f.SupplierReturnLineForm(prefix="line_form", supplier_return=supplier_return)}

    def get_context(self, supplier_return: Any) -> dict[str, Any]:
        lines = supplier_return.lines.select_related("receipt_line__item__uom", "receipt_line__location")
        return {
            "lines": list(lines),
            "can_post": can_transition(supplier_return, SupplierReturnStatus.POSTED) and self.may_edit(),
        }


@route("returns/<int:pk>/lines/", "supplierreturn_line_add")
class SupplierReturnLineAdd(FormPart):
    record, form_name, done = SupplierReturnDetail, "line_form", "Line added."

    def make_form(self, record: Any, data: Any) -> forms.Form:
        return f.SupplierReturnLineForm(data, prefix=self.form_name, supplier_return=record)

    def call(self, record: Any, form: Any) -> Any:
        return services.supplier_return_line_create(actor=self.actor, supplier_return=record, **form.service_fields())


@route("returns/<int:pk>/post/", "supplierreturn_post", service=services.supplier_return_post)
@route("returns/<int:pk>/cancel/", "supplierreturn_cancel", service=services.supplier_return_cancel)
class SupplierReturnAction(Action):
    reader, success_message = selectors.supplier_returns, "{result} {result.status}."
    record_url = "purchasing:supplierreturn_detail"


@route("return-lines/<int:pk>/delete/", "supplierreturn_line_delete", service=services.supplier_return_line_delete)
class SupplierReturnLineDelete(Action):
    reader, success_message = selectors.supplier_return_lines, "Line removed."
    record_url = "purchasing:supplierreturn_detail"

    @staticmethod
    def parent_of(line: Any) -> Any:
        return line.supplier_return


# -- settings and approval limits -----------------------------------------------------------------------------------
@route("settings/", "settings", menu=("Buy", "Purchasing settings", "percent"))
class PurchasingSettingsPage(FormPage):
    """The over-receipt tolerance (changed by approvers only: it is a control over receipts)."""

    form_class, service = f.SettingsForm, services.purchasing_settings_update
    template, noun, reads = "purchasing/settings.html", "settings", VIEW
    permission, write_permission = "purchasing.view", APPROVE
    success_url, success_message = "purchasing:settings", "Purchasing settings saved."

    def load(self, pk: int | None, *, record: bool) -> None:
        self.object = selectors.settings(actor=self.actor) if record else services.current_settings()


@route("settings/limits/", "approvallimit_list")
class ApprovalLimitList(FormPage):
    """The approval limit of each role; POST (approvers only) sets one."""

    http_method_names, reads = ["get", "head"], LIST
    form_class, service = f.ApprovalLimitForm, services.approval_limit_create
    template = "purchasing/approvallimit_list.html"
    success_url, success_message = "purchasing:approvallimit_list", "Limit for {result.role_label} saved."

    def get_context(self, form: Any) -> dict[str, Any]:
        limits = selectors.approval_limits
        return {
            "limits": self.rows(limits, limits.all().order_by("role", "custom_role__name")),
            "can_approve": has_perm(self.request, APPROVE),
        }


@route("settings/limits/new/", "approvallimit_create")
class ApprovalLimitCreate(ApprovalLimitList):
    http_method_names = ["post"]
    permission = APPROVE


@route("settings/limits/<int:pk>/delete/", "approvallimit_delete")
class ApprovalLimitDelete(ActionPage):
    reader, service, redirect_to = (
        selectors.approval_limits,
        services.approval_limit_delete,
        "purchasing:approvallimit_list",
    )
    permission = APPROVE
    success_message = "Limit removed."
