"""Book: invoices, credit notes, supplier bills, payments and their allocations (resources), the moves of a
document (issue, approve, void, allocate, from an order), the reports, the journal and the settings."""

from datetime import date
from typing import Any, Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from factoryos.books import reports, selectors, services
from factoryos.books import schemas as s
from factoryos.books.errors import BooksError
from factoryos.documents.schemas import RenderedOut
from factoryos.kernel.access import requires
from factoryos.kernel.errors import DomainError
from factoryos.kernel.reads import EXPORT, LIST, NOTHING, reads
from factoryos.kernel.resources import PathId, Resource, add_resources

router = Router(tags=["books"])


# -- documents from orders (declared before the resources: /invoices/{id} would take the path) ------------
@router.post("/invoices/from-order", response={201: s.InvoiceOut}, operation_id="invoices_from_order")
@requires("finance.edit")
def invoice_from_order(request, payload: s.FromOrderIn):
    """A draft invoice for what of a sales order is not invoiced yet (or only what is shipped)."""
    return Status(201, services.invoice_from_order(actor=request.membership, **payload.model_dump()))


@router.post("/invoices/from-shipment", response={201: s.InvoiceOut}, operation_id="invoices_from_shipment")
@requires("finance.edit")
def invoice_from_shipment(request, payload: s.FromShipmentIn):
    """A draft invoice for what a shipped shipment carried and is not invoiced yet."""
    return Status(201, services.invoice_from_shipment(actor=request.membership, **payload.model_dump()))


@router.post("/bills/from-order", response={201: s.BillOut}, operation_id="bills_from_order")
@requires("finance.edit")
def bill_from_order(request, payload: s.FromPurchaseOrderIn):
    """A draft bill for what of a purchase order is received and not billed yet."""
    return Status(201, services.bill_from_order(actor=request.membership, **payload.model_dump()))


DOCUMENT_SORTS = {"number": "number", "created_at": "created_at", "due_date": "due_date", "total": "total"}

add_resources(
    router,
    Resource("invoices", selectors.invoices, ordering={**DOCUMENT_SORTS, "issued_on": "issued_on"}, module="finance"),
    Resource("invoice-lines", selectors.invoice_lines, ordering=("position",), module="finance"),
    Resource("bills", selectors.bills, ordering={**DOCUMENT_SORTS, "bill_date": "bill_date"}, module="finance"),
    Resource("bill-lines", selectors.bill_lines, ordering=("position",), module="finance"),
    Resource("payments", selectors.payments, ordering=("paid_on", "number", "amount"), module="finance"),
    Resource("payment-allocations", selectors.payment_allocations, ordering=("created_at",), module="finance"),
    schemas=s,
    services=services,
)


# -- the moves of a document -----------------------------------------------------------------------------------------
@router.post("/invoices/{id}/issue", response=s.InvoiceOut, operation_id="invoices_issue")
@requires("finance.edit")
def invoice_issue(request, id: PathId, payload: s.InvoiceIssueIn):  # noqa: A002
    """Issue a draft: it takes its number (INV- or CN-), its date and its due date (the customer's terms)."""
    invoice = selectors.invoices.fetch(id)
    return services.invoice_issue(actor=request.membership, obj=invoice, **payload.model_dump(exclude_none=True))


@router.post("/invoices/{id}/void", response=s.InvoiceOut, operation_id="invoices_void")
@requires("finance.edit")
def invoice_void(request, id: PathId):  # noqa: A002
    """Void an issued invoice nothing is paid or credited on (otherwise issue a credit note)."""
    return services.invoice_void(actor=request.membership, obj=selectors.invoices.fetch(id))


@router.post("/invoices/{id}/pdf", response={201: RenderedOut}, operation_id="invoices_pdf")
@requires("finance.edit")
def invoice_pdf(request, id: PathId):  # noqa: A002
    """Print the issued invoice or credit note: its next PDF version, kept with it (GET /documents/{id}/pdf)."""
    return Status(201, services.invoice_pdf(actor=request.membership, obj=selectors.invoices.fetch(id)))


@router.post("/bills/{id}/approve", response=s.BillOut, operation_id="bills_approve")
@requires("finance.edit")
def bill_approve(request, id: PathId, payload: s.ApproveIn):  # noqa: A002
    """Approve a draft bill; one that does not match its order and receipts needs finance.approve (403 without)."""
    bill = selectors.bills.fetch(id)
    return services.bill_approve(actor=request.membership, obj=bill, **payload.model_dump(exclude_none=True))


@router.post("/bills/{id}/void", response=s.BillOut, operation_id="bills_void")
@requires("finance.edit")
def bill_void(request, id: PathId):  # noqa: A002
    return services.bill_void(actor=request.membership, obj=selectors.bills.fetch(id))


@router.post("/payments/{id}/allocate", response=s.PaymentOut, operation_id="payments_allocate")
@requires("finance.edit")
def payment_allocate(request, id: PathId, payload: s.AllocateIn):  # noqa: A002
    """Apply parts of a payment to documents of its partner, in its currency, within their balances."""
    payment = selectors.payments.fetch(id)
    return services.payment_allocate(actor=request.membership, obj=payment, **payload.model_dump())


