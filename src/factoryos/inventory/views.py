"""Control pages for stock: locations, levels and the four stock actions, the moves ledger, cycle counts,
valuation and reorder reports, and lot traceability. Declared on the shared page layer (web/pages.py)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.inventory import selectors, services
from factoryos.inventory.forms import (
    AdjustForm,
    CountAddForm,
    CountLineForm,
    CountSheetForm,
    IssueForm,
    LocationForm,
    ReceiveForm,
    TransferForm,
)
from factoryos.inventory.models import CountLine, CountSheet, CountStatus, Location
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.reads import LIST
from factoryos.kernel.transitions import can_transition
from factoryos.web import pages
from factoryos.web.pages import ActionPage, DetailPage, FormPage, ListPage, Page, PickerPage, route
from factoryos.web.panels import Panel
from factoryos.web.tables import Column

ZERO = Decimal("0")


# -- stock levels and the stock actions ----------------------------------------------------------------------------
ACTIONS = {
    "receive": (ReceiveForm, services.stock_receive, "Received"),
    "transfer": (TransferForm, services.stock_transfer, "Transferred"),
    "adjust": (AdjustForm, services.stock_adjust, "Adjusted"),
    "issue": (IssueForm, services.stock_issue, "Issued"),
}


@route("stock/", "stock_list", menu=("Control", "Stock", "stock"))
class StockList(ListPage):
    """Levels with their totals, and (for those who may) the four stock actions under them."""

    noun, reader = "stock", selectors.stock_levels
    columns = [
        Column("sku", "Item", ("item__sku", "location__code")),
        Column("location", "Location", ("location__code", "item__sku")),
        Column("lot", "Lot", ("lot__code", "item__sku")),
        Column("on_hand", "On hand", ("on_hand", "item__sku"), "num"),
        Column("reserved", "Reserved", ("reserved", "item__sku"), "num"),
        Column("available", "Available", None, "num"),
        Column("uom", "Unit"),
    ]
    default_sort = "sku"
    filter_fields = ("q", "site", "location")
    bound: dict[str, Any] = {}

    def get_queryset(self) -> Any:
        return self.reader.all().exclude(on_hand=0, reserved=0)

    def get_context(self, listing: Any) -> dict[str, Any]:
        totals = {
            k: v or ZERO
            for k, v in listing.queryset.aggregate(on_hand=Sum("on_hand"), reserved=Sum("reserved")).items()
        }
        totals["available"] = totals["on_hand"] - totals["reserved"]
        context: dict[str, Any] = {"totals": totals, "action": next(iter(self.bound), "")}
        for name, (form_class, _service, _verb) in ACTIONS.items():
            context[f"{name}_form"] = self.bound.get(name) or form_class(prefix=name)
        return context

    def render(self, context: dict[str, Any], *, status: int = 200, template: str | None = None) -> HttpResponse:
        context["single_unit"] = len({level.item.uom_id for level in context["page"]}) <= 1
        return super().render(context, status=status, template=template)


@route("stock/receive/", "stock_receive", action="receive")
@route("stock/transfer/", "stock_transfer", action="transfer")
@route("stock/adjust/", "stock_adjust", action="adjust")
@route("stock/issue/", "stock_issue", action="issue")
class StockAction(Page):
    """Receive, transfer, adjust or issue: one service; a refusal shows the stock page with the form's errors."""

    http_method_names = ["post"]
    action = ""

    def post(self, request: HttpRequest) -> HttpResponse:
        form_class, service, verb = ACTIONS[self.action]
        form = form_class(request.POST, prefix=self.action)
        move, failure = pages.submit(form, lambda: service(actor=self.actor, **form.service_fields()))
        if failure is None:
            quantity = f"{move.entered_quantity.normalize():f} {move.entered_uom.code}"
            messages.success(request, f"{verb} {quantity} of {move.item.sku}.")
            return redirect("inventory:stock_list")
        page = StockList(bound={self.action: form})
        page.setup(request)
        return page.render(page.list_context(record=False), status=pages.error_status(failure))


# -- locations ------------------------------------------------------------------------------------------------------
def location_tree(locations: list[Location]) -> tuple[list[dict[str, Any]], list[Location]]:
    """Physical locations as one indented tree per site (warehouse > zone > bin), and the virtual ones apart."""
    children = defaultdict(list)
    for loc in locations:
        children[loc.parent_id].append(loc)
    sites: dict[int | None, dict[str, Any]] = {}
    virtual = [loc for loc in locations if loc.is_virtual]

    def walk(loc: Location, depth: int, rows: list[dict[str, Any]]) -> None:
        rows.append({"location": loc, "depth": depth, "indent": min(depth, 8)})
        for child in children.get(loc.pk, []):
            walk(child, depth + 1, rows)

    for root in children.get(None, []):
        if root.is_virtual:
            continue
        entry = sites.setdefault(root.site_id, {"site": root.site, "rows": []})
        walk(root, 1, entry["rows"])
    trees = sorted(sites.values(), key=lambda s: s["site"].code if s["site"] else "")
    return trees, virtual


