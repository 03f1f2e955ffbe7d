"""Writes to units, items, BOM revisions (lines, operations) and their release."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from factoryos.catalog import units
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
from factoryos.core.models import Membership
from factoryos.facilities.models import WorkCenter
from factoryos.kernel import crud, events
from factoryos.kernel.events import Action
from factoryos.planning.engine import bom as engine

ITEM_FIELDS = (
    "sku",
    "name",
    "description",
    "item_type",
    "uom",
    "make_buy",
    "standard_cost",
    "lead_time_days",
    "safety_stock",
    "reorder_point",
    "reorder_qty",
    "min_order_qty",
    "order_multiple",
    "weight_kg",
    "material",
    "tracking",
    "category",
    "attributes",
    "active",
)
LINE_FIELDS = ("component", "quantity", "uom", "scrap_pct", "phantom", "reference", "operation", "position")
OPERATION_FIELDS = (
    "sequence",
    "work_center",
    "description",
    "setup_minutes",
    "run_minutes_per_unit",
    "move_minutes",
    "queue_minutes",
)
_REFS = {
    "uom": UnitOfMeasure,
    "category": Category,
    "component": Item,
    "work_center": WorkCenter,
    "from_uom": UnitOfMeasure,
    "to_uom": UnitOfMeasure,
    "item": Item,
    "parent": Category,
}


def _refs(fields: dict[str, Any]) -> dict[str, Any]:
    return crud.refs(fields, _REFS)


# -- units, categories, tags -----------------------------------------------------------------------------------
def uom_create(*, actor: Membership, **fields: Any) -> UnitOfMeasure:
    return crud.create(UnitOfMeasure, **fields)


def uom_update(*, actor: Membership, obj: UnitOfMeasure, **fields: Any) -> UnitOfMeasure:
    return crud.update(obj, allowed=("code", "name", "kind"), **fields)


def uom_delete(*, actor: Membership, obj: UnitOfMeasure) -> None:
    crud.delete(obj)


def conversion_create(*, actor: Membership, **fields: Any) -> UomConversion:
    return crud.create(UomConversion, **_refs(fields))


def conversion_update(*, actor: Membership, obj: UomConversion, **fields: Any) -> UomConversion:
    return crud.update(obj, allowed=("factor",), **fields)


def simple_delete(*, actor: Membership, obj) -> None:
    crud.delete(obj)


def category_create(*, actor: Membership, **fields: Any) -> Category:
    return crud.create(Category, **_refs(fields))


def category_update(*, actor: Membership, obj: Category, **fields: Any) -> Category:
    fields = _refs(fields)
    parent = fields.get("parent")
    while parent is not None:  # a category cannot sit under itself
        if parent.pk == obj.pk:
            raise ValidationError({"parent": "A category cannot be placed under itself or its own sub-category."})
        parent = parent.parent
    return crud.update(obj, allowed=("name", "parent"), **fields)


def tag_create(*, actor: Membership, **fields: Any) -> Tag:
    return crud.create(Tag, **fields)


# -- items -------------------------------------------------------------------------------------------------------
@transaction.atomic
def item_create(*, actor: Membership, tags: list[int] | None = None, **fields: Any) -> Item:
    fields = _refs(fields)
    fields.setdefault(
        "make_buy",
        MakeBuy.MAKE if fields.get("item_type") in {"manufactured", "subassembly", "finished"} else MakeBuy.BUY,
    )
    item = crud.create(Item, **fields)
    if tags:
        _set_tags(item, tags)
    return item


@transaction.atomic
def item_update(*, actor: Membership, obj: Item, tags: list[int] | None = None, **fields: Any) -> Item:
    item = crud.update(obj, allowed=ITEM_FIELDS, **_refs(fields))
    if tags is not None:
        _set_tags(item, tags)
    return item


def _set_tags(item: Item, tag_ids: list[int]) -> None:
    found = list(Tag.objects.filter(pk__in=tag_ids))
    missing = sorted(set(tag_ids) - {t.pk for t in found})
    if missing:
        raise ValidationError({"tags": f"No tag with id {', '.join(map(str, missing))}."})
    before = sorted(item.tags.values_list("name", flat=True))
    item.tags.set(found)
    after = sorted(t.name for t in found)
    if before != after:
        events.record(action=Action.UPDATE, obj=item, changes={"tags": [before, after]})


def item_delete(*, actor: Membership, obj: Item) -> None:
    crud.delete(obj)


# -- BOM revisions ------------------------------------------------------------------------------------------------
def _editable(bom: Bom) -> Bom:
    bom = Bom.objects.select_for_update(of=("self",)).get(pk=bom.pk)
    if not bom.editable:
        raise ValidationError({"bom": f"Revision {bom.revision} is {bom.status}: start a new revision to change it."})
    return bom


@transaction.atomic
def bom_create(*, actor: Membership, item: Item | int, copy_from: Bom | int | None = None, notes: str = "") -> Bom:
    """A new draft revision of the item's BOM and routing; copies the given (or the released) revision."""
    item = crud.ref(Item, item, "item")
    if item.make_buy != MakeBuy.MAKE:
        raise ValidationError({"item": f"{item.sku} is bought, not made: set it to Make before giving it a BOM."})
    source = crud.ref(Bom, copy_from, "copy_from") if copy_from else item.boms.filter(status=BomStatus.RELEASED).first()
    if source is not None and source.item_id != item.pk:
        raise ValidationError({"copy_from": "Copy from a revision of the same item."})
    last = Bom.objects.filter(item=item).aggregate(last=Max("revision"))["last"] or 0
    copied = {"copied_from_revision": source.revision, "lines": source.lines.count()} if source else None
    bom = crud.create(Bom, item=item, revision=last + 1, notes=notes, audit_metadata=copied)
    if source is not None:  # the copy is part of the creation: its one event says what was copied
        operations = {}
        for op in source.operations.all():
            old_pk = op.pk
            op.pk, op.bom = None, bom
            op.save(force_insert=True)
            operations[old_pk] = op
        for line in source.lines.all():
            line.pk, line.bom = None, bom
            line.operation = operations.get(line.operation_id)
            line.save(force_insert=True)
    return bom


