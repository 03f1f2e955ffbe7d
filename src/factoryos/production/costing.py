"""Costing reports of work orders, declared once for the pages, the API and the downloads:

- **variance**: completed and closed orders, planned (fixed at release) beside actual cost (material issued, labour
  and machine time logged, outside work received) per kind, with the variance in money and per cent;
- **work in process**: released, running and completed-not-closed orders, what each has cost so far less the value
  its finished goods took into stock (``selectors.Wip``). A completed order's remainder is its variance, in process
  until the order is closed.

The figures are ``selectors.costs`` / ``selectors.wips`` of the filtered orders (a constant number of queries), so a
report is every row the filters select: sorted in Python on any column, totalled over all of them, paged afterwards.
Each report reads through its own ``Reader`` of work orders (one LIST or EXPORT event per request, with the
criteria), filtered by its FilterSet, the same for the page and the API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from factoryos.kernel import spreadsheets
from factoryos.kernel.events import Action, Actor
from factoryos.kernel.reads import Listing, Reader
from factoryos.production import filters, selectors
from factoryos.production.models import WorkOrder, WorkOrderStatus

ZERO = Decimal("0.00")
TENTH = Decimal("0.1")
VARIANCE_STATUSES = (WorkOrderStatus.COMPLETED, WorkOrderStatus.CLOSED)
WIP_STATUSES = (WorkOrderStatus.RELEASED, WorkOrderStatus.STARTED, WorkOrderStatus.COMPLETED)
FORMATS = spreadsheets.CONTENT_TYPES
KINDS = (("material", "Material"), ("labour", "Labour"), ("machine", "Machine"), ("outside", "Outside"))

variance_orders = Reader(
    WorkOrder,
    queryset=lambda: WorkOrder.objects.filter(status__in=VARIANCE_STATUSES).select_related("item"),
    filterset=filters.VarianceFilterSet,
)
wip_orders = Reader(
    WorkOrder,
    queryset=lambda: WorkOrder.objects.filter(status__in=WIP_STATUSES).select_related("item"),
    filterset=filters.WipFilterSet,
)


@dataclass(frozen=True)
class Field:
    """A column of a report: ``money`` ones are totalled; ``sort`` names the keys a sort by it orders on (ties by
    the order's number); ``shown`` False keeps it to the download (the page shows it inside another column)."""

    key: str
    label: str
    money: bool = False
    sort: tuple[str, ...] | None = None
    shown: bool = True


def _sortable(key: str, label: str, *, money: bool = False, shown: bool = True) -> Field:
    return Field(key, label, money, (key, "number"), shown)


@dataclass(frozen=True)
class Report:
    name: str  # "variance", "wip": its view in the audit trail, its downloads' file name
    reader: Reader[WorkOrder]
    fields: tuple[Field, ...]
    default_sort: str
    rows_of: Callable[[QuerySet[WorkOrder]], list[dict[str, Any]]]
    totals_of: Callable[[list[dict[str, Any]]], dict[str, Any]]

    @property
    def sorts(self) -> dict[str, tuple[str, ...]]:
        """The sortable columns by their key, with the keys they order on."""
        return {f.key: f.sort for f in self.fields if f.sort}

    def filter(self, params: Mapping[str, Any] | None) -> Listing[WorkOrder]:
        return self.reader.filter(params)

    def sort_of(self, sort: str) -> tuple[str, bool]:
        """(column key, descending) of ``sort``: a sortable column's key, ``-`` first for descending; anything else
        is the report's default."""
        key, desc = sort.lstrip("-"), sort.startswith("-")
        if key not in self.sorts:
            key, desc = self.default_sort.lstrip("-"), self.default_sort.startswith("-")
        return key, desc

    def rows(self, listing: Listing[WorkOrder], sort: str = "") -> list[dict[str, Any]]:
        """Every row ``listing`` selects, sorted by ``sort`` (see ``sort_of``)."""
        key, desc = self.sort_of(sort)
        return sorted_rows(self.rows_of(listing.queryset), self.sorts[key], desc=desc)

    def record(
        self, listing: Listing[WorkOrder], *, actor: Actor | None, count: int, action: str = Action.LIST
    ) -> None:
        listing.record(count=count, actor=actor, action=action, view=self.name)

    def export(self, listing: Listing[WorkOrder], fmt: str, *, actor: Actor | None, sort: str = "") -> bytes:
        """Every row as a CSV or XLSX file (numbers stay numbers, text is spreadsheet-safe), with the totals last;
        recorded as one EXPORT event."""
        rows = self.rows(listing, sort)
        self.record(listing, actor=actor, count=len(rows), action=Action.EXPORT)
        table = [[_cell(row.get(f.key), f) for f in self.fields] for row in rows]
        if rows:
            totals = self.totals_of(rows)
            table.append(["Total", *[_cell(totals.get(f.key), f) for f in self.fields[1:]]])
        return spreadsheets.write(fmt, [f.label for f in self.fields], table, text=_text, numeric_cells=True)


def sorted_rows(rows: list[dict[str, Any]], keys: Sequence[str], *, desc: bool) -> list[dict[str, Any]]:
    """``rows`` ordered on ``keys`` (each in the same direction, as a database sort of the page's columns), empty
    values last either way."""
    for key in reversed(keys):  # a stable sort per key, the last tie-breaker first
        rows.sort(key=_by(key, desc), reverse=desc)
    return rows


def _by(key: str, desc: bool) -> Callable[[dict[str, Any]], tuple[int, Any]]:
    """A row's sort key on ``key``: its value, an empty one after the others whichever the direction."""

    def of(row: dict[str, Any]) -> tuple[int, Any]:
        value = row[key]
        present = value is not None
        return (int(present) if desc else int(not present), value if present else 0)

    return of


def _cell(value: Any, field: Field) -> Any:
    """A quantity or a percentage without trailing zeros (1, not 1.000000); an amount with its cents."""
    return value.normalize() if isinstance(value, Decimal) and not field.money else value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return f"{value:f}"  # never an exponent (2E+1)
    return str(value)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to a tenth (none of nothing)."""
    if not whole:
        return None
    return (part / whole * 100).quantize(TENTH, rounding=ROUND_HALF_UP)


def _order(order: WorkOrder) -> dict[str, Any]:
    return {
        "order": order,
        "id": order.pk,
        "number": order.number,
        "status": order.status,
        "status_label": order.get_status_display(),
        "item": order.item_id,
        "sku": order.item.sku,
        "item_name": order.item.name,
        "quantity": order.quantity,
        "made": order.quantity_completed,
    }


def _sum(rows: list[dict[str, Any]], fields: Sequence[Field]) -> dict[str, Any]:
    return {f.key: sum((row[f.key] for row in rows), ZERO) for f in fields if f.money}


# -- variance ------------------------------------------------------------------------------------------------------
def variance_rows(orders: QuerySet[WorkOrder]) -> list[dict[str, Any]]:
    """A row per order: its planned and actual cost per kind and in all, the scrap in the actual, the variance."""
    listed = list(orders)
    costs = selectors.costs(orders)
    rows = []
    for order in listed:
        cost = costs[order.pk]
        row = {**_order(order), "completed_at": order.completed_at}
        for kind, _label in KINDS:
            row[f"planned_{kind}"] = getattr(cost, f"planned_{kind}")
            row[f"actual_{kind}"] = getattr(cost, f"actual_{kind}")
        row.update(
            planned=cost.planned, actual=cost.actual, scrap=cost.scrap, variance=cost.variance,
            variance_pct=percent(cost.variance, cost.planned), overrun=cost.variance > 0, kinds=_kinds(row),
        )  # fmt: skip
        rows.append(row)
    return rows


def _kinds(figures: dict[str, Any]) -> list[tuple[Decimal, Decimal, bool]]:
    """(planned, actual, over the plan) per kind of cost, in the order of KINDS: what the page shows side by side."""
    pairs = [(figures[f"planned_{kind}"], figures[f"actual_{kind}"]) for kind, _label in KINDS]
    return [(planned, actual, actual > planned) for planned, actual in pairs]


def variance_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    totals = _sum(rows, VARIANCE_FIELDS)
    totals.update(
        variance_pct=percent(totals["variance"], totals["planned"]), overrun=totals["variance"] > 0,
        kinds=_kinds(totals),
    )  # fmt: skip
    return totals


VARIANCE_FIELDS: tuple[Field, ...] = (
    _sortable("number", "Work order"),
    Field("status_label", "Status", shown=False),
    Field("sku", "Item", sort=("sku", "number")),
    Field("item_name", "Item name", shown=False),
    Field("quantity", "Quantity", shown=False),
    Field("made", "Made"),
    _sortable("completed_at", "Completed"),
    *(
        field
        for kind, label in KINDS
        for field in (
            _sortable(f"planned_{kind}", f"{label} planned", money=True),
            _sortable(f"actual_{kind}", f"{label} actual", money=True),
        )
    ),
    _sortable("planned", "Planned", money=True),
    _sortable("actual", "Actual", money=True),
    _sortable("scrap", "Scrap (in the actual)", money=True, shown=False),
    _sortable("variance", "Variance", money=True),
    _sortable("variance_pct", "Variance %"),
)

VARIANCE = Report(
    "variance",
    variance_orders,
    VARIANCE_FIELDS,
    "-completed_at",
    variance_rows,
    variance_totals,
)


# -- work in process -----------------------------------------------------------------------------------------------
def wip_rows(orders: QuerySet[WorkOrder]) -> list[dict[str, Any]]:
    """A row per order: its actual cost so far per kind and in all, the value of its finished goods in stock, and
    what is left in process."""
    listed = list(orders)
    wips = selectors.wips(orders)
    rows = []
    for order in listed:
        wip = wips[order.pk]
        row = {**_order(order), "released_at": order.released_at}
        for kind, _label in KINDS:
            row[f"actual_{kind}"] = getattr(wip.cost, f"actual_{kind}")
        row.update(actual=wip.cost.actual, finished=wip.finished, wip=wip.value)
        rows.append(row)
    return rows


def wip_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return _sum(rows, WIP_FIELDS)


WIP_FIELDS: tuple[Field, ...] = (
    _sortable("number", "Work order"),
    Field("status_label", "Status", shown=False),
    Field("sku", "Item", sort=("sku", "number")),
    Field("item_name", "Item name", shown=False),
    Field("quantity", "Quantity"),
    Field("made", "Made"),
    _sortable("released_at", "Released"),
    *(_sortable(f"actual_{kind}", label, money=True) for kind, label in KINDS),
    _sortable("actual", "Cost so far", money=True),
    _sortable("finished", "Into stock", money=True),
    _sortable("wip", "Work in process", money=True),
)

WIP = Report("wip", wip_orders, WIP_FIELDS, "-wip", wip_rows, wip_totals)

REPORTS = {report.name: report for report in (VARIANCE, WIP)}


def wip_of(order: WorkOrder, cost: selectors.Cost | None) -> selectors.Wip | None:
    """The work in process of one order whose cost is known (its page), or None when it has none: not released yet,
    closed or cancelled."""
    if cost is None or order.status not in WIP_STATUSES:
        return None
    return selectors.Wip(cost, selectors.finished_values([order])[order.pk])
