"""The book's reports, declared once for the pages, the API and the downloads: each names its columns and how it
is computed (books.selectors), takes the same parameters everywhere, and is written to CSV or XLSX
spreadsheet-safe (kernel.spreadsheets: a text a spreadsheet would run as a formula is written as inert text)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from factoryos.books import selectors
from factoryos.books.errors import BooksError
from factoryos.kernel import spreadsheets
from factoryos.kernel.errors import DomainError
from factoryos.kernel.events import Action, Actor

FORMATS = spreadsheets.CONTENT_TYPES


ROWS_SHOWN = 100  # a report's page and API answer show this many rows (and the totals of all); the export has all


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    summed: bool = True  # a numeric column with a total (not a percentage or a count)
    money: bool = False  # an amount (1,234.50), not a quantity or a percentage


@dataclass(frozen=True)
class Params:
    """What a report may be asked for: a day to age on, or a date range."""

    on: date | None = None
    date_from: date | None = None
    date_to: date | None = None

    def criteria(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    description: str
    object_type: str  # what its rows are read from, for the audit trail
    columns: tuple[Column, ...]
    compute: Callable[[Params], list[dict[str, Any]]]
    takes: str = "range"  # "on" (a day), "range" (from/to) or "" (nothing)
    chart: tuple[str, str] | None = None  # (label key, value key) for the page's bar chart
    # The first rows, the totals and the count computed in the database (aging over thousands of partners); without
    # it, from ``compute``'s rows.
    summarize: Callable[[Params, int], selectors.Summary] | None = None

    @property
    def summed(self) -> list[str]:
        """The keys of the columns with a total."""
        return [c.key for c in self.columns if c.numeric and c.summed]

    def summary(self, params: Params, *, actor: Actor | None, limit: int = ROWS_SHOWN) -> selectors.Summary:
        """What the page and the API show: the first ``limit`` rows, the totals of all and their count; recorded as
        one LIST event of the rows shown."""
        self.check(params)
        if self.summarize is not None:
            summary = self.summarize(params, limit)
        else:
            rows = self.compute(params)
            summary = selectors.Summary(rows[:limit], selectors.totals_of(rows, self.summed), len(rows))
        self.record(params, actor=actor, count=len(summary.rows), action=Action.LIST)
        return summary

    def check(self, params: Params) -> None:
        if params.date_from and params.date_to and params.date_from > params.date_to:
            raise DomainError("The start date is after the end date.", code=BooksError.DATE_RANGE, field="date_from")

    def record(self, params: Params, *, actor: Actor | None, count: int, action: str) -> None:
        selectors.record_report(
            actor=actor, report=self.slug, object_type=self.object_type, criteria=params.criteria(), count=count,
            action=action,
        )  # fmt: skip

    def rows(self, params: Params, *, actor: Actor | None, action: str = Action.EXPORT) -> list[dict[str, Any]]:
        """All the report's rows for ``params`` (a download), recorded as one EXPORT (or LIST) event."""
        self.check(params)
        rows = self.compute(params)
        self.record(params, actor=actor, count=len(rows), action=action)
        return rows

    def table(self, rows: list[dict[str, Any]]) -> list[list[Any]]:
        return [[row.get(c.key) for c in self.columns] for row in rows]


MONEY_BUCKETS = tuple(Column(key, label, True, money=True) for key, label in selectors.BUCKETS)
PARTNER = (Column("code", "Code"), Column("name", "Name"))
MARGIN = (
    Column("net", "Net sales", True, money=True),
    Column("cost", "Cost", True, money=True),
    Column("margin", "Margin", True, money=True),
    Column("margin_pct", "Margin %", True, summed=False),
)

