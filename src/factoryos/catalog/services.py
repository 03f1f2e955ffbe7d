"""Writes to units, items, BOM revisions (lines, operations) and their release."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.db.models import Max

from factoryos.catalog import units
from factoryos.catalog.errors import CatalogError
from factoryos.catalog.models import (
    Bom,
    BomLine,
    BomStatus,
    Category,
    Item,
    MakeBuy,
    Operation,
    OperationCheck,
    Tag,
    UnitOfMeasure,
    UomConversion,
)
from factoryos.core.models import Membership
from factoryos.facilities.models import WorkCenter
from factoryos.kernel import crud, events, transitions
from factoryos.kernel.errors import CommonError, ConflictError, DomainError
from factoryos.kernel.events import Action
from factoryos.partners.errors import PartnerError
from factoryos.partners.models import Partner
from factoryos.partners.services import in_role
from factoryos.planning.engine import bom as engine


class UnitFields(TypedDict, total=False):
    code: str
    name: str
    kind: str


class ConversionFields(TypedDict, total=False):
    from_uom: UnitOfMeasure | int
    to_uom: UnitOfMeasure | int
    factor: Decimal
    item: Item | int | None


class CategoryFields(TypedDict, total=False):
    name: str
    parent: Category | int | None


class TagFields(TypedDict, total=False):
    name: str


class ItemFields(TypedDict, total=False):
    sku: str
    name: str
    description: str
    item_type: str
    uom: UnitOfMeasure | int
    make_buy: str
    standard_cost: Decimal
    lead_time_days: int
    safety_stock: Decimal
    reorder_point: Decimal
    reorder_qty: Decimal
    min_order_qty: Decimal
    order_multiple: Decimal
    lot_rule: str
    poq_days: int
    weight_kg: Decimal | None
    material: str
    tracking: str
    category: Category | int | None
    attributes: dict[str, Any]
    active: bool


class BomFields(TypedDict, total=False):
    notes: str


class BomLineFields(TypedDict, total=False):
    component: Item | int
    quantity: Decimal
    uom: UnitOfMeasure | int | None
    scrap_pct: Decimal
    phantom: bool
    reference: str
    operation: Operation | int | None
    position: int | None


class OperationFields(TypedDict, total=False):
    sequence: int | None
    work_center: WorkCenter | int
    description: str
    setup_minutes: Decimal
    run_minutes_per_unit: Decimal
    move_minutes: Decimal
    queue_minutes: Decimal
    supplier: Partner | int | None
    outside_price: Decimal
    outside_lead_days: int


class StandardTimes(TypedDict, total=False):
    setup_minutes: Decimal
    run_minutes_per_unit: Decimal


class CheckFields(TypedDict, total=False):
    name: str
    kind: str
    nominal: Decimal | None
    minus: Decimal
    plus: Decimal
    unit: str


LINE_FIELDS = crud.field_names(BomLineFields)
OPERATION_FIELDS = crud.field_names(OperationFields)
_REFS = {
    "uom": UnitOfMeasure,
    "category": Category,
    "component": Item,
    "work_center": WorkCenter,
    "from_uom": UnitOfMeasure,
    "to_uom": UnitOfMeasure,
    "item": Item,
    "parent": Category,
    "operation": Operation,
}


def _refs(fields: Any) -> dict[str, Any]:
    values = crud.refs(fields, _REFS)
    if values.get("supplier") is not None:  # an operation done outside
        values["supplier"] = in_role(
            values["supplier"], "supplier", code=PartnerError.NOT_A_SUPPLIER, advice="tick Supplier on it first.",
            field="supplier",
        )  # fmt: skip
    return values


# -- units, categories, tags -----------------------------------------------------------------------------------
def uom_create(*, actor: Membership, **fields: Unpack[UnitFields]) -> UnitOfMeasure:
    return crud.create(UnitOfMeasure, actor=actor, values=fields, allowed=UnitFields)


def uom_update(*, actor: Membership, obj: UnitOfMeasure, **changes: Unpack[UnitFields]) -> UnitOfMeasure:
    return crud.update(obj, actor=actor, changes=changes, allowed=UnitFields)


def uom_delete(*, actor: Membership, obj: UnitOfMeasure) -> None:
    crud.delete(obj, actor=actor)


def conversion_create(*, actor: Membership, **fields: Unpack[ConversionFields]) -> UomConversion:
    return crud.create(UomConversion, actor=actor, values=_refs(fields), allowed=ConversionFields)


def conversion_update(*, actor: Membership, obj: UomConversion, **changes: Unpack[ConversionFields]) -> UomConversion:
    return crud.update(obj, actor=actor, changes=changes, allowed=("factor",))


def simple_delete(*, actor: Membership, obj: UomConversion | Category | Tag) -> None:
    crud.delete(obj, actor=actor)


def category_create(*, actor: Membership, **fields: Unpack[CategoryFields]) -> Category:
    return crud.create(Category, actor=actor, values=_refs(fields), allowed=CategoryFields)


def category_update(*, actor: Membership, obj: Category, **changes: Unpack[CategoryFields]) -> Category:
    values = _refs(changes)
    message = "A category cannot be placed under itself or its own sub-category."
    crud.check_not_below_itself(obj, values.get("parent"), message, CatalogError.CATEGORY_LOOP)
    return crud.update(obj, actor=actor, changes=values, allowed=CategoryFields)


def tag_create(*, actor: Membership, **fields: Unpack[TagFields]) -> Tag:
    return crud.create(Tag, actor=actor, values=fields, allowed=TagFields)


# -- items -------------------------------------------------------------------------------------------------------
MADE_TYPES = frozenset({"manufactured", "subassembly", "finished"})


@transaction.atomic
def item_create(*, actor: Membership, tags: list[int] | None = None, **fields: Unpack[ItemFields]) -> Item:
    """An item; make or buy defaults from its type (made: manufactured parts, sub-assemblies, finished goods)."""
    values = _refs(fields)
    values.setdefault("make_buy", MakeBuy.MAKE if values.get("item_type") in MADE_TYPES else MakeBuy.BUY)
    item = crud.create(Item, actor=actor, values=values, allowed=ItemFields)
    if tags:
        _set_tags(actor, item, tags)
    return item


@transaction.atomic
def item_update(*, actor: Membership, obj: Item, tags: list[int] | None = None, **changes: Unpack[ItemFields]) -> Item:
    item = crud.update(obj, actor=actor, changes=_refs(changes), allowed=ItemFields)
    if tags is not None:
        _set_tags(actor, item, tags)
    return item


def _set_tags(actor: Membership, item: Item, tag_ids: list[int]) -> None:
    found = list(Tag.objects.filter(pk__in=tag_ids))
    missing = sorted(set(tag_ids) - {t.pk for t in found})
    if missing:
        raise DomainError(
            f"No tag with id {', '.join(map(str, missing))}.", code=CommonError.UNKNOWN_REFERENCE, field="tags"
        )
    before = sorted(item.tags.values_list("name", flat=True))
    item.tags.set(found)
    after = sorted(t.name for t in found)
    if before != after:
        events.record(action=Action.UPDATE, actor=actor, obj=item, changes={"tags": [before, after]})


def item_delete(*, actor: Membership, obj: Item) -> None:
    crud.delete(obj, actor=actor)


# -- BOM revisions ------------------------------------------------------------------------------------------------
def _editable(bom: Bom) -> Bom:
    """The revision, locked for this change, if its state lets it change (a draft); else a 409 saying how."""
    bom = transitions.locked(bom)
    transitions.check_editable(bom)
    return bom


@transaction.atomic
def bom_create(*, actor: Membership, item: Item | int, copy_from: Bom | int | None = None, notes: str = "") -> Bom:
    """A new draft revision of the item's BOM and routing; copies the given (or the released) revision."""
    item = crud.ref(Item, item, "item")
    if item.make_buy != MakeBuy.MAKE:
        raise DomainError(
            f"{item.sku} is bought, not made: set it to Make before giving it a BOM.",
            code=CatalogError.BOUGHT_ITEM,
            field="item",
        )
    source = crud.ref(Bom, copy_from, "copy_from") if copy_from else item.boms.filter(status=BomStatus.RELEASED).first()
    if source is not None and source.item_id != item.pk:
        raise DomainError(
            "Copy from a revision of the same item.", code=CatalogError.COPY_FROM_OTHER_ITEM, field="copy_from"
        )
    last = Bom.objects.filter(item=item).aggregate(last=Max("revision"))["last"] or 0
    copied = {"copied_from_revision": source.revision, "lines": source.lines.count()} if source else None
    bom = crud.create(
        Bom,
        actor=actor,
        values={"item": item, "revision": last + 1, "notes": notes},
        allowed=("item", "revision", "notes"),
        metadata=copied,
    )
    if source is not None:  # the copy is part of the creation: its one event says what was copied
        operations = {}
        for op in source.operations.prefetch_related("checks"):
            old_pk, checks = op.pk, list(op.checks.all())
            op.pk, op.bom = None, bom
            op.save(force_insert=True)
            operations[old_pk] = op
            for check in checks:
                check.pk, check.operation = None, op
                check.save(force_insert=True)
        for line in source.lines.all():
            line.pk, line.bom = None, bom
            line.operation = operations.get(line.operation_id) if line.operation_id else None
            line.save(force_insert=True)
    return bom


