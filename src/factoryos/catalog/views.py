"""Control pages for the catalog: units, categories and tags, items, BOM revisions with lines and routing.

Views parse a form, call one service and render; the services hold every rule (loops, unit conversions, released
revisions are immutable) and their ValidationErrors land on the form field they name.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factoryos.catalog import selectors, services
from factoryos.catalog.forms import (
    BomFilterForm,
    BomLineForm,
    CategoryForm,
    ConversionForm,
    ItemFilterForm,
    ItemForm,
    OperationForm,
    TagForm,
    UnitForm,
    component_choices,
)
from factoryos.catalog.models import (
    Bom,
    BomLine,
    BomStatus,
    Category,
    Item,
    MakeBuy,
    Operation,
    Tag,
    UnitOfMeasure,
    UomConversion,
)
from factoryos.facilities.views import page, sorted_page
from factoryos.kernel import events
from factoryos.kernel.access import check
from factoryos.kernel.errors import DomainError
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.events import Action
from factoryos.planning.engine import bom as engine
from factoryos.web.decorators import member_view
from factoryos.web.views import apply_errors

ERRORS = (ValidationError, DomainError)
ONE = Decimal(1)


def _filters(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "")} if form.is_valid() else {}


def _record_list(object_type: str, criteria: dict, count: int) -> None:
    events.record_list(object_type=object_type, criteria=criteria, count=count)


def _message(exc) -> str:
    return error_messages(exc)


# -- units and conversions ------------------------------------------------------------------------------------------
def _units_context(unit_form=None, conversion_form=None) -> dict:
    return {
        "units": UnitOfMeasure.objects.order_by("kind", "code"),
        "conversions": UomConversion.objects.select_related("from_uom", "to_uom", "item").order_by(
            "item__sku", "from_uom__code", "to_uom__code"
        ),
        "unit_form": unit_form or UnitForm(),
        "conversion_form": conversion_form or ConversionForm(),
    }


@require_http_methods(["GET", "POST"])
@member_view("catalog.view")
def unit_list(request):
    form = UnitForm()
    if request.method == "POST":
        check(request, "catalog.edit")
        form = UnitForm(request.POST)
        if form.is_valid():
            try:
                unit = services.uom_create(actor=request.membership, **form.cleaned_data)
            except ERRORS as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Unit {unit.code} added.")
                return redirect("catalog:unit_list")
    return page(request, "catalog/units.html", _units_context(unit_form=form), status=400 if form.errors else 200)


@require_POST
@member_view("catalog.edit")
def conversion_create(request):
    form = ConversionForm(request.POST)
    if form.is_valid():
        try:
            services.conversion_create(actor=request.membership, **form.cleaned_data)
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Conversion added.")
            return redirect("catalog:unit_list")
    return page(request, "catalog/units.html", _units_context(conversion_form=form), status=400)


def _delete(request, obj, service, label: str, back: str):
    try:
        service(actor=request.membership, obj=obj)
    except ERRORS as exc:
        messages.error(request, f"{label} cannot be removed: {_message(exc)}")
    else:
        messages.success(request, f"{label} removed.")
    return redirect(back)


@require_POST
@member_view("catalog.edit")
def unit_delete(request, pk: int):
    unit = get_object_or_404(UnitOfMeasure.objects, pk=pk)
    return _delete(request, unit, services.uom_delete, f"Unit {unit.code}", "catalog:unit_list")


@require_POST
@member_view("catalog.edit")
def conversion_delete(request, pk: int):
    conversion = get_object_or_404(UomConversion.objects, pk=pk)
    return _delete(request, conversion, services.simple_delete, "The conversion", "catalog:unit_list")


# -- categories and tags --------------------------------------------------------------------------------------------
def _categories_context(category_form=None, tag_form=None) -> dict:
    return {
        "categories": Category.objects.select_related("parent").annotate(item_count=Count("items")),
        "tags": Tag.objects.annotate(item_count=Count("items")),
        "category_form": category_form or CategoryForm(),
        "tag_form": tag_form or TagForm(),
    }


@require_http_methods(["GET", "POST"])
@member_view("catalog.view")
def category_list(request):
    form = CategoryForm()
    if request.method == "POST":
        check(request, "catalog.edit")
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                category = services.category_create(actor=request.membership, **form.cleaned_data)
            except ERRORS as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Category {category.name} added.")
                return redirect("catalog:category_list")
    context = _categories_context(category_form=form)
    return page(request, "catalog/categories.html", context, status=400 if form.errors else 200)


@require_POST
@member_view("catalog.edit")
def tag_create(request):
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            tag = services.tag_create(actor=request.membership, **form.cleaned_data)
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Tag {tag.name} added.")
            return redirect("catalog:category_list")
    return page(request, "catalog/categories.html", _categories_context(tag_form=form), status=400)


@require_POST
@member_view("catalog.edit")
def category_delete(request, pk: int):
    category = get_object_or_404(Category.objects, pk=pk)
    return _delete(request, category, services.simple_delete, f"Category {category.name}", "catalog:category_list")


@require_POST
@member_view("catalog.edit")
def tag_delete(request, pk: int):
    tag = get_object_or_404(Tag.objects, pk=pk)
    return _delete(request, tag, services.simple_delete, f"Tag {tag.name}", "catalog:category_list")


# -- items ----------------------------------------------------------------------------------------------------------
ITEM_COLUMNS = [
    ("sku", "SKU", ("sku",), ""),
    ("name", "Name", ("name", "sku"), ""),
    ("type", "Type", ("item_type", "sku"), ""),
    ("unit", "Unit", None, ""),
    ("category", "Category", ("category__name", "sku"), ""),
    ("make_buy", "Make / buy", ("make_buy", "sku"), ""),
    ("cost", "Std cost", ("standard_cost", "sku"), "num"),
    ("bom", "BOM", None, ""),
    ("updated", "Updated", ("-updated_at", "sku"), ""),
    ("active", "Status", ("-active", "sku"), ""),
]


@require_GET
@member_view("catalog.view")
def item_list(request):
    form = ItemFilterForm(request.GET or None)
    criteria = _filters(form)
    released = Bom.objects.filter(item=OuterRef("pk"), status=BomStatus.RELEASED).values("revision")[:1]
    qs = Item.objects.select_related("uom", "category").annotate(released_revision=Subquery(released))
    relevance = None
    if q := criteria.get("q", "").strip():
        qs = qs.filter(Q(sku__icontains=q) | Q(name__icontains=q)).annotate(
            match=Case(
                When(sku__iexact=q, then=Value(0)),
                When(sku__istartswith=q, then=Value(1)),
                When(name__istartswith=q, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        relevance = ("match", "sku")  # exact SKU, then SKU prefix, then name prefix, then anywhere
    if criteria.get("item_type"):
        qs = qs.filter(item_type=criteria["item_type"])
    if criteria.get("category"):
        qs = qs.filter(category=criteria["category"])
    if criteria.get("active") in ("yes", "no"):
        qs = qs.filter(active=criteria["active"] == "yes")
    context = {"form": form, **sorted_page(request, qs, ITEM_COLUMNS, "sku", unsorted_order=relevance)}
    _record_list("catalog.item", criteria, context["page"].paginator.count)
    return page(request, "catalog/item_list.html", context, partial="catalog/partials/item_table.html")


@require_http_methods(["GET", "POST"])
@member_view("catalog.edit")
def item_create(request):
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(actor=request.membership, **form.service_fields())
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Item {item.sku} created.")
            return redirect("catalog:item_detail", item.pk)
    return page(request, "catalog/item_form.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_view("catalog.edit")
def item_edit(request, pk: int):
    item = get_object_or_404(Item.objects, pk=pk)
    initial = {name: getattr(item, name) for name in ItemForm.base_fields if name != "tags"}
    initial["tags"] = list(item.tags.all())
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.membership, obj=item, **form.service_fields())
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Item {form.cleaned_data['sku']} saved.")
            return redirect("catalog:item_detail", item.pk)
    return page(request, "catalog/item_form.html", {"form": form, "item": item}, status=400 if form.errors else 200)


def _tree(item: Item, bom: Bom | None) -> tuple[list[dict], str]:
    """The indented explosion for one unit, each row with its unit cost, or an explanation of why there is none."""
    try:
        rows = selectors.explosion(item, ONE, bom)
        costs = selectors.cost_roll_up([item.pk, *{r["component"].pk for r in rows}])
    except ERRORS as exc:
        return [], _message(exc)
    except (engine.BomCycleError, engine.BomDepthError) as exc:
        return [], str(exc)
    for row in rows:
        cost = costs.get(row["component"].pk)
        row["unit_cost"] = cost.total if cost else None
        row["extended_cost"] = cost.total * row["quantity"] if cost else None
        row["indent"] = min(row["level"], 10)
    return rows, ""


def _stock_context(request, item: Item) -> dict:
    """Where the item is (levels by location and lot) and its latest moves, for people who may see stock."""
    from factoryos.inventory import selectors as stock
    from factoryos.kernel.access import has_perm

    if not has_perm(request, "inventory.view"):
        return {"show_stock": False}
    levels = list(stock.levels().filter(item=item).exclude(on_hand=0, reserved=0).order_by("location__code"))
    return {
        "show_stock": True,
        "levels": levels,
        "on_hand_total": sum((lvl.on_hand for lvl in levels), Decimal(0)),
        "available_total": sum((lvl.available for lvl in levels), Decimal(0)),
        "moves": list(item.stock_moves.select_related("from_location", "to_location", "lot")[:10]),
    }


@require_GET
@member_view("catalog.view")
def item_detail(request, pk: int):
    item = get_object_or_404(Item.objects.select_related("uom", "category"), pk=pk)
    revisions = list(
        item.boms.annotate(
            line_count=Count("lines", distinct=True), operation_count=Count("operations", distinct=True)
        ).select_related("released_by")
    )
    released = next((b for b in revisions if b.status == BomStatus.RELEASED), None)
    draft = next((b for b in revisions if b.status == BomStatus.DRAFT), None)  # the newest draft (revision desc)
    shown = released or draft
    wanted = request.GET.get("bom", "")
    if wanted.isdigit():
        shown = next((b for b in revisions if b.pk == int(wanted)), shown)
    tree, tree_error = _tree(item, shown if shown is not None and shown is not released else None)
    try:
        cost = selectors.cost_roll_up([item.pk]).get(item.pk)
        cost_error = ""
    except (ValidationError, DomainError, engine.BomCycleError, engine.BomDepthError) as exc:
        cost, cost_error = None, _message(exc) if isinstance(exc, ERRORS) else str(exc)
    try:
        used_in = selectors.where_used(item)
    except (ValidationError, DomainError, engine.BomCycleError) as exc:
        used_in = []
        messages.error(request, _message(exc) if isinstance(exc, ERRORS) else str(exc))
    for row in used_in:
        row["indent"] = min(row["level"], 10)
    events.record(action=Action.VIEW, obj=item)
    context = {
        **_stock_context(request, item),
        "item": item,
        "tags": item.tags.all(),
        "revisions": revisions,
        "released": released,
        "draft": draft,
        "shown": shown,
        "tree": tree,
        "tree_error": tree_error,
        "cost": cost,
        "cost_error": cost_error,
        "has_routing": bool(released and released.operation_count),
        "used_in": used_in,
        "is_made": item.make_buy == MakeBuy.MAKE,
    }
    return page(request, "catalog/item_detail.html", context)


@require_POST
@member_view("catalog.edit")
def item_bom_create(request, pk: int):
    """A new draft revision of the item's BOM (a copy of the released one, if any)."""
    item = get_object_or_404(Item.objects, pk=pk)
    try:
        bom = services.bom_create(actor=request.membership, item=item)
    except ERRORS as exc:
        messages.error(request, _message(exc))
        return redirect("catalog:item_detail", item.pk)
    messages.success(request, f"Draft revision {bom.revision} of {item.sku} started.")
    return redirect("catalog:bom_detail", bom.pk)