REPORTS = {
    report.slug: report
    for report in (
        Report(
            "ar-aging",
            "Receivables aging",
            "What customers owe, by days past the due date, in the organization's currency.",
            "books.invoice",
            (*PARTNER, *MONEY_BUCKETS, Column("total", "Total", True, money=True)),
            lambda p: selectors.aging("ar", on=p.on).rows,
            takes="on",
            chart=("code", "total"),
            summarize=lambda p, limit: selectors.aging("ar", on=p.on, limit=limit),
        ),
        Report(
            "ap-aging",
            "Payables aging",
            "What is owed to suppliers, by days past the due date, in the organization's currency.",
            "books.bill",
            (*PARTNER, *MONEY_BUCKETS, Column("total", "Total", True, money=True)),
            lambda p: selectors.aging("ap", on=p.on).rows,
            takes="on",
            chart=("code", "total"),
            summarize=lambda p, limit: selectors.aging("ap", on=p.on, limit=limit),
        ),
        Report(
            "sales-by-customer",
            "Sales by customer",
            "Net sales, cost and margin of invoices issued in the range (credit notes deducted).",
            "books.invoice",
            (*PARTNER, *MARGIN),
            lambda p: selectors.sales_by_customer(date_from=p.date_from, date_to=p.date_to),
            chart=("code", "net"),
        ),
        Report(
            "sales-by-item",
            "Sales by item",
            "Quantity, net sales, cost (moving average) and margin per item in the range.",
            "books.invoiceline",
            (Column("sku", "SKU"), Column("name", "Name"), Column("quantity", "Quantity", True), *MARGIN),
            lambda p: selectors.sales_by_item(date_from=p.date_from, date_to=p.date_to),
            chart=("sku", "net"),
        ),
        Report(
            "open-orders",
            "Open orders",
            "Sales order lines not fully shipped or not fully invoiced, with the value left to invoice.",
            "sales.salesorderline",
            (
                Column("order", "Order"),
                Column("order_date", "Date"),
                Column("customer", "Customer"),
                Column("item", "Item"),
                Column("description", "Description"),
                Column("ordered", "Ordered", True),
                Column("shipped", "Shipped", True),
                Column("invoiced", "Invoiced", True),
                Column("to_ship", "To ship", True),
                Column("to_invoice", "To invoice", True),
                Column("open_value", "Open value", True, money=True),
            ),
            lambda p: selectors.open_orders(),
            takes="",
        ),
        Report(
            "purchase-spend",
            "Purchase spend by supplier",
            "Approved supplier bills dated in the range, in the organization's currency.",
            "books.bill",
            (
                *PARTNER,
                Column("bills", "Bills", True, summed=False),
                Column("net", "Net", True, money=True),
                Column("tax", "Tax", True, money=True),
                Column("total", "Total", True, money=True),
            ),  # fmt: skip
            lambda p: selectors.purchase_spend(date_from=p.date_from, date_to=p.date_to),
            chart=("code", "total"),
        ),
    )
}


def report_of(slug: str) -> Report:
    from django.http import Http404

    if slug not in REPORTS:
        raise Http404("No such report.")
    return REPORTS[slug]


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise DomainError("The format is csv or xlsx.", code=BooksError.BAD_FORMAT, field="format")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write(fmt: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    """A CSV or XLSX file of ``rows`` under ``headers``: numbers stay numbers, every text is spreadsheet-safe."""
    check_format(fmt)
    return spreadsheets.write(fmt, headers, rows, text=_text, numeric_cells=True)


def export(report: Report, params: Params, fmt: str, *, actor: Actor | None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of a report downloaded, recorded as an EXPORT."""
    check_format(fmt)
    rows = report.rows(params, actor=actor)
    content = write(fmt, [c.label for c in report.columns], report.table(rows))
    return content, FORMATS[fmt], f"{report.slug}.{fmt}"


def export_journal(date_from: date, date_to: date, fmt: str, *, actor: Actor | None) -> tuple[bytes, str, str]:
    """The journal of the range as a file (CSV for the ledger, or XLSX), recorded as an EXPORT."""
    check_format(fmt)
    if date_from > date_to:
        raise DomainError("The start date is after the end date.", code=BooksError.DATE_RANGE, field="date_from")
    rows = selectors.journal_rows(selectors.journal_entries(date_from=date_from, date_to=date_to))
    selectors.record_report(
        actor=actor, report="journal", object_type="books.invoice",
        criteria={"date_from": date_from, "date_to": date_to}, count=len(rows), action=Action.EXPORT,
    )  # fmt: skip
    content = write(fmt, selectors.JOURNAL_HEADERS, rows)
    return content, FORMATS[fmt], f"journal-{date_from}-{date_to}.{fmt}"