def _engine_lines(extra: Iterable[engine.BomLine] = (), exclude_bom: Bom | None = None) -> list[engine.BomLine]:
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
        raise DomainError(
            "This would make a loop: " + engine.format_cycle(loop, skus), code=CatalogError.BOM_LOOP, field="component"
        )


def _check_line(bom: Bom, fields: dict[str, Any]) -> None:
    component, uom = fields.get("component"), fields.get("uom")
    if component is not None:
        if component.pk == bom.item_id:
            raise DomainError(
                "An item cannot be a component of itself.", code=CatalogError.SELF_COMPONENT, field="component"
            )
        _check_no_cycle(bom, component)
    if component is not None and uom is not None:
        units.factor(uom, component.uom, component)  # a field error when the units cannot be converted
    operation = fields.get("operation")
    if operation is not None and operation.bom_id != bom.pk:
        raise DomainError(
            "Choose an operation of this revision's routing.",
            code=CatalogError.OPERATION_OF_OTHER_REVISION,
            field="operation",
        )


@transaction.atomic
def bom_line_add(*, actor: Membership, bom: Bom | int, **fields: Unpack[BomLineFields]) -> BomLine:
    bom = _editable(crud.ref(Bom, bom, "bom"))
    values = _refs(fields)
    if values.get("component") is not None and values.get("uom") is None:
        values["uom"] = values["component"].uom
    _check_line(bom, values)
    if values.get("position") is None:
        values["position"] = (bom.lines.aggregate(last=Max("position"))["last"] or 0) + 10
    return crud.create(BomLine, actor=actor, values={**values, "bom": bom}, allowed=(*LINE_FIELDS, "bom"))