@route("locations/", "location_list", menu=("Control", "Locations", "pin"))
class LocationList(Page):
    reads, template = LIST, "inventory/location_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        listing = selectors.locations.filter({}, queryset=selectors.locations.all().order_by("code"))
        locations = list(listing.queryset)
        listing.record(count=len(locations), actor=self.actor)
        trees, virtual = location_tree(locations)
        return self.render({"trees": trees, "virtual": virtual})


class LocationFormPage(FormPage):
    form_class = LocationForm
    success_url = "inventory:location_list"

    def get_form(self, data: Any = None) -> Any:
        return LocationForm(data, initial=self.get_initial(), current=self.object)

    def call(self, form: Any) -> Any:
        fields = dict(form.cleaned_data)
        if fields.get("site") is None and fields.get("parent") is not None:
            fields.pop("site")  # an empty site under a parent means the parent's site
        if self.object is not None:
            return services.location_update(actor=self.actor, obj=self.object, **fields)
        return services.location_create(actor=self.actor, **fields)


@route("locations/new/", "location_create")
class LocationCreate(LocationFormPage):
    success_message, prefill = "Location {result.code} created.", ("parent",)


@route("locations/<int:pk>/", "location_edit")
class LocationEdit(LocationFormPage):
    reader = selectors.locations
    success_message = "Location {result.code} saved."

    def get_context(self, form: Any) -> dict[str, Any]:
        return {"levels": selectors.levels().filter(location=self.object).exclude(on_hand=0, reserved=0)}


@route("locations/pick/", "location_picker")
class LocationPicker(PickerPage):
    """Active physical locations for a picker (code or name)."""

    reader = selectors.locations

    def get_queryset(self) -> Any:
        return Location.objects.filter(kind__in=selectors.PHYSICAL, active=True).order_by("code")

    def label(self, location: Location) -> str:
        return f"{location.code} · {location.name}"


# -- the ledger -----------------------------------------------------------------------------------------------------
@route("moves/", "move_list", menu=("Control", "Moves", "arrows"))
class MoveList(ListPage):
    noun = "move"
    reader = selectors.stock_moves
    columns = [
        Column("time", "When", ("-created_at", "-id")),
        Column("sku", "Item", ("item__sku", "-created_at")),
        Column("reason", "Reason", ("reason", "-created_at")),
        Column("from", "From", ("from_location__code", "-created_at")),
        Column("to", "To", ("to_location__code", "-created_at")),
        Column("lot", "Lot", ("lot__code", "-created_at")),
        Column("qty", "Quantity", ("quantity", "-created_at"), "num"),
        Column("cost", "Unit cost", None, "num"),
        Column("ref", "Reference", ("reference", "-created_at")),
        Column("actor", "By"),
    ]
    default_sort = "time"
    filter_fields = ("sku", "location", "reason", "lot_code", "date_from", "date_to")


# -- cycle counts ---------------------------------------------------------------------------------------------------
@route("counts/", "count_list", menu=("Control", "Counts", "clipboard"))
class CountList(FormPage):
    """The count sheets, newest first; POST starts a new one."""

    http_method_names, reads = ["get", "head"], LIST
    form_class, service = CountSheetForm, services.count_sheet_create
    template = "inventory/count_list.html"

    def get_context(self, form: Any) -> dict[str, Any]:
        sheets = selectors.count_sheets
        return {"sheets": self.rows(sheets, sheets.all().order_by("-created_at", "-id"))}

    def succeeded(self, result: CountSheet) -> HttpResponse:
        messages.success(self.request, f"Count sheet {result.pk} of {result.location.code} started.")
        return redirect("inventory:count_detail", result.pk)


@route("counts/new/", "count_create")
class CountCreate(CountList):
    http_method_names = ["post"]


def _sheet_context(sheet: CountSheet, add_form: Any = None, notice: str = "") -> dict[str, Any]:
    lines = list(sheet.lines.select_related("item__uom", "lot").order_by("item__sku", "lot__code"))
    for line in lines:
        counted = line.counted.normalize() if line.counted is not None else None
        line.form = CountLineForm(initial={"counted": counted}, prefix=f"line-{line.pk}")
    return {
        "sheet": sheet,
        "lines": lines,
        "open": sheet.status == CountStatus.OPEN,
        "can_post": can_transition(sheet, CountStatus.POSTED),
        "counted": sum(1 for line in lines if line.counted is not None),
        "variances": sum(1 for line in lines if line.variance),
        "add_form": add_form or CountAddForm(prefix="add"),
        "notice": notice,
    }