# -- settings ------------------------------------------------------------------------------------------------------
@router.get("/books/settings", response=s.BooksSettingsOut, operation_id="books_settings_get")
@requires("finance.view")
@reads(NOTHING)
def books_settings_get(request):
    """The three-way match tolerances."""
    return _with_id(services.tolerances())


@router.patch("/books/settings", response=s.BooksSettingsOut, operation_id="books_settings_update")
@requires("finance.edit")
def books_settings_update(request, payload: s.BooksSettingsPatch):  # type: ignore[valid-type]
    return services.books_settings_update(actor=request.membership, **payload.model_dump(exclude_unset=True))


@router.get("/books/account-mapping", response=s.AccountMappingOut, operation_id="books_account_mapping_get")
@requires("finance.view")
@reads(NOTHING)
def account_mapping_get(request):
    """The ledger account codes of the journal export."""
    return _with_id(services.accounts())


@router.patch("/books/account-mapping", response=s.AccountMappingOut, operation_id="books_account_mapping_update")
@requires("finance.edit")
def account_mapping_update(request, payload: s.AccountMappingPatch):  # type: ignore[valid-type]
    return services.account_mapping_update(actor=request.membership, **payload.model_dump(exclude_unset=True))


def _with_id(obj: Any) -> Any:
    obj.id = obj.pk or 0  # the defaults, not saved yet, have no id
    return obj


# -- reports and the journal ---------------------------------------------------------------------------------------
def _params(params: s.ReportParams) -> reports.Params:
    return reports.Params(**params.model_dump())


def _add_report(report: reports.Report) -> None:
    name = report.slug.replace("-", "_")

    @router.get(
        f"/books/reports/{report.slug}",
        response=s.ReportOut,
        operation_id=f"books_report_{name}",
        summary=report.title,
        description=report.description,
    )
    @requires("finance.view")
    @reads(LIST)
    def read(request, params: Query[s.ReportParams]):  # type: ignore[valid-type]
        summary = report.summary(_params(params), actor=request.membership)
        return {
            "report": report.slug,
            "title": report.title,
            "currency": selectors.org_currency(),
            "columns": [vars(c) for c in report.columns],
            "rows": summary.rows,
            "count": summary.count,
            "totals": summary.totals,
        }

    @router.get(
        f"/books/reports/{report.slug}/export",
        response={200: str},
        operation_id=f"books_report_{name}_export",
        summary=f"{report.title} as CSV or XLSX",
        openapi_extra=FILE_RESPONSE,
    )
    @requires("finance.view")
    @reads(EXPORT)
    def export(request, params: Query[s.ReportParams], fmt: Literal["csv", "xlsx"] = Query("csv", alias="format")):  # type: ignore[valid-type]
        return _file(*reports.export(report, _params(params), fmt, actor=request.membership))


FILE_RESPONSE = {
    "responses": {
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                reports.FORMATS["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    }
}


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


for _report in reports.REPORTS.values():
    _add_report(_report)


def _journal_range(params: Any) -> tuple[date, date]:
    """The journal's days: as given, else from the first of this month to today; a reversed range is a 400."""
    today = timezone.localdate()
    date_from, date_to = params.date_from or today.replace(day=1), params.date_to or today
    if date_from > date_to:
        raise DomainError("The start date is after the end date.", code=BooksError.DATE_RANGE, field="date_from")
    return date_from, date_to


@router.get("/books/journal", response=s.JournalOut, operation_id="books_journal")
@requires("finance.view")
@reads(LIST)
def journal(request, params: Query[s.JournalParams]):  # type: ignore[valid-type]
    """The journal of a date range (issued invoices and credit notes, approved bills, payments) in the
    organization's currency, with the account codes of the account mapping; debits equal credits. Without dates:
    this month so far."""
    date_from, date_to = _journal_range(params)
    entries = selectors.journal_entries(date_from=date_from, date_to=date_to)
    lines = [dict(zip(selectors.JOURNAL_HEADERS, row, strict=True)) for row in selectors.journal_rows(entries)]
    selectors.record_report(
        actor=request.membership, report="journal", object_type="books.invoice",
        criteria={"date_from": date_from, "date_to": date_to}, count=len(lines),
    )  # fmt: skip
    return {
        "date_from": date_from,
        "date_to": date_to,
        "debits": sum((e.debits for e in entries), 0),
        "credits": sum((e.credits for e in entries), 0),
        "lines": lines,
    }


@router.get(
    "/books/journal/export", response={200: str}, operation_id="books_journal_export", openapi_extra=FILE_RESPONSE
)
@requires("finance.view")
@reads(EXPORT)
def journal_export(
    request,
    params: Query[s.JournalParams],  # type: ignore[valid-type]
    fmt: Literal["csv", "xlsx"] = Query("csv", alias="format"),
):
    """The journal CSV an accountant loads into their ledger: date, document, account, debit, credit, currency,
    memo."""
    return _file(*reports.export_journal(*_journal_range(params), fmt, actor=request.membership))
