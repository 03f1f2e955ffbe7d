"""Control pages for the catalog: units, categories and tags, items, BOM revisions with lines and routing.

Declared on the shared page layer (web/pages.py). The services hold every rule (loops, unit conversions, a
released revision is read-only): a page calls one service and shows its refusal where the person acted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.catalog import selectors, services
from factoryos.catalog.forms import (
    BomLineForm,
    CategoryForm,
    ConversionForm,
    ItemForm,
    OperationCheckForm,
    OperationForm,
    TagForm,
    UnitForm,
    item_label,
)
from factoryos.catalog.models import Bom, BomStatus, Item, MakeBuy
from factoryos.kernel.errors import CommonError, DomainError
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.reads import LIST, VIEW
from factoryos.kernel.transitions import can_transition, check_editable
from factoryos.planning.engine import bom as engine
from factoryos.web import pages
from factoryos.web.pages import ActionPage, DeletePage, DetailPage, FormPage, ListPage, Page, PickerPage, route
from factoryos.web.panels import columns_for, panels_for
from factoryos.web.tables import Column

ONE = Decimal(1)
ENGINE_ERRORS = (*pages.SERVICE_ERRORS, engine.BomCycleError, engine.BomDepthError)


def _reason(exc: Exception) -> str:
    return error_messages(exc) if isinstance(exc, pages.SERVICE_ERRORS) else str(exc)


# -- items ----------------------------------------------------------------------------------------------------------
@route("items/", "item_list", menu=("Control", "Items", "box"))
class ItemList(ListPage):
    reader = selectors.items
    columns = [
        Column("sku", "SKU", ("sku",)),
        Column("name", "Name", ("name", "sku")),
        Column("type", "Type", ("item_type", "sku")),
        Column("unit", "Unit"),
        Column("category", "Category", ("category__name", "sku")),
        Column("make_buy", "Make / buy", ("make_buy", "sku")),
        Column("cost", "Std cost", ("standard_cost", "sku"), "num"),
        Column("bom", "BOM"),
        Column("updated", "Updated", ("-updated_at", "sku")),
        Column("active", "Status", ("-active", "sku")),
    ]
    default_sort = "sku"
    filter_fields = ("q", "item_type", "category", "active")


@route("items/new/", "item_create")
class ItemCreate(FormPage):
    form_class, service = ItemForm, services.item_create
    success_url, success_message = "catalog:item_detail", "Item {result.sku} created."


@route("items/<int:pk>/edit/", "item_edit")
class ItemEdit(FormPage):
    permission = "catalog.edit"
    reader = selectors.items
    form_class, service = ItemForm, services.item_update
    success_url, success_message = "catalog:item_detail", "Item {result.sku} saved."

    def get_initial(self) -> dict[str, Any]:
        return {**super().get_initial(), "tags": list(self.object.tags.all())}


def _tree(item: Item, bom: Bom | None) -> tuple[list[dict[str, Any]], str]:
    """The indented explosion for one unit, each row with its unit cost, or an explanation of why there is none."""
    try:
        rows = selectors.explosion(item, ONE, bom)
        costs = selectors.cost_roll_up([item.pk, *{r["component"].pk for r in rows}])
    except ENGINE_ERRORS as exc:
        return [], _reason(exc)
    for row in rows:
        cost = costs.get(row["component"].pk)
        row["unit_cost"] = cost.total if cost else None
        row["extended_cost"] = cost.total * row["quantity"] if cost else None
        row["indent"] = min(row["level"], 10)
    return rows, ""


@route("items/<int:pk>/", "item_detail")
class ItemDetail(DetailPage):
    reader = selectors.items

    def get_context(self, item: Item) -> dict[str, Any]:
        revisions = list(selectors.boms.all().filter(item=item).order_by("-revision"))
        released = next((b for b in revisions if b.status == BomStatus.RELEASED), None)
        draft = next((b for b in revisions if b.status == BomStatus.DRAFT), None)  # the newest draft
        shown = released or draft
        wanted = self.request.GET.get("bom", "")
        if wanted.isascii() and wanted.isdigit():
            shown = next((b for b in revisions if b.pk == int(wanted)), shown)
        tree, tree_error = _tree(item, shown if shown is not None and shown is not released else None)
        try:
            cost, cost_error = selectors.cost_roll_up([item.pk]).get(item.pk), ""
        except ENGINE_ERRORS as exc:
            cost, cost_error = None, _reason(exc)
        try:
            used_in = selectors.where_used(item)
        except ENGINE_ERRORS as exc:
            used_in = []
            messages.error(self.request, _reason(exc))
        for row in used_in:
            row["indent"] = min(row["level"], 10)
        return {
            "panels": panels_for(self.request, "catalog.item", item),
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


@route("items/<int:pk>/boms/new/", "item_bom_create")
class ItemBomCreate(ActionPage):
    """A new draft revision of the item's BOM (a copy of the released one, if any)."""

    reader, redirect_to = selectors.items, "catalog:item_detail"

    def call(self, obj: Any) -> Bom:
        return services.bom_create(actor=self.actor, item=obj)

    def target(self, obj: Any, result: Any) -> HttpResponse:
        if result is None:
            return redirect("catalog:item_detail", obj.pk)
        messages.success(self.request, f"Draft revision {result.revision} of {obj.sku} started.")
        return redirect("catalog:bom_detail", result.pk)