@transaction.atomic
def bom_line_update(*, actor: Membership, obj: BomLine, **changes: Unpack[BomLineFields]) -> BomLine:
    bom = _editable(obj.bom)
    values = _refs(changes)
    merged = {
        "component": values.get("component", obj.component),
        "uom": values.get("uom", obj.uom),
        "operation": values.get("operation", obj.operation),
    }
    if "component" not in values:
        merged.pop("component")  # unchanged component: no new loop to check
        units.factor(merged["uom"], obj.component.uom, obj.component)
    _check_line(bom, merged)
    return crud.update(obj, actor=actor, changes=values, allowed=LINE_FIELDS)


@transaction.atomic
def bom_line_delete(*, actor: Membership, obj: BomLine) -> None:
    _editable(obj.bom)
    crud.delete(obj, actor=actor)


@transaction.atomic
def operation_add(*, actor: Membership, bom: Bom | int, **fields: Unpack[OperationFields]) -> Operation:
    bom = _editable(crud.ref(Bom, bom, "bom"))
    values = _refs(fields)
    if values.get("sequence") is None:
        values["sequence"] = (bom.operations.aggregate(last=Max("sequence"))["last"] or 0) + 10
    return crud.create(Operation, actor=actor, values={**values, "bom": bom}, allowed=(*OPERATION_FIELDS, "bom"))