# -- BOM revisions --------------------------------------------------------------------------------------------------
BOM_COLUMNS = [
    ("item", "Item", ("item__sku", "-revision"), ""),
    ("name", "Name", ("item__name", "item__sku", "-revision"), ""),
    ("revision", "Rev", ("revision", "item__sku"), "num"),
    ("status", "Status", ("status", "item__sku"), ""),
    ("lines", "Lines", ("line_count", "item__sku"), "num"),
    ("operations", "Operations", ("operation_count", "item__sku"), "num"),
    ("created", "Created", ("-created_at",), ""),
    ("released", "Released", ("-released_at",), ""),
]


@require_GET
@member_view("catalog.view")
def bom_list(request):
    form = BomFilterForm(request.GET or None)
    criteria = _filters(form)
    qs = Bom.objects.select_related("item", "released_by").annotate(
        line_count=Count("lines", distinct=True), operation_count=Count("operations", distinct=True)
    )
    if q := criteria.get("q", "").strip():
        qs = qs.filter(Q(item__sku__icontains=q) | Q(item__name__icontains=q))
    if criteria.get("status"):
        qs = qs.filter(status=criteria["status"])
    context = {"form": form, **sorted_page(request, qs, BOM_COLUMNS, "item")}
    _record_list("catalog.bom", criteria, context["page"].paginator.count)
    return page(request, "catalog/bom_list.html", context, partial="catalog/partials/bom_table.html")