# -- BOM revisions --------------------------------------------------------------------------------------------------
@route("boms/", "bom_list", menu=("Control", "BOMs", "layers"))
class BomList(ListPage):
    reader = selectors.boms
    columns = [
        Column("item", "Item", ("item__sku", "-revision")),
        Column("name", "Name", ("item__name", "item__sku", "-revision")),
        Column("revision", "Rev", ("revision", "item__sku"), "num"),
        Column("status", "Status", ("status", "item__sku")),
        Column("lines", "Lines", ("line_count", "item__sku"), "num"),
        Column("operations", "Operations", ("operation_count", "item__sku"), "num"),
        Column("created", "Created", ("-created_at",)),
        Column("released", "Released", ("-released_at",)),
    ]
    default_sort = "item"
    filter_fields = ("q", "status")


def _bom_context(
    request: HttpRequest,
    bom: Bom,
    *,
    line_form=None,
    operation_form=None,
    editing=None,
    edit_form=None,
    notice="",
    oob_lines=False,
) -> dict[str, Any]:
    others = list(Bom.objects.filter(item_id=bom.item_id).exclude(pk=bom.pk).order_by("-revision"))
    lines = list(bom.lines.select_related("component__uom", "uom", "operation"))
    for line in lines:
        line.unit_differs = line.uom_id != line.component.uom_id
    operations = list(
        bom.operations.select_related("work_center__site", "supplier").prefetch_related("checks").order_by("sequence")
    )
    extra_columns = columns_for(request, "catalog.operation", operations)  # what other apps show beside each
    for op in operations:
        op.check_form = OperationCheckForm(prefix=f"check-{op.pk}")
        op.extra_cells = [column.cells[op.pk] for column in extra_columns]
    return {
        "extra_columns": extra_columns,
        "bom": bom,
        "item": bom.item,
        "lines": lines,
        "operations": operations,
        "line_form": line_form or BomLineForm(bom=bom),
        "operation_form": operation_form or OperationForm(),
        "editing": editing,
        "edit_form": edit_form,
        "notice": notice,
        "other_revisions": others,
        "open_draft": next((b for b in others if b.status == BomStatus.DRAFT), None),
        "next_revision": max([bom.revision, *(b.revision for b in others)]) + 1,
        "can_release": can_transition(bom, BomStatus.RELEASED),
        "oob_lines": oob_lines,
    }


