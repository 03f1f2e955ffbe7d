"""Control pages for stock: locations, levels and the four stock actions, the moves ledger, cycle counts,
valuation and reorder reports, and lot traceability. Views parse, check, call one service or selector, render."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factoryos.facilities.views import page, sorted_page
from factoryos.inventory import selectors, services
from factoryos.inventory.forms import (
    AdjustForm,
    CountAddForm,
    CountLineForm,
    CountSheetForm,
    IssueForm,
    LocationForm,
    MoveFilterForm,
    ReceiveForm,
    StockFilterForm,
    TransferForm,
)
from factoryos.inventory.models import (
    CountLine,
    CountSheet,
    CountStatus,
    Location,
    Lot,
    StockMove,
)
from factoryos.kernel import events
from factoryos.kernel.access import check
from factoryos.kernel.errors import ConflictError, DomainError
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.events import Action
from factoryos.web.decorators import member_view
from factoryos.web.views import apply_errors

ERRORS = (ValidationError, DomainError)
ZERO = Decimal("0")


def _filters(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "")} if form.is_valid() else {}


def _record_list(object_type: str, criteria: dict, count: int) -> None:
    events.record_list(object_type=object_type, criteria=criteria, count=count)


def _status(form, exc=None) -> int:
    if isinstance(exc, ConflictError):
        return 409
    return 400 if form is not None and form.errors else 200


# -- locations ------------------------------------------------------------------------------------------------------
def _location_fields(form) -> dict:
    """The form's fields for the service; an empty site under a parent means the parent's site."""
    fields = dict(form.cleaned_data)
    if fields.get("site") is None and fields.get("parent") is not None:
        fields.pop("site")
    return fields


def location_tree() -> tuple[list[dict], list[Location]]:
    """Physical locations as one indented tree per site (warehouse > zone > bin), and the virtual ones apart."""
    locations = list(Location.objects.select_related("site").order_by("code"))
    children = defaultdict(list)
    for loc in locations:
        children[loc.parent_id].append(loc)
    sites: dict[int, dict] = {}
    virtual = [loc for loc in locations if loc.is_virtual]

    def walk(loc: Location, depth: int, rows: list) -> None:
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


@require_GET
@member_view("inventory.view")
def location_list(request):
    trees, virtual = location_tree()
    return page(request, "inventory/location_list.html", {"trees": trees, "virtual": virtual})


@require_http_methods(["GET", "POST"])
@member_view("inventory.edit")
def location_create(request):
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent", "").isdigit() else {}
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            location = services.location_create(actor=request.membership, **_location_fields(form))
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Location {location.code} created.")
            return redirect("inventory:location_list")
    return page(request, "inventory/location_form.html", {"form": form}, status=_status(form))


@require_http_methods(["GET", "POST"])
@member_view("inventory.view")
def location_edit(request, pk: int):
    location = get_object_or_404(Location.objects.select_related("site", "parent"), pk=pk)
    form = LocationForm(initial={n: getattr(location, n) for n in LocationForm.base_fields}, current=location)
    if request.method == "GET":
        events.record(action=Action.VIEW, obj=location)
    else:
        check(request, "inventory.edit")
        form = LocationForm(request.POST, current=location)
        if form.is_valid():
            try:
                services.location_update(actor=request.membership, obj=location, **_location_fields(form))
            except ERRORS as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Location {form.cleaned_data['code']} saved.")
                return redirect("inventory:location_list")
    levels = selectors.levels().filter(location=location).exclude(on_hand=0, reserved=0)
    context = {"form": form, "location": location, "levels": levels}
    return page(request, "inventory/location_form.html", context, status=_status(form))


# -- stock levels and the stock actions ----------------------------------------------------------------------------
STOCK_COLUMNS = [
    ("sku", "Item", ("item__sku", "location__code"), ""),
    ("location", "Location", ("location__code", "item__sku"), ""),
    ("lot", "Lot", ("lot__code", "item__sku"), ""),
    ("on_hand", "On hand", ("on_hand", "item__sku"), "num"),
    ("reserved", "Reserved", ("reserved", "item__sku"), "num"),
    ("available", "Available", None, "num"),
    ("uom", "Unit", None, ""),
]
ACTIONS = {
    "receive": (ReceiveForm, services.stock_receive, "Received"),
    "transfer": (TransferForm, services.stock_transfer, "Transferred"),
    "adjust": (AdjustForm, services.stock_adjust, "Adjusted"),
    "issue": (IssueForm, services.stock_issue, "Issued"),
}


def _stock_context(request, **bound) -> dict:
    form = StockFilterForm(request.GET or None)
    criteria = _filters(form)
    qs = selectors.levels().select_related("location__site").exclude(on_hand=0, reserved=0)
    if q := criteria.get("q", "").strip():
        qs = qs.filter(Q(item__sku__icontains=q) | Q(item__name__icontains=q))
    if criteria.get("site"):
        qs = qs.filter(location__site=criteria["site"])
    if criteria.get("location"):
        qs = qs.filter(location=criteria["location"])
    totals = qs.aggregate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
    totals = {k: v or ZERO for k, v in totals.items()}
    totals["available"] = totals["on_hand"] - totals["reserved"]
    context = {"form": form, "criteria": criteria, "totals": totals, **sorted_page(request, qs, STOCK_COLUMNS, "sku")}
    context["single_unit"] = len({level.item.uom_id for level in context["page"]}) <= 1
    context["action"] = next(iter(bound), "")
    for name, (form_class, _service, _verb) in ACTIONS.items():
        context[f"{name}_form"] = bound.get(name) or form_class(prefix=name)
    return context


@require_GET
@member_view("inventory.view")
def stock_list(request):
    context = _stock_context(request)
    _record_list("inventory.stocklevel", context["criteria"], context["page"].paginator.count)
    return page(request, "inventory/stock_list.html", context, partial="inventory/partials/stock_table.html")


def _stock_action(request, name: str):
    form_class, service, verb = ACTIONS[name]
    form = form_class(request.POST, prefix=name)
    failure = None
    if form.is_valid():
        try:
            move = service(actor=request.membership, **form.service_fields())
        except ERRORS as exc:
            apply_errors(form, exc)
            failure = exc
        else:
            messages.success(
                request, f"{verb} {move.entered_quantity.normalize():f} {move.entered_uom.code} of {move.item.sku}."
            )
            return redirect("inventory:stock_list")
    context = _stock_context(request, **{name: form})
    return page(request, "inventory/stock_list.html", context, status=_status(form, failure))


@require_POST
@member_view("inventory.edit")
def stock_receive(request):
    return _stock_action(request, "receive")


@require_POST
@member_view("inventory.edit")
def stock_transfer(request):
    return _stock_action(request, "transfer")


@require_POST
@member_view("inventory.edit")
def stock_adjust(request):
    return _stock_action(request, "adjust")


@require_POST
@member_view("inventory.edit")
def stock_issue(request):
    return _stock_action(request, "issue")


# -- the ledger -----------------------------------------------------------------------------------------------------
MOVE_COLUMNS = [
    ("time", "When", ("-created_at", "-id"), ""),
    ("sku", "Item", ("item__sku", "-created_at"), ""),
    ("reason", "Reason", ("reason", "-created_at"), ""),
    ("from", "From", ("from_location__code", "-created_at"), ""),
    ("to", "To", ("to_location__code", "-created_at"), ""),
    ("lot", "Lot", ("lot__code", "-created_at"), ""),
    ("qty", "Quantity", ("quantity", "-created_at"), "num"),
    ("cost", "Unit cost", None, "num"),
    ("ref", "Reference", ("reference", "-created_at"), ""),
    ("actor", "By", None, ""),
]


@require_GET
@member_view("inventory.view")
def move_list(request):
    form = MoveFilterForm(request.GET or None)
    criteria = _filters(form)
    qs = StockMove.objects.select_related("item__uom", "from_location", "to_location", "lot", "actor", "entered_uom")
    if sku := criteria.get("item", "").strip():
        qs = qs.filter(item__sku__icontains=sku)
    if criteria.get("location"):
        qs = qs.filter(Q(from_location=criteria["location"]) | Q(to_location=criteria["location"]))
    if criteria.get("reason"):
        qs = qs.filter(reason=criteria["reason"])
    if lot := criteria.get("lot", "").strip():
        qs = qs.filter(lot__code__icontains=lot)
    if criteria.get("date_from"):
        qs = qs.filter(created_at__date__gte=criteria["date_from"])
    if criteria.get("date_to"):
        qs = qs.filter(created_at__date__lte=criteria["date_to"])
    context = {"form": form, **sorted_page(request, qs, MOVE_COLUMNS, "time")}
    _record_list("inventory.stockmove", criteria, context["page"].paginator.count)
    return page(request, "inventory/move_list.html", context, partial="inventory/partials/move_table.html")


# -- cycle counts ---------------------------------------------------------------------------------------------------
def _counts_context(form=None) -> dict:
    sheets = CountSheet.objects.select_related("location").order_by("-created_at", "-id")
    return {"sheets": sheets, "form": form or CountSheetForm()}


@require_GET
@member_view("inventory.view")
def count_list(request):
    return page(request, "inventory/count_list.html", _counts_context())


@require_POST
@member_view("inventory.edit")
def count_create(request):
    form = CountSheetForm(request.POST)
    if form.is_valid():
        try:
            sheet = services.count_sheet_create(actor=request.membership, **form.cleaned_data)
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Count sheet {sheet.pk} of {sheet.location.code} started.")
            return redirect("inventory:count_detail", sheet.pk)
    return page(request, "inventory/count_list.html", _counts_context(form), status=400)


def _sheet_of(pk: int) -> CountSheet:
    return get_object_or_404(CountSheet.objects.select_related("location"), pk=pk)


def _sheet_context(sheet: CountSheet, add_form=None, notice: str = "") -> dict:
    lines = list(sheet.lines.select_related("item__uom", "lot").order_by("item__sku", "lot__code"))
    for line in lines:
        line.form = CountLineForm(
            initial={"counted": line.counted.normalize() if line.counted is not None else None},
            prefix=f"line-{line.pk}",
        )
    return {
        "sheet": sheet,
        "lines": lines,
        "open": sheet.status == CountStatus.OPEN,
        "counted": sum(1 for line in lines if line.counted is not None),
        "variances": sum(1 for line in lines if line.variance),
        "add_form": add_form or CountAddForm(prefix="add"),
        "notice": notice,
    }


@require_GET
@member_view("inventory.view")
def count_detail(request, pk: int):
    sheet = _sheet_of(pk)
    events.record(action=Action.VIEW, obj=sheet)
    return page(request, "inventory/count_detail.html", _sheet_context(sheet))


@require_POST
@member_view("inventory.edit")
def count_line_set(request, pk: int):
    line = get_object_or_404(CountLine.objects.select_related("sheet__location", "item__uom", "lot"), pk=pk)
    form = CountLineForm(request.POST, prefix=f"line-{line.pk}")
    if form.is_valid():
        try:
            line = services.count_line_set(actor=request.membership, line=line, **form.cleaned_data)
        except ERRORS as exc:
            apply_errors(form, exc)
    status = 400 if form.errors else 200
    if request.htmx:
        if not form.errors:
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
            "open": line.sheet.status == CountStatus.OPEN,
            "saved": status == 200,
        }
        return page(request, "inventory/partials/count_line.html", context, status=status)
    if form.errors:
        context = _sheet_context(line.sheet, notice=" ".join(form.errors.get("counted", [])) or "Not saved.")
        return page(request, "inventory/count_detail.html", context, status=status)
    return redirect("inventory:count_detail", line.sheet_id)


@require_POST
@member_view("inventory.edit")
def count_line_add(request, pk: int):
    sheet = _sheet_of(pk)
    form = CountAddForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            line = services.count_line_add(actor=request.membership, sheet=sheet, **form.service_fields())
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{line.item.sku} added to the count.")
            return redirect("inventory:count_detail", sheet.pk)
    return page(request, "inventory/count_detail.html", _sheet_context(sheet, add_form=form), status=400)


@require_POST
@member_view("inventory.edit")
def count_post(request, pk: int):
    sheet = _sheet_of(pk)
    try:
        services.count_sheet_post(actor=request.membership, sheet=sheet)
    except ERRORS as exc:
        notice = error_messages(exc)
        return page(request, "inventory/count_detail.html", _sheet_context(sheet, notice=notice), status=400)
    sheet.refresh_from_db()
    messages.success(request, f"Count {sheet.pk} posted: {_sheet_context(sheet)['variances']} variance(s) adjusted.")
    return redirect("inventory:count_detail", sheet.pk)


# -- reports --------------------------------------------------------------------------------------------------------
@require_GET
@member_view("inventory.view")
def valuation(request):
    report = selectors.valuation(actor=request.membership)
    return page(request, "inventory/valuation.html", {"report": report})


@require_GET
@member_view("inventory.view")
def reorder(request):
    return page(request, "inventory/reorder.html", {"rows": selectors.reorder(actor=request.membership)})


@require_GET
@member_view("inventory.view")
def lot_trace(request, pk: int):
    lot = get_object_or_404(Lot.objects.select_related("item__uom"), pk=pk)
    events.record(action=Action.VIEW, obj=lot)
    trace = selectors.lot_trace(lot)
    levels = selectors.levels().filter(lot=lot).exclude(on_hand=0, reserved=0)
    return page(request, "inventory/lot_trace.html", {"lot": lot, "levels": levels, **trace})