def _bom_of(pk: int) -> Bom:
    return get_object_or_404(Bom.objects.select_related("item__uom", "released_by"), pk=pk)


def _locked_message(bom: Bom) -> str:
    return (
        f"Revision {bom.revision} is {bom.get_status_display().lower()} and cannot change. "
        "To change this BOM, start a new revision: it copies these lines and operations into a draft."
    )


def _bom_context(
    bom: Bom, *, line_form=None, operation_form=None, editing=None, edit_form=None, notice="", oob_lines=False
) -> dict:
    others = list(Bom.objects.filter(item_id=bom.item_id).exclude(pk=bom.pk).order_by("-revision"))
    lines = list(bom.lines.select_related("component__uom", "uom", "operation"))
    for line in lines:
        line.unit_differs = line.uom_id != line.component.uom_id
    return {
        "bom": bom,
        "item": bom.item,
        "lines": lines,
        "operations": bom.operations.select_related("work_center__site"),
        "line_form": line_form or BomLineForm(bom=bom),
        "operation_form": operation_form or OperationForm(),
        "editing": editing,
        "edit_form": edit_form,
        "notice": notice,
        "other_revisions": others,
        "open_draft": next((b for b in others if b.status == BomStatus.DRAFT), None),
        "next_revision": max([bom.revision, *(b.revision for b in others)]) + 1,
        "oob_lines": oob_lines,
    }