def _bom_part(request: HttpRequest, bom: Bom, part: str, *, status: int = 200, **context: Any) -> HttpResponse:
    """After a change: the panel (lines or operations) for htmx, otherwise back to the editor page."""
    if request.htmx:  # type: ignore[attr-defined]
        partial = f"catalog/partials/bom_{part}.html"
        oob = part == "operations"
        return pages.render(
            request,
            "catalog/bom_detail.html",
            _bom_context(request, bom, oob_lines=oob, **context),
            partial=partial,
            status=status,
        )
    if status != 200:
        if context.get("notice"):
            messages.error(request, context["notice"])
            return redirect("catalog:bom_detail", bom.pk)
        return pages.render(request, BomDetail.template, _bom_context(request, bom, **context), status=status)
    return redirect("catalog:bom_detail", bom.pk)


def _refused(request: HttpRequest, bom: Bom, part: str, exc: Exception, **context: Any) -> HttpResponse:
    """A refusal of a change to the BOM: a locked revision is said above the panel (409); anything else is on
    the form's fields (400)."""
    if isinstance(exc, DomainError) and exc.code == CommonError.LOCKED:
        return _bom_part(request, bom, part, status=409, notice=exc.message)
    return _bom_part(request, bom, part, status=pages.error_status(exc), **context)


@route("boms/<int:pk>/", "bom_detail")
class BomDetail(DetailPage):
    """The BOM editor: lines and routing of one revision, inline (htmx) while it is a draft."""

    reader = selectors.boms

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        bom = self.reader.get(pk, actor=self.actor)
        part = request.GET.get("part")
        if request.htmx and part in ("lines", "operations"):  # type: ignore[attr-defined]  # cancelling an edit
            return pages.render(
                request, self.template, _bom_context(request, bom), partial=f"catalog/partials/bom_{part}.html"
            )
        return pages.render(request, self.template, _bom_context(request, bom))


@route("items/pick/", "item_picker")
class ItemPicker(PickerPage):
    """Active items for a picker (SKU or name; an exact SKU first, then SKU and name prefixes)."""

    reader = selectors.items

    def get_queryset(self) -> Any:
        return Item.objects.filter(active=True).only("pk", "sku", "name")

    def label(self, item: Item) -> str:
        return item_label(item)


@route("boms/<int:pk>/components/", "component_picker")
class ComponentPicker(ItemPicker):
    """The items a revision's line may use: active, and not the revision's own item."""

    def get_queryset(self) -> Any:
        bom = selectors.boms.fetch(self.kwargs["pk"])
        return super().get_queryset().exclude(pk=bom.item_id)


class BomPartPost(Page):
    """A change to a revision's lines or routing, inline: one service, the panel back (or the refusal)."""

    http_method_names = ["post"]
    permission = "catalog.edit"
    part = "lines"


@route("boms/<int:pk>/lines/", "bom_line_add")
class BomLineAdd(BomPartPost):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        bom = selectors.boms.fetch(pk)
        form = BomLineForm(request.POST, bom=bom)
        line, failure = pages.submit(
            form, lambda: services.bom_line_add(actor=self.actor, bom=bom, **form.service_fields())
        )
        if failure is not None:
            return _refused(request, bom, "lines", failure, line_form=form)
        if not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, f"Line {line.position} added.")
        return _bom_part(request, bom, "lines")