@route("counts/<int:pk>/", "count_detail")
class CountDetail(DetailPage):
    reader = selectors.count_sheets
    noun, template = "sheet", "inventory/count_detail.html"

    def get_context(self, sheet: CountSheet) -> dict[str, Any]:
        return _sheet_context(sheet)


@route("count-lines/<int:pk>/", "count_line_set")
class CountLineSet(Page):
    """Enter one line's counted quantity; with htmx only that row (and the summary) comes back."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        line: CountLine = selectors.count_lines.fetch(pk)
        form = CountLineForm(request.POST, prefix=f"line-{line.pk}")
        saved, failure = pages.submit(
            form, lambda: services.count_line_set(actor=self.actor, obj=line, counted=form.cleaned_data["counted"])
        )
        line = saved or line
        status = pages.error_status(failure) if failure is not None else 200
        if request.htmx:  # type: ignore[attr-defined]
            if failure is None:
                form = CountLineForm(initial={"counted": line.counted.normalize()}, prefix=f"line-{line.pk}")
            line.form = form
            summary = _sheet_context(line.sheet)
            context = {
                "oob": True,
                "lines": summary["lines"],
                "counted": summary["counted"],
                "variances": summary["variances"],
                "line": line,
                "sheet": line.sheet,
                "open": summary["open"],
                "saved": failure is None,
            }
            return pages.render(request, "inventory/partials/count_line.html", context, status=status)
        if failure is not None:
            notice = " ".join(message for errors in form.errors.values() for message in errors) or "Not saved."
            return pages.render(
                request, "inventory/count_detail.html", _sheet_context(line.sheet, notice=notice), status=status
            )
        return redirect("inventory:count_detail", line.sheet_id)


@route("counts/<int:pk>/lines/", "count_line_add")
class CountLineAdd(Page):
    """Stock found on the shelf that the sheet did not expect."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sheet = selectors.count_sheets.fetch(pk)
        form = CountAddForm(request.POST, prefix="add")
        line, failure = pages.submit(
            form, lambda: services.count_line_add(actor=self.actor, sheet=sheet, **form.service_fields())
        )
        if failure is None:
            messages.success(request, f"{line.item.sku} added to the count.")
            return redirect("inventory:count_detail", sheet.pk)
        return pages.render(request, "inventory/count_detail.html", _sheet_context(sheet, add_form=form), status=400)


@route("counts/<int:pk>/post/", "count_post")
class CountPost(ActionPage):
    reader = selectors.count_sheets

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sheet = self.reader.fetch(pk)
        try:
            sheet = services.count_sheet_post(actor=self.actor, obj=sheet)
        except pages.SERVICE_ERRORS as exc:
            context = _sheet_context(sheet, notice=error_messages(exc))
            return pages.render(request, "inventory/count_detail.html", context, status=400)
        variances = _sheet_context(sheet)["variances"]
        messages.success(request, f"Count {sheet.pk} posted: {variances} variance(s) adjusted.")
        return redirect("inventory:count_detail", sheet.pk)


# -- reports --------------------------------------------------------------------------------------------------------
@route("stock/valuation/", "valuation")
class Valuation(Page):
    reads, template = LIST, "inventory/valuation.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render({"report": selectors.valuation(actor=self.actor)})


@route("stock/reorder/", "reorder")
class Reorder(Page):
    reads, template = LIST, "inventory/reorder.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render({"rows": selectors.reorder(actor=self.actor)})


@route("lots/<int:pk>/", "lot_trace")
class LotTrace(DetailPage):
    reader = selectors.lots
    template = "inventory/lot_trace.html"

    def get_context(self, lot: Any) -> dict[str, Any]:
        levels = selectors.levels().filter(lot=lot).exclude(on_hand=0, reserved=0)
        return {"levels": levels, **selectors.lot_trace(lot)}


# -- the item page's stock panel (composed by the catalog through web.panels, registered in apps.py) ---------------
def _item_stock(request: HttpRequest, item: Any) -> dict[str, Any]:
    levels = list(selectors.levels().filter(item=item).exclude(on_hand=0, reserved=0).order_by("location__code"))
    return {
        "item": item,
        "levels": levels,
        "on_hand_total": sum((level.on_hand for level in levels), ZERO),
        "available_total": sum((level.available for level in levels), ZERO),
        "moves": list(item.stock_moves.select_related("from_location", "to_location", "lot")[:10]),
    }


ITEM_STOCK_PANEL = Panel(
    slot="catalog.item",
    anchor="stock",
    label="Stock",
    template="inventory/panels/item_stock.html",
    context=_item_stock,
    permission="inventory.view",
)
