"""Book pages: the dashboard, invoices and credit notes, supplier bills, payments, the reports and the journal
export, the tolerances and account codes. Declared on the shared page layer (web/pages.py); the documents use
finance's shared priced document page (finance/pages.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from factoryos.books import forms as f
from factoryos.books import reports, selectors, services
from factoryos.books.models import OPEN_STATUSES, BillStatus, InvoiceStatus
from factoryos.finance.pages import DocumentPage, LineAddPage, LineDeletePage, LineEditPage, Move, MovePage
from factoryos.kernel.reads import EXPORT, LIST, NOTHING
from factoryos.web import pages
from factoryos.web.pages import DeletePage, DetailPage, FormPage, ListPage, Page, route
from factoryos.web.tables import Column

EDIT = "finance.edit"
ZERO = Decimal("0")


class BookPage(Page):
    """The book's pages are guarded by the finance permissions."""

    module = "finance"


# -- charts: server-rendered SVG bars (no script, no library) ---------------------------------------------------
def bars(rows: list[tuple[str, Decimal]], *, width: int = 560, height: int = 180) -> dict[str, Any]:
    """Vertical bars of ``rows`` (label, value) scaled to the largest value, laid out for an inline SVG."""
    top = max((abs(value) for _label, value in rows), default=ZERO) or Decimal(1)
    gap, base = 12, height - 24
    step = (width - gap) / max(len(rows), 1)
    shapes = []
    for i, (label, value) in enumerate(rows):
        h = int(Decimal(base - 16) * abs(value) / top)
        x = int(gap + i * step)
        shapes.append(
            {"label": label, "value": value, "x": x, "y": base - h, "w": max(int(step - gap), 4), "h": h,
             "mid": x + max(int(step - gap), 4) // 2, "negative": value < 0}
        )  # fmt: skip
    return {"width": width, "height": height, "base": base, "bars": shapes}


@route("", "dashboard", menu=("Book", "Dashboard", "gauge"))
class Dashboard(BookPage):
    reads, template = LIST, "books/dashboard.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        numbers = selectors.headline()
        selectors.record_report(
            actor=self.actor, report="dashboard", object_type="books.invoice", criteria={},
            count=len(numbers["top_customers"]),
        )  # fmt: skip
        charts = {
            "ar": bars(numbers["ar_buckets"]),
            "ap": bars(numbers["ap_buckets"]),
            "months": bars([(row["month"], row["net"]) for row in numbers["by_month"]]),
        }
        return self.render({"numbers": numbers, "charts": charts})


# -- lists -----------------------------------------------------------------------------------------------------------
DOCUMENT_COLUMNS = [
    Column("number", "Number", ("number", "id")),
    Column("partner", "Partner", ("partner__code", "number")),
    Column("status", "Status", ("status", "number")),
    Column("due", "Due", ("due_date", "number")),
    Column("total", "Total", ("total", "number"), "num"),
    Column("balance", "Open", None, "num"),
]


@route("invoices/", "invoice_list", menu=("Book", "Invoices", "file"))
class InvoiceList(BookPage, ListPage):
    reader = selectors.invoices
    columns = [
        *DOCUMENT_COLUMNS[:2],
        Column("kind", "Kind", ("kind", "number")),
        Column("issued", "Issued", ("issued_on", "number")),
        *DOCUMENT_COLUMNS[2:],
    ]
    default_sort = "-number"
    filter_fields = ("q", "kind", "status", "partner", "issued_from", "issued_to")


@route("bills/", "bill_list", menu=("Book", "Bills", "receipt"))
class BillList(BookPage, ListPage):
    reader = selectors.bills
    columns = [
        *DOCUMENT_COLUMNS[:2],
        Column("reference", "Their number", ("supplier_reference", "number")),
        Column("match", "Match", ("match_status", "number")),
        Column("dated", "Dated", ("bill_date", "number")),
        *DOCUMENT_COLUMNS[2:],
    ]
    default_sort = "-number"
    filter_fields = ("q", "status", "match_status", "partner", "dated_from", "dated_to")


@route("payments/", "payment_list", menu=("Book", "Payments", "coin"))
class PaymentList(BookPage, ListPage):
    reader = selectors.payments
    columns = [
        Column("number", "Number", ("number", "id")),
        Column("direction", "Direction", ("direction", "number")),
        Column("partner", "Partner", ("partner__code", "number")),
        Column("date", "Date", ("paid_on", "id")),
        Column("method", "Method", ("method", "number")),
        Column("amount", "Amount", ("amount", "number"), "num"),
        Column("unallocated", "Not allocated", None, "num"),
    ]
    default_sort = "-date"
    filter_fields = ("q", "direction", "partner", "paid_from", "paid_to")


# -- new documents -----------------------------------------------------------------------------------------------
@route("invoices/new/", "invoice_create")
class InvoiceCreate(BookPage, FormPage):
    form_class, service = f.InvoiceForm, services.invoice_create
    success_url, success_message = "books:invoice_detail", "{result} started: add its lines."
    prefill = ("partner", "credited_invoice")


@route("invoices/<int:pk>/edit/", "invoice_edit")
class InvoiceEdit(BookPage, FormPage):
    reader, form_class, service = selectors.invoices, f.InvoiceEditForm, services.invoice_update
    success_url, success_message = "books:invoice_detail", "{result} saved."
    template = "books/invoice_form.html"


@route("invoices/from-order/", "invoice_from_order")
class InvoiceFromOrder(BookPage, FormPage):
    form_class, service = f.FromOrderForm, services.invoice_from_order
    success_url, success_message = "books:invoice_detail", "{result} drafted from the order: check it and issue it."
    template = "books/from_order_form.html"

    def get_context(self, form: Any) -> dict[str, Any]:
        return {"what": "invoice", "cancel": "books:invoice_list"}


@route("invoices/from-shipment/", "invoice_from_shipment")
class InvoiceFromShipment(InvoiceFromOrder):
    form_class, service = f.FromShipmentForm, services.invoice_from_shipment
    success_message = "{result} drafted from the shipment: check it and issue it."

    def get_context(self, form: Any) -> dict[str, Any]:
        return {"what": "shipment", "cancel": "books:invoice_list"}


@route("bills/new/", "bill_create")
class BillCreate(BookPage, FormPage):
    form_class, service = f.BillForm, services.bill_create
    success_url, success_message = "books:bill_detail", "{result} started: add its lines."
    prefill = ("partner",)


@route("bills/<int:pk>/edit/", "bill_edit")
class BillEdit(BookPage, FormPage):
    reader, form_class, service = selectors.bills, f.BillEditForm, services.bill_update
    success_url, success_message = "books:bill_detail", "{result} saved."
    template = "books/bill_form.html"


@route("bills/from-order/", "bill_from_order")
class BillFromOrder(BookPage, FormPage):
    form_class, service = f.FromPurchaseOrderForm, services.bill_from_order
    success_url, success_message = "books:bill_detail", "{result} drafted from the order: check the match."
    template = "books/from_order_form.html"

    def get_context(self, form: Any) -> dict[str, Any]:
        return {"what": "bill", "cancel": "books:bill_list"}


# -- the documents -------------------------------------------------------------------------------------------------
def _add_invoice_line(*, actor: Any, document: Any, **fields: Any) -> Any:
    return services.invoice_line_create(actor=actor, invoice=document, **fields)


def _add_bill_line(*, actor: Any, document: Any, **fields: Any) -> Any:
    return services.bill_line_create(actor=actor, bill=document, **fields)


@route("invoices/<int:pk>/", "invoice_detail")
class InvoiceDetail(BookPage, DocumentPage):
    reader, write_permission, line_form = selectors.invoices, EDIT, f.InvoiceLineForm
    add_line, update_line, delete_line = _add_invoice_line, services.invoice_line_update, services.invoice_line_delete
    moves = (
        Move("issue", "Issue", services.invoice_issue, to=InvoiceStatus.ISSUED, primary=True, form_class=f.IssueForm,
             done="{result} issued, due {result.due_date}."),
        Move("credit", "Credit note", services.credit_note_for, redirect_to="books:invoice_detail",
             done="{result} drafted against {object}."),
        Move("void", "Void", services.invoice_void, to=InvoiceStatus.VOID,
             confirm="Void this invoice? Its number stays used."),
        Move("pdf", "Print PDF", services.invoice_pdf, redirect_to="documents:download"),
    )  # fmt: skip

    def allowed_moves(self, document: Any) -> list[dict[str, Any]]:
        shown = super().allowed_moves(document)
        creditable = document.kind == "invoice" and document.status in (*OPEN_STATUSES, InvoiceStatus.PAID)
        return [entry for entry in shown if entry["move"].name != "credit" or creditable]

    def get_context(self, invoice: Any) -> dict[str, Any]:
        allocations = list(invoice.allocations.select_related("payment").order_by("id"))
        return {"allocations": allocations, "credit_notes": list(invoice.credit_notes.order_by("id"))}


@route("bills/<int:pk>/", "bill_detail")
class BillDetail(BookPage, DocumentPage):
    reader, write_permission, line_form = selectors.bills, EDIT, f.BillLineForm
    add_line, update_line, delete_line = _add_bill_line, services.bill_line_update, services.bill_line_delete
    moves = (
        Move("approve", "Approve", services.bill_approve, to=BillStatus.APPROVED, primary=True,
             form_class=f.ApproveForm, done="{result} approved, due {result.due_date}."),
        Move("void", "Void", services.bill_void, to=BillStatus.VOID, confirm="Void this bill?"),
    )  # fmt: skip

    def get_context(self, bill: Any) -> dict[str, Any]:
        return {"allocations": list(bill.allocations.select_related("payment").order_by("id"))}


# Set after the classes (see sales.views): naming them in the body makes finance.pages build the line forms at import.
InvoiceDetail.lines_reader = selectors.invoice_lines
BillDetail.lines_reader = selectors.bill_lines


@route("invoices/<int:pk>/lines/", "invoice_line_add")
class InvoiceLineAdd(BookPage, LineAddPage):
    document = InvoiceDetail


@route("invoice-lines/<int:pk>/", "invoice_line_edit")
class InvoiceLineEdit(BookPage, LineEditPage):
    document = InvoiceDetail


@route("invoice-lines/<int:pk>/delete/", "invoice_line_delete")
class InvoiceLineDelete(BookPage, LineDeletePage):
    document = InvoiceDetail


@route("invoices/<int:pk>/issue/", "invoice_issue", move="issue")
@route("invoices/<int:pk>/credit/", "invoice_credit", move="credit")
@route("invoices/<int:pk>/void/", "invoice_void", move="void")
@route("invoices/<int:pk>/pdf/", "invoice_pdf", move="pdf")
class InvoiceMove(BookPage, MovePage):
    document = InvoiceDetail


@route("invoices/<int:pk>/delete/", "invoice_delete")
class InvoiceDelete(BookPage, DeletePage):
    reader, service, redirect_to = selectors.invoices, services.invoice_delete, "books:invoice_list"


@route("bills/<int:pk>/lines/", "bill_line_add")
class BillLineAdd(BookPage, LineAddPage):
    document = BillDetail


@route("bill-lines/<int:pk>/", "bill_line_edit")
class BillLineEdit(BookPage, LineEditPage):
    document = BillDetail


@route("bill-lines/<int:pk>/delete/", "bill_line_delete")
class BillLineDelete(BookPage, LineDeletePage):
    document = BillDetail


@route("bills/<int:pk>/approve/", "bill_approve", move="approve")
@route("bills/<int:pk>/void/", "bill_void", move="void")
class BillMove(BookPage, MovePage):
    document = BillDetail


@route("bills/<int:pk>/delete/", "bill_delete")
class BillDelete(BookPage, DeletePage):
    reader, service, redirect_to = selectors.bills, services.bill_delete, "books:bill_list"


# -- payments ------------------------------------------------------------------------------------------------------
@route("payments/new/", "payment_create")
class PaymentCreate(BookPage, FormPage):
    form_class, service = f.PaymentForm, services.payment_create
    success_url, success_message = "books:payment_detail", "{result} recorded: allocate it to documents."
    prefill = ("partner",)


@route("payments/<int:pk>/", "payment_detail")
class PaymentDetail(BookPage, DetailPage):
    reader, write_permission = selectors.payments, EDIT
    template = "books/payment_detail.html"

    def get_context(self, payment: Any) -> dict[str, Any]:
        return _payment_context(payment)


def _payment_context(payment: Any, form: Any = None) -> dict[str, Any]:
    allocations = list(payment.allocations.select_related("invoice", "bill").order_by("id"))
    return {"allocations": allocations, "allocate_form": form or f.AllocateForm(payment=payment, prefix="allocate")}


@route("payments/<int:pk>/allocate/", "payment_allocate")
class PaymentAllocate(BookPage):
    """Apply part of the payment to one document; a refusal shows the payment with the form's errors."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        payment = selectors.payments.fetch(pk)
        form = f.AllocateForm(request.POST, payment=payment, prefix="allocate")
        _result, failure = pages.submit(
            form, lambda: services.payment_allocate(actor=self.actor, obj=payment, **form.service_fields())
        )
        if failure is None:
            messages.success(request, f"{form.cleaned_data['amount']} of {payment} allocated.")
            return redirect("books:payment_detail", payment.pk)
        context = {"payment": payment, **_payment_context(payment, form)}
        return pages.render(request, "books/payment_detail.html", context, status=pages.error_status(failure))


@route("payments/<int:pk>/edit/", "payment_edit")
class PaymentEdit(BookPage, FormPage):
    reader, form_class, service = selectors.payments, f.PaymentEditForm, services.payment_update
    success_url, success_message = "books:payment_detail", "{result} saved."
    template = "books/payment_form.html"


# -- reports, the journal, the settings ----------------------------------------------------------------------------
@route("reports/", "report_list", menu=("Book", "Reports", "chart"))
class ReportList(BookPage):
    reads, template = NOTHING, "books/report_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        today = date.today()
        form = f.JournalForm(initial={"date_from": today.replace(day=1), "date_to": today, "format": "csv"})
        listed = [
            {"report": report, "url": f"books:report_{report.slug.replace('-', '_')}"}
            for report in reports.REPORTS.values()
        ]
        return self.render({"reports": listed, "journal_form": form})


def _params(request: HttpRequest) -> tuple[Any, reports.Params]:
    form = f.ReportForm(request.GET or None, initial={"on": timezone.localdate()})  # aging says which day it ages on
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    return form, reports.Params(**{k: v for k, v in data.items() if v})


class ReportPage(BookPage):
    """One report as a table (and a bar chart), with its parameters and its downloads."""

    reads, template = LIST, "books/report.html"
    slug: ClassVar[str] = ""

    def get(self, request: HttpRequest) -> HttpResponse:
        report = reports.report_of(self.slug)
        form, params = _params(request)
        try:
            summary = report.summary(params, actor=self.actor)
        except pages.SERVICE_ERRORS as exc:
            pages.apply_errors(form, exc)
            summary = report.summary(reports.Params(), actor=self.actor)
        rows, chart = summary.rows, None
        if report.chart and rows:
            label, value = report.chart
            chart = bars([(str(row[label] or "—"), row[value]) for row in rows[:12]])
        return self.render(
            {
                "report": report, "form": form, "count": summary.count, "shown": len(rows),
                "table": [list(zip(row, report.columns, strict=True)) for row in report.table(rows)],
                "totals": [(summary.totals.get(c.key), c) for c in report.columns],
                "chart": chart, "query": request.GET.urlencode(),
                "export_url": f"books:report_{report.slug.replace('-', '_')}_export",
            }
        )  # fmt: skip


class ReportExport(BookPage):
    reads = EXPORT
    slug: ClassVar[str] = ""

    def get(self, request: HttpRequest) -> HttpResponse:
        _form, params = _params(request)
        fmt = request.GET.get("format", "csv")
        try:
            content, content_type, filename = reports.export(
                reports.report_of(self.slug), params, fmt, actor=self.actor
            )
        except pages.SERVICE_ERRORS as exc:
            pages.flash_failure(request, exc)
            return redirect(f"books:report_{self.slug.replace('-', '_')}")
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


for _slug in reports.REPORTS:
    _name = _slug.replace("-", "_")
    route(f"reports/{_slug}/", f"report_{_name}", slug=_slug)(ReportPage)
    route(f"reports/{_slug}/export/", f"report_{_name}_export", slug=_slug)(ReportExport)


@route("journal/export/", "journal_export")
class JournalExport(BookPage):
    """The journal CSV (or XLSX) of a date range, for the accountant's ledger (this month unless asked)."""

    reads = EXPORT

    def get(self, request: HttpRequest) -> HttpResponse:
        today = date.today()
        form = f.JournalForm(request.GET or {"date_from": today.replace(day=1), "date_to": today, "format": "csv"})
        if not form.is_valid():
            pages.flash_failure(request, ValidationError(form.errors.as_data()))
            return redirect("books:report_list")
        data = form.cleaned_data
        try:
            content, content_type, filename = reports.export_journal(
                data["date_from"], data["date_to"], data["format"], actor=self.actor
            )
        except pages.SERVICE_ERRORS as exc:
            pages.flash_failure(request, exc)
            return redirect("books:report_list")
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@route("settings/", "settings")
class SettingsPage(BookPage, FormPage):
    """The three-way match tolerances."""

    form_class, service = f.BooksSettingsForm, services.books_settings_update
    success_url, success_message = "books:settings", "Tolerances saved."
    template = "books/settings_form.html"

    def get_initial(self) -> dict[str, Any]:
        current = services.tolerances()
        return {name: getattr(current, name) for name in self.form_class.base_fields}

    def get_context(self, form: Any) -> dict[str, Any]:
        return {"heading": "Bill matching tolerances", "about": "How far a bill may differ from its order and receipts "
                "before it needs someone with the approve permission."}  # fmt: skip


@route("accounts/", "account_mapping")
class AccountMappingPage(SettingsPage):
    """The ledger account codes of the journal export."""

    form_class, service = f.AccountMappingForm, services.account_mapping_update
    success_url, success_message = "books:account_mapping", "Account codes saved."

    def get_initial(self) -> dict[str, Any]:
        current = services.accounts()
        return {name: getattr(current, name) for name in self.form_class.base_fields}

    def get_context(self, form: Any) -> dict[str, Any]:
        return {"heading": "Account codes", "about": "The ledger accounts the journal export posts to, as your "
                "accountant numbers them."}  # fmt: skip