def _bom_part(request, bom: Bom, part: str, *, status: int = 200, **context):
    """After a change: the panel (lines or operations) for htmx, otherwise back to the editor page."""
    if request.htmx:
        return page(
            request,
            "catalog/bom_detail.html",
            _bom_context(bom, oob_lines=part == "operations", **context),
            partial=f"catalog/partials/bom_{part}.html",
            status=status,
        )
    if status != 200:
        if context.get("notice"):
            messages.error(request, context["notice"])
            return redirect("catalog:bom_detail", bom.pk)
        return page(request, "catalog/bom_detail.html", _bom_context(bom, **context), status=status)
    return redirect("catalog:bom_detail", bom.pk)


def _refuse_locked(request, bom: Bom, part: str):
    """A released or obsolete revision is read-only: say so where the person tried to change it (409)."""
    return _bom_part(request, bom, part, status=409, notice=_locked_message(bom))


@require_GET
@member_view("catalog.view")
def bom_detail(request, pk: int):
    bom = _bom_of(pk)
    part = request.GET.get("part")
    if request.htmx and part in ("lines", "operations"):  # e.g. cancelling an inline edit
        return page(request, "catalog/bom_detail.html", _bom_context(bom), partial=f"catalog/partials/bom_{part}.html")
    events.record(action=Action.VIEW, obj=bom)
    return page(request, "catalog/bom_detail.html", _bom_context(bom))