def _engine_lines(extra: list[engine.BomLine] = (), exclude_bom: Bom | None = None) -> list[engine.BomLine]:
    """Released BOM lines of the organization (the structure other checks must respect)."""
    rows = BomLine.objects.filter(bom__status=BomStatus.RELEASED)
    if exclude_bom is not None:
        rows = rows.exclude(bom__item_id=exclude_bom.item_id)
    lines = [
        engine.BomLine(parent=p, component=c, qty_per=q)
        for p, c, q in rows.values_list("bom__item_id", "component_id", "quantity")
    ]
    return lines + list(extra)


def _check_no_cycle(bom: Bom, component: Item) -> None:
    draft = [
        engine.BomLine(parent=bom.item_id, component=c, qty_per=q)
        for c, q in bom.lines.values_list("component_id", "quantity")
    ]
    loop = engine.would_create_cycle(_engine_lines(draft, exclude_bom=bom), bom.item_id, component.pk)
    if loop:
        skus = dict(Item.objects.filter(pk__in=loop).values_list("pk", "sku"))
        raise ValidationError({"component": "This would make a loop: " + engine.format_cycle(loop, skus)})


def _check_line(bom: Bom, fields: dict[str, Any]) -> None:
    component, uom = fields.get("component"), fields.get("uom")
    if component is not None:
        if component.pk == bom.item_id:
            raise ValidationError({"component": "An item cannot be a component of itself."})
        _check_no_cycle(bom, component)
    if component is not None and uom is not None:
        units.factor(uom, component.uom, component)  # a field error when the units cannot be converted
    operation = fields.get("operation")
    if operation is not None and operation.bom_id != bom.pk:
        raise ValidationError({"operation": "Choose an operation of this revision's routing."})


@transaction.atomic
def bom_line_add(*, actor: Membership, bom: Bom | int, **fields: Any) -> BomLine:
    bom = _editable(crud.ref(Bom, bom, "bom"))
    if "operation" in fields and fields["operation"] is not None:
        fields["operation"] = crud.ref(Operation, fields["operation"], "operation")
    fields = _refs(fields)
    if fields.get("component") is not None and fields.get("uom") is None:
        fields["uom"] = fields["component"].uom
    _check_line(bom, fields)
    if fields.get("position") is None:
        fields["position"] = (bom.lines.aggregate(last=Max("position"))["last"] or 0) + 10
    return crud.create(BomLine, bom=bom, **fields)


