"""Costing pages under Make (the reports are declared in production.costing): the cost variance of completed and
closed work orders, and the work in process of open ones, each filtered by its FilterSet, sortable on every figure,
with its totals under the table and its rows as CSV or XLSX."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.kernel.reads import EXPORT
from factoryos.production import costing
from factoryos.web.pages import ListPage, Page, route
from factoryos.web.tables import PAGE_SIZE, Column, Table

MODULE = "production"


class RowsTable(Table):
    """``web.tables.Table`` over rows a report computed and sorted (not a queryset): the same header, pager and
    context for the table partials."""

    def __init__(self, request: HttpRequest, rows: list[dict[str, Any]], columns: list[Column], key: str, desc: bool):
        self.request, self.columns, self.key, self.desc = request, columns, key, desc
        self.page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _columns(report: costing.Report, labels: dict[str, str]) -> list[Column]:
    """The page's columns: the report's fields it shows, under the page's (shorter) labels."""
    return [
        Column(f.key, labels.get(f.key, f.label), f.sort, "num" if f.money or f.key.endswith("pct") else "")
        for f in report.fields
        if f.shown
    ]


class _CostingPage(ListPage):
    """A costing report as a list page: its filters, its rows sorted by the column asked for, a page of them, the
    totals of all (one LIST event, its view the report's name)."""

    module = MODULE
    report: ClassVar[costing.Report]

    def list_context(self, *, record: bool) -> dict[str, Any]:
        report = self.report
        listing = report.filter(self.request.GET)
        key, desc = report.sort_of(self.request.GET.get("sort", ""))
        rows = report.rows(listing, f"{'-' if desc else ''}{key}")
        if record:
            report.record(listing, actor=self.actor, count=len(rows))
        table = RowsTable(self.request, rows, list(self.columns), key, desc)
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            "form": listing.filterset.form,
            "criteria": listing.criteria,
            "table_id": self.table_id,
            "filters_id": self.table_id.removesuffix("-table") + "-filters",
            "table_template": self.partial,
            "totals": report.totals_of(rows) if rows else None,
            "export_query": query.urlencode(),
            **table.context(),
        }


@route("costing/", "costing_variance", menu=("Make", "Costing", "coin"))
class VarianceList(_CostingPage):
    """Completed and closed work orders, planned beside actual cost; an overrun (actual over planned) stands out."""

    noun, report, reader = "variance", costing.VARIANCE, costing.VARIANCE.reader
    columns = _columns(
        costing.VARIANCE,
        {
            **{f"planned_{kind}": "Planned" for kind, _ in costing.KINDS},
            **{f"actual_{kind}": "Actual" for kind, _ in costing.KINDS},
            "variance_pct": "%",
        },
    )
    default_sort = costing.VARIANCE.default_sort


@route("costing/wip/", "costing_wip")
class WipList(_CostingPage):
    """Released, running and completed (not closed) work orders: their cost so far less their finished goods in
    stock."""

    noun, report, reader = "wip", costing.WIP, costing.WIP.reader
    columns = _columns(costing.WIP, {})
    default_sort = costing.WIP.default_sort


class _CostingExport(Page):
    """A costing report's every row (filtered and sorted as its page) as ``?format=csv`` (the default) or xlsx."""

    module, reads = MODULE, EXPORT
    report: ClassVar[costing.Report]
    back: ClassVar[str]

    def get(self, request: HttpRequest) -> HttpResponse:
        fmt = request.GET.get("format", "csv")
        if fmt not in costing.FORMATS:
            messages.error(request, "Download as csv or xlsx.")
            return redirect(self.back)
        listing = self.report.filter(request.GET)
        content = self.report.export(listing, fmt, actor=self.actor, sort=request.GET.get("sort", ""))
        response = HttpResponse(content, content_type=costing.FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{self.report.name}.{fmt}"'
        return response


@route("costing/export/", "costing_variance_export")
class VarianceExport(_CostingExport):
    report, back = costing.VARIANCE, "production:costing_variance"


@route("costing/wip/export/", "costing_wip_export")
class WipExport(_CostingExport):
    report, back = costing.WIP, "production:costing_wip"