@require_GET
@member_view("catalog.view")
def component_options(request, pk: int):
    """<option>s for the component select of a revision, narrowed by ?q= (SKU or name, prefix matches first)."""
    bom = _bom_of(pk)
    q = request.GET.get("q", "").strip()
    items = Item.objects.filter(active=True).exclude(pk=bom.item_id)
    if q:
        items = items.filter(Q(sku__icontains=q) | Q(name__icontains=q)).annotate(
            match=Case(
                When(sku__istartswith=q, then=Value(0)),
                When(name__istartswith=q, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        items = items.order_by("match", "sku")
    choices = component_choices(items)
    if q and len(choices) == 2:  # one match: choose it
        choices = choices[1:]
    empty = bool(q) and not any(value for value, _label in choices)
    return render(request, "catalog/partials/component_options.html", {"choices": choices, "q": q, "empty": empty})


@require_POST
@member_view("catalog.edit")
def bom_line_add(request, pk: int):
    bom = _bom_of(pk)
    if not bom.editable:
        return _refuse_locked(request, bom, "lines")
    form = BomLineForm(request.POST, bom=bom)
    if form.is_valid():
        try:
            line = services.bom_line_add(actor=request.membership, bom=bom, **form.service_fields())
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, f"Line {line.position} added.")
            return _bom_part(request, bom, "lines")
    return _bom_part(request, bom, "lines", status=400, line_form=form)


@require_http_methods(["GET", "POST"])
@member_view("catalog.edit")
def bom_line_edit(request, pk: int):
    line = get_object_or_404(BomLine.objects.select_related("component__uom", "uom", "bom__item"), pk=pk)
    bom = line.bom
    if not bom.editable:
        return _refuse_locked(request, bom, "lines")
    prefix = f"line-{line.pk}"
    if request.method == "GET":
        initial = {
            "component": line.component,
            "quantity": line.quantity.normalize(),
            "uom": line.uom,
            "scrap_pct": line.scrap_pct.normalize(),
            "phantom": line.phantom,
            "reference": line.reference,
            "operation": line.operation,
        }
        form = BomLineForm(initial=initial, bom=bom, current=line.component, prefix=prefix)
        return (
            _bom_part(request, bom, "lines", editing=line.pk, edit_form=form)
            if request.htmx
            else page(request, "catalog/bom_detail.html", _bom_context(bom, editing=line.pk, edit_form=form))
        )
    form = BomLineForm(request.POST, bom=bom, current=line.component, prefix=prefix)
    if form.is_valid():
        fields = form.service_fields()
        if fields["component"] == line.component:
            fields.pop("component")  # unchanged: no new loop to look for
        try:
            services.bom_line_update(actor=request.membership, obj=line, **fields)
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, f"Line {line.position} saved.")
            return _bom_part(request, bom, "lines")
    return _bom_part(request, bom, "lines", status=400, editing=line.pk, edit_form=form)


@require_POST
@member_view("catalog.edit")
def bom_line_delete(request, pk: int):
    line = get_object_or_404(BomLine.objects.select_related("bom__item"), pk=pk)
    bom = line.bom
    if not bom.editable:
        return _refuse_locked(request, bom, "lines")
    try:
        services.bom_line_delete(actor=request.membership, obj=line)
    except ERRORS as exc:
        return _bom_part(request, bom, "lines", status=409, notice=_message(exc))
    return _bom_part(request, bom, "lines")


@require_POST
@member_view("catalog.edit")
def operation_add(request, pk: int):
    bom = _bom_of(pk)
    if not bom.editable:
        return _refuse_locked(request, bom, "operations")
    form = OperationForm(request.POST)
    if form.is_valid():
        try:
            services.operation_add(actor=request.membership, bom=bom, **form.service_fields())
        except ERRORS as exc:
            apply_errors(form, exc)
        else:
            return _bom_part(request, bom, "operations")
    return _bom_part(request, bom, "operations", status=400, operation_form=form)


@require_POST
@member_view("catalog.edit")
def operation_delete(request, pk: int):
    operation = get_object_or_404(Operation.objects.select_related("bom__item"), pk=pk)
    bom = operation.bom
    if not bom.editable:
        return _refuse_locked(request, bom, "operations")
    try:
        services.operation_delete(actor=request.membership, obj=operation)
    except ERRORS as exc:
        return _bom_part(request, bom, "operations", status=409, notice=_message(exc))
    return _bom_part(request, bom, "operations")


@require_POST
@member_view("catalog.edit")
def bom_release(request, pk: int):
    bom = _bom_of(pk)
    previous = Bom.objects.filter(item_id=bom.item_id, status=BomStatus.RELEASED).first()
    try:
        services.bom_release(actor=request.membership, bom=bom)
    except ERRORS as exc:
        messages.error(request, f"Revision {bom.revision} was not released: {_message(exc)}")
    else:
        replaced = f" Revision {previous.revision} is now obsolete." if previous else ""
        messages.success(request, f"Revision {bom.revision} of {bom.item.sku} released.{replaced}")
    return redirect("catalog:bom_detail", bom.pk)


@require_POST
@member_view("catalog.edit")
def bom_revise(request, pk: int):
    """Start a new draft revision copied from this one (how a released BOM is changed)."""
    bom = _bom_of(pk)
    try:
        new = services.bom_create(actor=request.membership, item=bom.item, copy_from=bom)
    except ERRORS as exc:
        messages.error(request, _message(exc))
        return redirect("catalog:bom_detail", bom.pk)
    messages.success(request, f"Draft revision {new.revision} started from revision {bom.revision}.")
    return redirect("catalog:bom_detail", new.pk)