@transaction.atomic
def bom_line_update(*, actor: Membership, obj: BomLine, **fields: Any) -> BomLine:
    bom = _editable(obj.bom)
    if fields.get("operation") is not None:
        fields["operation"] = crud.ref(Operation, fields["operation"], "operation")
    fields = _refs(fields)
    merged = {
        "component": fields.get("component", obj.component),
        "uom": fields.get("uom", obj.uom),
        "operation": fields.get("operation", obj.operation),
    }
    if "component" not in fields:
        merged.pop("component")  # unchanged component: no new loop to check
        units.factor(merged["uom"], obj.component.uom, obj.component)
    _check_line(bom, merged)
    return crud.update(obj, allowed=LINE_FIELDS, **fields)


@transaction.atomic
def bom_line_delete(*, actor: Membership, obj: BomLine) -> None:
    _editable(obj.bom)
    crud.delete(obj)


@transaction.atomic
def operation_add(*, actor: Membership, bom: Bom | int, **fields: Any) -> Operation:
    bom = _editable(crud.ref(Bom, bom, "bom"))
    fields = _refs(fields)
    if fields.get("sequence") is None:
        fields["sequence"] = (bom.operations.aggregate(last=Max("sequence"))["last"] or 0) + 10
    return crud.create(Operation, bom=bom, **fields)


@transaction.atomic
def operation_update(*, actor: Membership, obj: Operation, **fields: Any) -> Operation:
    _editable(obj.bom)
    return crud.update(obj, allowed=OPERATION_FIELDS, **_refs(fields))


@transaction.atomic
def operation_delete(*, actor: Membership, obj: Operation) -> None:
    _editable(obj.bom)
    crud.delete(obj)


@transaction.atomic
def bom_update(*, actor: Membership, obj: Bom, **fields: Any) -> Bom:
    return crud.update(_editable(obj), allowed=("notes",), **fields)


@transaction.atomic
def bom_delete(*, actor: Membership, obj: Bom) -> None:
    crud.delete(_editable(obj))


@transaction.atomic
def bom_release(*, actor: Membership, bom: Bom | int) -> Bom:
    """Draft -> released; the previously released revision becomes obsolete. The whole structure stays acyclic."""
    bom = _editable(crud.ref(Bom, bom, "bom"))
    if not bom.lines.exists():
        raise ValidationError({"bom": "A revision needs at least one line before it is released."})
    draft = [
        engine.BomLine(parent=bom.item_id, component=c, qty_per=q)
        for c, q in bom.lines.values_list("component_id", "quantity")
    ]
    try:
        engine.low_level_codes([], _engine_lines(draft, exclude_bom=bom))
    except engine.BomCycleError as exc:
        skus = dict(Item.objects.filter(pk__in=exc.cycle).values_list("pk", "sku"))
        raise ValidationError({"bom": "Releasing would make a loop: " + engine.format_cycle(exc.cycle, skus)}) from exc
    superseded = []
    for previous in Bom.objects.select_for_update(of=("self",)).filter(item=bom.item, status=BomStatus.RELEASED):
        previous.status = BomStatus.OBSOLETE
        previous.save(update_fields=["status"])
        superseded.append({"id": previous.pk, "revision": previous.revision, "status": "obsolete"})
    bom.status, bom.released_at, bom.released_by = BomStatus.RELEASED, timezone.now(), actor.user
    bom.save(update_fields=["status", "released_at", "released_by"])
    # One event for the release; the revision it replaced is named in it.
    events.record(
        action=Action.UPDATE,
        obj=bom,
        changes={"status": ["draft", "released"]},
        metadata={"superseded": superseded} if superseded else None,
    )
    return bom


@transaction.atomic
def bom_obsolete(*, actor: Membership, bom: Bom | int) -> Bom:
    bom = Bom.objects.select_for_update(of=("self",)).get(pk=crud.ref(Bom, bom, "bom").pk)
    if bom.status != BomStatus.RELEASED:
        raise ValidationError({"bom": "Only a released revision can be made obsolete."})
    bom.status = BomStatus.OBSOLETE
    bom.save(update_fields=["status"])
    events.record(action=Action.UPDATE, obj=bom, changes={"status": ["released", "obsolete"]})
    return bom