@route("bom-lines/<int:pk>/", "bom_line_edit")
class BomLineEdit(BomPartPost):
    """GET: the line as an inline form (a VIEW of the line); POST: save it."""

    http_method_names = ["get", "head", "post"]
    reads = VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        line = selectors.bom_lines.get(pk, actor=self.actor)
        bom = line.bom
        try:
            check_editable(bom)  # a released revision shows no edit form: it says how to change it
        except DomainError as exc:
            return _bom_part(request, bom, "lines", status=409, notice=exc.message)
        initial = {
            "component": line.component,
            "quantity": line.quantity.normalize(),
            "uom": line.uom,
            "scrap_pct": line.scrap_pct.normalize(),
            "phantom": line.phantom,
            "reference": line.reference,
            "operation": line.operation,
        }
        form = BomLineForm(initial=initial, bom=bom, current=line.component, prefix=f"line-{line.pk}")
        if request.htmx:  # type: ignore[attr-defined]
            return _bom_part(request, bom, "lines", editing=line.pk, edit_form=form)
        return pages.render(request, BomDetail.template, _bom_context(request, bom, editing=line.pk, edit_form=form))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        line = selectors.bom_lines.fetch(pk)
        bom = line.bom
        form = BomLineForm(request.POST, bom=bom, current=line.component, prefix=f"line-{line.pk}")

        def save() -> Any:
            fields = form.service_fields()
            if fields["component"] == line.component:
                fields.pop("component")  # unchanged: no new loop to look for
            return services.bom_line_update(actor=self.actor, obj=line, **fields)

        _saved, failure = pages.submit(form, save)
        if failure is not None:
            return _refused(request, bom, "lines", failure, editing=line.pk, edit_form=form)
        if not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, f"Line {line.position} saved.")
        return _bom_part(request, bom, "lines")


class BomPartDelete(BomPartPost):
    reader: Any

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.reader.fetch(pk)
        try:
            self.service(actor=self.actor, obj=obj)  # type: ignore[attr-defined]
        except pages.SERVICE_ERRORS as exc:
            return _bom_part(request, obj.bom, self.part, status=409, notice=error_messages(exc))
        return _bom_part(request, obj.bom, self.part)


@route("bom-lines/<int:pk>/delete/", "bom_line_delete")
class BomLineDelete(BomPartDelete):
    reader, service = selectors.bom_lines, services.bom_line_delete


@route("operations/<int:pk>/delete/", "operation_delete")
class OperationDelete(BomPartDelete):
    reader, service, part = selectors.operations, services.operation_delete, "operations"


@route("boms/<int:pk>/operations/", "operation_add")
class OperationAdd(BomPartPost):
    part = "operations"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        bom = selectors.boms.fetch(pk)
        form = OperationForm(request.POST)
        _op, failure = pages.submit(
            form, lambda: services.operation_add(actor=self.actor, bom=bom, **form.service_fields())
        )
        if failure is not None:
            return _refused(request, bom, "operations", failure, operation_form=form)
        return _bom_part(request, bom, "operations")


@route("operations/<int:pk>/checks/", "operation_check_add")
class OperationCheckAdd(BomPartPost):
    """An in-process check on an operation of a draft revision."""

    part = "operations"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        operation = selectors.operations.fetch(pk)
        form = OperationCheckForm(request.POST, prefix=f"check-{operation.pk}")
        _check, failure = pages.submit(
            form, lambda: services.operation_check_add(actor=self.actor, operation=operation, **form.service_fields())
        )
        if failure is not None:
            pages.flash_failure(request, failure, "Check not added: ")
        return _bom_part(request, operation.bom, "operations")


@route("operation-checks/<int:pk>/delete/", "operation_check_delete")
class OperationCheckDelete(BomPartPost):
    part = "operations"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        check = selectors.operation_checks.fetch(pk)
        try:
            services.operation_check_delete(actor=self.actor, obj=check)
        except pages.SERVICE_ERRORS as exc:
            return _bom_part(request, check.operation.bom, "operations", status=409, notice=error_messages(exc))
        return _bom_part(request, check.operation.bom, "operations")


@route("boms/<int:pk>/release/", "bom_release")
class BomRelease(ActionPage):
    reader, service = selectors.boms, services.bom_release

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        bom = self.reader.fetch(pk)
        previous = Bom.objects.filter(item_id=bom.item_id, status=BomStatus.RELEASED).first()
        try:
            self.call(bom)
        except pages.SERVICE_ERRORS as exc:
            messages.error(request, f"Revision {bom.revision} was not released: {error_messages(exc)}")
        else:
            replaced = f" Revision {previous.revision} is now obsolete." if previous else ""
            messages.success(request, f"Revision {bom.revision} of {bom.item.sku} released.{replaced}")
        return redirect("catalog:bom_detail", bom.pk)