@transaction.atomic
def operation_update(*, actor: Membership, obj: Operation, **changes: Unpack[OperationFields]) -> Operation:
    _editable(obj.bom)
    return crud.update(obj, actor=actor, changes=_refs(changes), allowed=OPERATION_FIELDS)


@transaction.atomic
def operation_times_update(
    *, actor: Membership, obj: Operation, metadata: dict[str, Any] | None = None, **changes: Unpack[StandardTimes]
) -> Operation:
    """Change an operation's standard setup and run times, on a draft or on the released revision: the one change a
    released revision takes (decision 0014). A work order copies the times at release, so nothing on the floor
    moves; costing, planning and the next release use the new ones. An obsolete revision is history (409).
    ``metadata`` says where the times came from (a suggestion learned from the floor)."""
    bom = transitions.locked(obj.bom)
    if bom.status == BomStatus.OBSOLETE:
        raise ConflictError(
            f"Revision {bom.revision} of {bom.item.sku} is obsolete: it is kept as history of what was built.",
            code=CommonError.LOCKED,
            field="bom",
        )
    return crud.update(obj, actor=actor, changes=changes, allowed=StandardTimes, metadata=metadata)


@transaction.atomic
def operation_delete(*, actor: Membership, obj: Operation) -> None:
    _editable(obj.bom)
    crud.delete(obj, actor=actor)


@transaction.atomic
def operation_check_add(
    *, actor: Membership, operation: Operation | int, **fields: Unpack[CheckFields]
) -> OperationCheck:
    """An in-process check of an operation (on a draft revision: released ones are fixed)."""
    operation = crud.ref(Operation, operation, "operation")
    _editable(operation.bom)
    values = {**fields, "operation": operation}
    return crud.create(OperationCheck, actor=actor, values=values, allowed=(*CheckFields.__annotations__, "operation"))


@transaction.atomic
def operation_check_delete(*, actor: Membership, obj: OperationCheck) -> None:
    _editable(obj.operation.bom)
    crud.delete(obj, actor=actor)


@transaction.atomic
def bom_update(*, actor: Membership, obj: Bom, **changes: Unpack[BomFields]) -> Bom:
    return crud.update(_editable(obj), actor=actor, changes=changes, allowed=BomFields)


@transaction.atomic
def bom_delete(*, actor: Membership, obj: Bom) -> None:
    crud.delete(_editable(obj), actor=actor)


@transaction.atomic
def bom_release(*, actor: Membership, obj: Bom | int) -> Bom:
    """Draft -> released; the previously released revision becomes obsolete. The whole structure stays acyclic."""
    bom = _editable(crud.ref(Bom, obj, "bom"))
    if not bom.lines.exists():
        raise DomainError(
            "A revision needs at least one line before it is released.", code=CatalogError.EMPTY_BOM, field="bom"
        )
    draft = [
        engine.BomLine(parent=bom.item_id, component=c, qty_per=q)
        for c, q in bom.lines.values_list("component_id", "quantity")
    ]
    try:
        engine.low_level_codes([], _engine_lines(draft, exclude_bom=bom))
    except engine.BomCycleError as exc:
        skus = dict(Item.objects.filter(pk__in=exc.cycle).values_list("pk", "sku"))
        raise DomainError(
            "Releasing would make a loop: " + engine.format_cycle(exc.cycle, skus),
            code=CatalogError.BOM_LOOP,
            field="bom",
        ) from exc
    # One released revision per item (a partial unique index): the one it replaces goes obsolete first.
    superseded = [
        transitions.transition(previous, to=BomStatus.OBSOLETE, actor=actor, metadata={"superseded_by": bom.revision})
        for previous in Bom.objects.filter(item=bom.item, status=BomStatus.RELEASED)
    ]
    metadata = {"superseded": [{"id": b.pk, "revision": b.revision} for b in superseded]} if superseded else None
    return transitions.transition(bom, to=BomStatus.RELEASED, actor=actor, metadata=metadata)


def bom_obsolete(*, actor: Membership, obj: Bom | int) -> Bom:
    """Released -> obsolete: no revision of the item is current any more."""
    return transitions.transition(crud.ref(Bom, obj, "bom"), to=BomStatus.OBSOLETE, actor=actor)