@route("boms/<int:pk>/revise/", "bom_revise")
class BomRevise(ActionPage):
    """Start a new draft revision copied from this one (how a released BOM is changed)."""

    reader = selectors.boms

    def call(self, obj: Any) -> Bom:
        return services.bom_create(actor=self.actor, item=obj.item, copy_from=obj)

    def target(self, obj: Any, result: Any) -> HttpResponse:
        if result is None:
            return redirect("catalog:bom_detail", obj.pk)
        messages.success(self.request, f"Draft revision {result.revision} started from revision {obj.revision}.")
        return redirect("catalog:bom_detail", result.pk)


# -- units and conversions, categories and tags ----------------------------------------------------------------------
@route("units/", "unit_list", menu=("Control", "Units", "ruler"))
class UnitPage(FormPage):
    """The units and their conversions; POST adds a unit (a conversion has its own form and URL)."""

    reads = LIST
    form_class, form_name, service = UnitForm, "unit_form", services.uom_create
    template = "catalog/units.html"
    success_url, success_message = "catalog:unit_list", "Unit {result.code} added."

    def get_context(self, form: Any) -> dict[str, Any]:
        conversions = list(selectors.conversions.all().order_by("item__sku", "from_uom__code", "to_uom__code"))
        units = selectors.units_of_measure
        return {
            "units": self.rows(units, units.all().order_by("kind", "code"), conversions=len(conversions)),
            "conversions": conversions,
            "unit_form": UnitForm(),
            "conversion_form": ConversionForm(),
            self.form_name: form,
        }


@route("units/conversions/", "conversion_create")
class ConversionCreate(UnitPage):
    http_method_names = ["post"]
    form_class, form_name, service = ConversionForm, "conversion_form", services.conversion_create
    success_message = "Conversion added."


@route("categories/", "category_list")
class CategoryPage(FormPage):
    """The categories (with their item counts) and tags; POST adds a category (a tag has its own URL)."""

    reads = LIST
    form_class, form_name, service = CategoryForm, "category_form", services.category_create
    template = "catalog/categories.html"
    success_url, success_message = "catalog:category_list", "Category {result.name} added."

    def get_context(self, form: Any) -> dict[str, Any]:
        tags = list(selectors.tags.all())
        return {
            "categories": self.rows(selectors.categories, tags=len(tags)),
            "tags": tags,
            "category_form": CategoryForm(),
            "tag_form": TagForm(),
            self.form_name: form,
        }


@route("tags/", "tag_create")
class TagCreate(CategoryPage):
    http_method_names = ["post"]
    form_class, form_name, service = TagForm, "tag_form", services.tag_create
    success_message = "Tag {result.name} added."


class Remove(DeletePage):
    service = services.simple_delete


@route("units/<int:pk>/delete/", "unit_delete")
class UnitDelete(Remove):
    reader, service, redirect_to = selectors.units_of_measure, services.uom_delete, "catalog:unit_list"
    success_message, failure_message = "Unit {object.code} removed.", "Unit {object.code} cannot be removed: "


@route("units/conversions/<int:pk>/delete/", "conversion_delete")
class ConversionDelete(Remove):
    reader, redirect_to = selectors.conversions, "catalog:unit_list"
    success_message, failure_message = "The conversion removed.", "The conversion cannot be removed: "


@route("categories/<int:pk>/delete/", "category_delete")
class CategoryDelete(Remove):
    reader, redirect_to = selectors.categories, "catalog:category_list"
    success_message, failure_message = "Category {object.name} removed.", "Category {object.name} cannot be removed: "


@route("tags/<int:pk>/delete/", "tag_delete")
class TagDelete(Remove):
    reader, redirect_to = selectors.tags, "catalog:category_list"
    success_message, failure_message = "Tag {object.name} removed.", "Tag {object.name} cannot be removed: "
