"""The writes of production: work orders (create, plan, release, cancel, close), the floor's job cards (start, pause,
resume, report quantities, complete) and material issues. Each runs in one transaction and records its events."""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from factoryos.catalog import selectors as catalog
from factoryos.catalog import services as catalog_services
from factoryos.catalog.models import Bom, BomStatus, Item, Operation, Tracking
from factoryos.core.models import Membership
from factoryos.documents import services as documents
from factoryos.documents.models import DocumentKind, Rendered
from factoryos.facilities.models import WorkCenter
from factoryos.finance import services as finance
from factoryos.finance.models import SequenceKind
from factoryos.inventory import selectors as inventory_selectors
from factoryos.inventory import services as inventory
from factoryos.inventory.models import Location, Reservation, ReservationStatus
from factoryos.kernel import crud, events, transitions
from factoryos.kernel.errors import ConflictError, DomainError
from factoryos.kernel.events import Action
from factoryos.partners.models import Partner
from factoryos.planning.engine import bom as engine
from factoryos.production import estimates
from factoryos.production.errors import ProductionError
from factoryos.production.models import (
    CheckResult,
    Disposition,
    Downtime,
    JobCard,
    JobCheck,
    JobStatus,
    MaterialReservation,
    NcrStatus,
    NonConformance,
    PauseReason,
    Phase,
    ProductionReport,
    ScrapReason,
    Source,
    TimeLog,
    WorkOrder,
    WorkOrderMaterial,
    WorkOrderStatus,
)
from factoryos.purchasing import services as purchasing
from factoryos.sales.models import SalesOrderLine

ZERO = Decimal("0")
CENT = Decimal("0.01")
HOUR = Decimal("60")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# -- work orders -------------------------------------------------------------------------------------------------
class WorkOrderFields(TypedDict, total=False):
    item: Item | int
    quantity: Decimal
    bom: Bom | int | None
    location: Location | int
    due_date: date
    priority: int
    sales_order_line: SalesOrderLine | int | None
    lot_code: str
    notes: str


def _checked(fields: Any, current: WorkOrder | None = None) -> dict[str, Any]:
    """Ids to objects, and the rules across fields: the BOM revision is one of the item's and not obsolete; the
    location holds stock (not a virtual one)."""
    fields = crud.refs(fields, {"item": Item, "bom": Bom, "location": Location, "sales_order_line": SalesOrderLine})
    item = fields.get("item", current.item if current else None)
    bom = fields.get("bom", current.bom if current else None)
    if bom is not None and item is not None:
        if bom.item_id != item.pk:
            raise DomainError(
                f"Revision {bom.revision} is a BOM of another item.", code=ProductionError.BOM_OF_ANOTHER_ITEM,
                field="bom",
            )  # fmt: skip
        if bom.status == BomStatus.OBSOLETE:
            raise DomainError(
                f"Revision {bom.revision} is obsolete.", code=ProductionError.BOM_NOT_RELEASED, field="bom"
            )
    location = fields.get("location")
    if location is not None and location.is_virtual:
        raise DomainError(
            f"{location.code} is a virtual location: choose a warehouse, zone or bin.",
            code=ProductionError.NOT_A_STOCK_LOCATION,
            field="location",
        )
    return fields


@transaction.atomic
def work_order_create(
    *, actor: Membership, source: str = Source.MANUAL, **fields: Unpack[WorkOrderFields]
) -> WorkOrder:
    """A draft work order; from a sales order line its source says so."""
    values = _checked(fields)
    if values.get("sales_order_line") is not None and source == Source.MANUAL:
        source = Source.SALES
    values.update(number=finance.next_number(SequenceKind.WORK_ORDER), source=source, created_by=actor.user)
    return crud.create(
        WorkOrder,
        actor=actor,
        values=values,
        allowed=(*WorkOrderFields.__annotations__, "number", "source", "created_by"),
    )


@transaction.atomic
def work_order_update(*, actor: Membership, obj: WorkOrder, **changes: Unpack[WorkOrderFields]) -> WorkOrder:
    """Change a draft or planned work order (a released one makes what it was released with)."""
    order = transitions.locked(obj)
    transitions.check_editable(order)
    return crud.update(order, actor=actor, changes=_checked(changes, order), allowed=WorkOrderFields)


@transaction.atomic
def work_order_delete(*, actor: Membership, obj: WorkOrder) -> None:
    order = transitions.locked(obj)
    transitions.check_editable(order)
    crud.delete(order, actor=actor)


def work_order_plan(*, actor: Membership, obj: WorkOrder) -> WorkOrder:
    """A firm intention: MRP counts it as supply and the scheduler places it, nothing is reserved yet."""
    return transitions.transition(obj, to=WorkOrderStatus.PLANNED, actor=actor)


def _revision(order: WorkOrder) -> Bom:
    if order.bom is not None:
        if order.bom.status != BomStatus.RELEASED:
            raise DomainError(
                f"Revision {order.bom.revision} of {order.item.sku} is not released.",
                code=ProductionError.BOM_NOT_RELEASED,
                field="bom",
            )
        return order.bom
    bom = Bom.objects.filter(item=order.item, status=BomStatus.RELEASED).first()
    if bom is None:
        raise DomainError(
            f"{order.item.sku} has no released BOM revision to make it from.",
            code=ProductionError.NO_RELEASED_BOM,
            field="bom",
        )
    return bom


def _components(order: WorkOrder, bom: Bom) -> list[tuple[int, Decimal, int | None]]:
    """(component, quantity for the whole order, the routing step of the line it comes from) of the revision's
    first level, phantoms blown through (a phantom's components are used where the phantom would be)."""
    rows = engine.explode(order.item_id, order.quantity, catalog.engine_lines(bom))
    steps = {
        line.component_id: line.operation.sequence if line.operation else None
        for line in bom.lines.select_related("operation")
    }
    wanted: dict[tuple[int, int | None], Decimal] = defaultdict(Decimal)
    for row in rows:
        if row.level == 1 and not row.phantom:
            wanted[(row.component, steps.get(row.path[1]))] += row.quantity
    return [(component, quantity, step) for (component, step), quantity in wanted.items()]


@transaction.atomic
def work_order_release(*, actor: Membership, obj: WorkOrder) -> WorkOrder:
    """To the floor: the revision is copied into the order (materials and job cards), what component stock is
    available under the order's location is reserved for it (first expiry first; a shortage stays visible on the
    order), and the planned cost is fixed."""
    order = transitions.locked(obj)
    transitions.check_transition(order, WorkOrderStatus.RELEASED)
    bom = _revision(order)
    operations = list(
        bom.operations.select_related("work_center", "supplier").prefetch_related("checks").order_by("sequence")
    )
    if not operations:
        raise DomainError(
            f"Revision {bom.revision} of {order.item.sku} has no routing: add its operations first.",
            code=ProductionError.NO_ROUTING,
            field="bom",
        )
    cards = crud.create_many(
        JobCard,
        [
            JobCard(
                org=order.org,
                work_order=order,
                sequence=op.sequence,
                work_center=op.work_center,
                description=op.description,
                setup_minutes=op.setup_minutes,
                run_minutes_per_unit=op.run_minutes_per_unit,
                labour_rate=ZERO if op.supplier_id else op.work_center.labour_rate,
                machine_rate=ZERO if op.supplier_id else op.work_center.machine_rate,
                efficiency_pct=op.work_center.efficiency_pct,
                supplier_id=op.supplier_id,
                outside_price=op.outside_price,
            )
            for op in operations
        ],
        actor=actor,
    )
    card_at = {card.sequence: card for card in cards}
    crud.create_many(
        JobCheck,
        [
            JobCheck(
                org=order.org,
                job_card=card_at[op.sequence],
                name=check.name,
                kind=check.kind,
                nominal=check.nominal,
                minus=check.minus,
                plus=check.plus,
                unit=check.unit,
            )  # fmt: skip
            for op in operations
            for check in op.checks.all()
        ],
        actor=actor,
    )
    components = _components(order, bom)
    costs = inventory_selectors.unit_costs(component for component, _, _ in components)
    materials = crud.create_many(
        WorkOrderMaterial,
        [
            WorkOrderMaterial(
                org=order.org,
                work_order=order,
                item_id=component,
                quantity=quantity,
                unit_cost=costs[component],
                job_card=card_at.get(step) if step is not None else cards[0],
            )
            for component, quantity, step in components
        ],
        actor=actor,
    )
    labour = machine = outside = ZERO
    for card in cards:
        if card.outside:
            outside += card.outside_price * order.quantity
            continue
        minutes = card.planned_minutes
        labour += minutes / HOUR * card.labour_rate
        machine += minutes / HOUR * card.machine_rate
    planned = {
        "bom": bom,
        "planned_material_cost": _money(sum((m.quantity * m.unit_cost for m in materials), ZERO)),
        "planned_labour_cost": _money(labour),
        "planned_machine_cost": _money(machine),
        "planned_outside_cost": _money(outside),
    }
    order = transitions.transition(order, to=WorkOrderStatus.RELEASED, actor=actor, fields=planned)
    _reserve(actor, order, materials)
    _order_outside(actor, order, [(op, card) for op, card in zip(operations, cards, strict=True) if card.outside])
    return order


def _order_outside(actor: Membership, order: WorkOrder, outside: list[tuple[Operation, JobCard]]) -> None:
    """One draft service purchase order per supplier for the order's outside operations (a line each: the work, the
    parts, the price per unit), expected back after the supplier's lead time; each job card knows its line."""
    by_supplier: dict[Partner, list[tuple[Operation, JobCard]]] = defaultdict(list)
    for op, card in outside:
        if op.supplier is not None:
            by_supplier[op.supplier].append((op, card))
    today = timezone.localdate()
    for supplier, pairs in by_supplier.items():
        lead = max(op.outside_lead_days for op, _ in pairs)
        purchase = purchasing.purchase_order_create(
            actor=actor, partner=supplier, expected_date=today + timedelta(days=lead),
            notes=f"Outside processing for work order {order.number}.",
        )  # fmt: skip
        for op, card in pairs:
            line = purchasing.purchase_order_line_create(
                actor=actor, purchase_order=purchase, item=None, quantity=order.quantity, unit_price=op.outside_price,
                description=f"{op.description}: {order.number} op {op.sequence}, {order.quantity.normalize():f} "
                f"{order.item.uom.code} of {order.item.sku}",
                expected_date=today + timedelta(days=op.outside_lead_days),
            )  # fmt: skip
            JobCard.objects.filter(pk=card.pk).update(purchase_order_line=line)
            card.purchase_order_line = line
            events.record(action=Action.UPDATE, actor=actor, obj=card, changes={"purchase_order_line": [None, line.pk]})


def _reserve(actor: Membership, order: WorkOrder, materials: list[WorkOrderMaterial]) -> None:
    picks, of = [], []
    for material in sorted(materials, key=lambda m: m.item_id):
        for level, quantity in inventory_selectors.suggest_lots(material.item_id, order.location, material.quantity):
            picks.append((level, quantity))
            of.append(material)
    if not picks:
        return
    reservations = inventory.reserve_levels(actor=actor, picks=picks, reference=order.number)
    crud.create_many(
        MaterialReservation,
        (
            MaterialReservation(org=order.org, material=material, reservation=reservation)
            for material, reservation in zip(of, reservations, strict=True)
        ),
        actor=actor,
    )


def _release_reservations(actor: Membership, order: WorkOrder) -> None:
    held = Reservation.objects.filter(
        pk__in=MaterialReservation.objects.filter(material__work_order=order).values("reservation_id"),
        status=ReservationStatus.ACTIVE,
    )
    for reservation in held.order_by("location_id", "pk"):
        inventory.reservation_release(actor=actor, obj=reservation)


@transaction.atomic
def work_order_cancel(*, actor: Membership, obj: WorkOrder) -> WorkOrder:
    """Cancel an order nobody has started: its reservations are given back."""
    order = transitions.transition(obj, to=WorkOrderStatus.CANCELLED, actor=actor)
    _release_reservations(actor, order)
    return order


@transaction.atomic
def work_order_close(*, actor: Membership, obj: WorkOrder) -> WorkOrder:
    """Close a completed order: what its reservations still hold goes back; its costs are final."""
    order = transitions.transition(obj, to=WorkOrderStatus.CLOSED, actor=actor)
    _release_reservations(actor, order)
    return order


# -- material issues -------------------------------------------------------------------------------------------------
def _issue(actor: Membership, material: WorkOrderMaterial, quantity: Decimal, *, lot: str | None = None) -> None:
    """Issue ``quantity`` of ``material`` to the order: from its reservations first (earliest first), then from what
    is free under the order's location (first expiry first); short stock is a 409 and nothing is issued."""
    order = material.work_order
    item = material.item
    wanted = quantity
    cost = inventory_selectors.unit_costs([item.pk])[item.pk]
    links = material.reservations.filter(reservation__status=ReservationStatus.ACTIVE).select_related(
        "reservation__location", "reservation__lot"
    )
    for link in links.order_by("reservation__pk"):
        held = link.reservation
        if wanted <= 0:
            break
        if lot and (held.lot is None or held.lot.code != lot):
            continue
        take = min(held.remaining, wanted)
        if take > 0:
            inventory.stock_issue(
                actor=actor, item=item, location=held.location, quantity=take, lot=held.lot.code if held.lot else None,
                reference=order.number, reservation=held,
            )  # fmt: skip
            wanted -= take
    if wanted > 0:
        free = inventory_selectors.suggest_lots(item, order.location, wanted)
        if lot:
            free = [(level, q) for level, q in free if level.lot and level.lot.code == lot]
        if sum((q for _, q in free), ZERO) < wanted:
            raise ConflictError(
                f"Not enough {item.sku} under {order.location.code} to issue {quantity.normalize():f} "
                f"{item.uom.code}: {(quantity - wanted + sum((q for _, q in free), ZERO)).normalize():f} there.",
                code=ProductionError.MATERIAL_SHORT,
                field="quantity",
            )
        for level, take in free:
            inventory.stock_issue(
                actor=actor, item=item, location=level.location, quantity=take,
                lot=level.lot.code if level.lot else None, reference=order.number,
            )  # fmt: skip
    before = {"issued": str(material.issued), "issued_cost": str(material.issued_cost)}
    WorkOrderMaterial.objects.filter(pk=material.pk).update(
        issued=F("issued") + quantity, issued_cost=F("issued_cost") + _money(quantity * cost)
    )
    material.refresh_from_db(fields=["issued", "issued_cost"])
    changes = {name: [was, str(getattr(material, name))] for name, was in before.items()}
    events.record(action=Action.UPDATE, actor=actor, obj=material, changes=changes)


@transaction.atomic
def material_issue(
    *, actor: Membership, obj: WorkOrderMaterial, quantity: Decimal, lot: str | None = None
) -> WorkOrderMaterial:
    """Issue a component by hand (a lot chosen, or more than planned to make up for scrap)."""
    material = (
        WorkOrderMaterial.objects.select_for_update(of=("self",))
        .select_related("work_order__location", "item__uom")
        .get(pk=obj.pk)
    )
    _on_the_floor(material.work_order)
    if quantity is None or quantity <= 0:
        raise DomainError("Issue more than zero.", code=ProductionError.NOTHING_REPORTED, field="quantity")
    _issue(actor, material, Decimal(quantity), lot=lot or None)
    return material


# -- the floor -------------------------------------------------------------------------------------------------------
def _on_the_floor(order: WorkOrder) -> None:
    if order.status not in (WorkOrderStatus.RELEASED, WorkOrderStatus.STARTED):
        raise ConflictError(
            f"Work order {order.number} is {order.get_status_display().lower()}: it is not on the floor.",
            code=ProductionError.NOT_ON_THE_FLOOR,
            field="status",
        )


def _previous(card: JobCard) -> JobCard | None:
    return (
        JobCard.objects.filter(work_order_id=card.work_order_id, sequence__lt=card.sequence)
        .order_by("-sequence")
        .first()
    )


def arrived(card: JobCard) -> Decimal:
    """What has reached this operation: the order's quantity at the first, the good output of the one before after."""
    previous = _previous(card)
    return card.work_order.quantity if previous is None else previous.quantity_good


def _card(obj: JobCard) -> JobCard:
    card = transitions.locked(obj)
    card.work_order = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("item__uom", "location")
        .get(pk=card.work_order_id)
    )
    _on_the_floor(card.work_order)
    return card


def current_phase(card: JobCard) -> str:
    """What time on the card is for now: setup while a setup is planned and not finished (nobody has run it yet and
    no good part is reported: first-off pieces scrapped while setting up do not end it), run after. A card paused
    in setup resumes in setup; one paused while running, running."""
    if card.setup_minutes <= 0 or card.quantity_good > 0 or card.time_logs.filter(phase=Phase.RUN).exists():
        return Phase.RUN
    return Phase.SETUP


def _open_log(actor: Membership, card: JobCard, user: Any = None, *, phase: str | None = None) -> None:
    """Open ``user``'s (the actor's) time on the card, in the card's current phase, unless it is open already."""
    user = user or actor.user
    if not card.time_logs.filter(operator=user, ended_at__isnull=True).exists():
        values = {
            "job_card": card,
            "operator": user,
            "started_at": timezone.now(),
            "phase": phase or current_phase(card),
        }
        crud.create(TimeLog, actor=actor, values=values, allowed=values)


def _close_logs(actor: Membership, card: JobCard, reason: str, *, phase: str | None = None) -> list[TimeLog]:
    """Close the card's open time (of one phase, or all), now: each log's minutes are its own."""
    now = timezone.now()
    open_logs = card.time_logs.select_for_update(of=("self",)).filter(ended_at__isnull=True)
    if phase is not None:
        open_logs = open_logs.filter(phase=phase)
    closed = []
    for log in open_logs.select_related("operator").order_by("pk"):
        minutes = Decimal((now - log.started_at).total_seconds()) / HOUR
        changes = {"ended_at": now, "minutes": minutes.quantize(CENT, rounding=ROUND_HALF_UP), "end_reason": reason}
        closed.append(crud.update(log, actor=actor, changes=changes, allowed=changes))
    return closed


def _end_setup(actor: Membership, card: JobCard, reason: str) -> bool:
    """Setup is over: everyone's open setup time stops and their run time starts (the one way a card leaves setup,
    whether an operator says so or the first parts are reported). False when nobody was setting up."""
    closed = _close_logs(actor, card, reason, phase=Phase.SETUP)
    for log in closed:
        _open_log(actor, card, log.operator, phase=Phase.RUN)
    return bool(closed)


@transaction.atomic
def job_card_start(*, actor: Membership, obj: JobCard) -> JobCard:
    """Start (or resume, or join) an operation: the operator's time starts, as setup while the card's setup is not
    done (``current_phase``), else as run; the first start puts the order in progress. Refused while nothing has
    reached the operation."""
    card = _card(obj)
    if card.outside:
        raise ConflictError(
            f"Operation {card.sequence} is done by a supplier: send the parts to them instead.",
            code=ProductionError.OUTSIDE_OPERATION,
            field="status",
        )
    if card.status == JobStatus.DONE:
        transitions.check_transition(card, JobStatus.RUNNING)
    if arrived(card) - card.reported <= 0:
        raise ConflictError(
            f"Nothing has reached operation {card.sequence} of {card.work_order.number} yet.",
            code=ProductionError.NOTHING_ARRIVED,
            field="status",
        )
    if card.work_order.status == WorkOrderStatus.RELEASED:
        transitions.transition(card.work_order, to=WorkOrderStatus.STARTED, actor=actor)
    if card.status != JobStatus.RUNNING:
        card = transitions.transition(card, to=JobStatus.RUNNING, actor=actor, fields={"pause_reason": ""})
    _open_log(actor, card)
    return card


@transaction.atomic
def job_card_setup_done(*, actor: Membership, obj: JobCard) -> JobCard:
    """Setup is done: the time of everyone setting up the operation stops and their run time starts."""
    card = _card(obj)
    if card.status != JobStatus.RUNNING or not _end_setup(actor, card, "setup_done"):
        raise ConflictError(
            f"Nobody is setting up operation {card.sequence} of {card.work_order.number}.",
            code=ProductionError.NOT_IN_SETUP,
            field="status",
        )
    return card


@transaction.atomic
def job_card_pause(*, actor: Membership, obj: JobCard, reason: str = "") -> JobCard:
    """Stop the clock for everyone on the operation, saying why."""
    if reason not in PauseReason.values:
        raise DomainError(
            f"Say why it stops: {', '.join(PauseReason.values)}.",
            code=ProductionError.PAUSE_REASON_REQUIRED,
            field="reason",
        )
    card = _card(obj)
    transitions.check_transition(card, JobStatus.PAUSED)
    _close_logs(actor, card, reason)
    return transitions.transition(card, to=JobStatus.PAUSED, actor=actor, fields={"pause_reason": reason})


def _backflush(actor: Membership, card: JobCard, quantity: Decimal) -> None:
    """Issue the backflushed materials of ``card``'s operation for ``quantity`` units made (good or scrapped)."""
    order = card.work_order
    materials = card.materials.filter(backflush=True).select_related("item__uom", "work_order__location")
    for material in materials.select_for_update(of=("self",)).order_by("item_id"):
        share = min(material.quantity * quantity / order.quantity, material.to_issue)
        if share > 0:
            _issue(actor, material, share)


def _scrap_cost(order: WorkOrder, scrap: Decimal) -> Decimal:
    return _money(order.planned_material_cost * scrap / order.quantity) if scrap else ZERO


def _receive(actor: Membership, order: WorkOrder, good: Decimal) -> None:
    """The last operation's good output into the order's location, at its planned unit cost."""
    unit_cost = (order.planned_cost / order.quantity).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    item = order.item
    if item.tracking == Tracking.SERIAL:
        made = int(order.quantity_completed)
        for n in range(int(good)):
            inventory.stock_produce(
                actor=actor, item=item, location=order.location, quantity=Decimal(1), unit_cost=unit_cost,
                lot=f"{order.lot_code or order.number}-{made + n + 1:03d}", reference=order.number,
            )  # fmt: skip
        return
    lot = (order.lot_code or order.number) if item.tracking == Tracking.LOT else None
    inventory.stock_produce(
        actor=actor, item=item, location=order.location, quantity=good, unit_cost=unit_cost, lot=lot,
        reference=order.number,
    )  # fmt: skip


def _report(
    actor: Membership, card: JobCard, good: Decimal, scrap: Decimal, scrap_reason: str
) -> ProductionReport | None:
    good, scrap = Decimal(good or 0), Decimal(scrap or 0)
    if good < 0 or scrap < 0:
        raise DomainError("Quantities cannot be negative.", code=ProductionError.NOTHING_REPORTED, field="good")
    if good == 0 and scrap == 0:
        return None
    if scrap > 0 and scrap_reason not in ScrapReason.values:
        raise DomainError(
            f"Say why it was scrapped: {', '.join(ScrapReason.values)}.",
            code=ProductionError.SCRAP_REASON_REQUIRED,
            field="scrap_reason",
        )
    order = card.work_order
    if order.item.tracking == Tracking.SERIAL and good != good.to_integral_value():
        raise DomainError("Serial-numbered items are made whole.", code=ProductionError.OVER_REPORTED, field="good")
    open_quantity = arrived(card) - card.reported
    if good + scrap > open_quantity:
        raise DomainError(
            f"Only {open_quantity.normalize():f} {order.item.uom.code} are at operation {card.sequence} to report.",
            code=ProductionError.OVER_REPORTED,
            field="good",
        )
    values = {
        "job_card": card,
        "good": good,
        "scrap": scrap,
        "scrap_reason": scrap_reason if scrap else "",
        "scrap_cost": _scrap_cost(order, scrap),
        "operator": actor.user,
    }
    report = crud.create(ProductionReport, actor=actor, values=values, allowed=values)
    changes = {"quantity_good": card.quantity_good + good, "quantity_scrap": card.quantity_scrap + scrap}
    crud.update(card, actor=actor, changes=changes, allowed=changes)
    card.quantity_good, card.quantity_scrap = changes["quantity_good"], changes["quantity_scrap"]
    if good > 0:  # the first good part proves the setup: no card stays in setup by accident
        _end_setup(actor, card, "reported")
    _backflush(actor, card, good + scrap)
    last = not JobCard.objects.filter(work_order=order, sequence__gt=card.sequence).exists()
    made = {"quantity_scrapped": order.quantity_scrapped + scrap}
    if last and good:
        _receive(actor, order, good)
        made["quantity_completed"] = order.quantity_completed + good
    crud.update(order, actor=actor, changes=made, allowed=made)
    for name, value in made.items():
        setattr(order, name, value)
    return report


def _done(actor: Membership, card: JobCard) -> JobCard:
    """The operation is done; once every operation of its order is, so is the order."""
    card = transitions.transition(card, to=JobStatus.DONE, actor=actor)
    if not card.work_order.job_cards.exclude(status=JobStatus.DONE).exists():
        transitions.transition(card.work_order, to=WorkOrderStatus.COMPLETED, actor=actor)
    return card


@transaction.atomic
def job_card_report(
    *, actor: Membership, obj: JobCard, good: Decimal = ZERO, scrap: Decimal = ZERO, scrap_reason: str = ""
) -> JobCard:
    """Report a batch done at a running operation: the good ones can go on to the next operation now; the
    operation's materials are backflushed for good and scrap alike; the last operation's good ones go into stock."""
    card = _card(obj)
    if card.status != JobStatus.RUNNING:
        raise ConflictError(
            f"Start operation {card.sequence} before reporting on it.", code=ProductionError.NOT_ON_THE_FLOOR,
            field="status",
        )  # fmt: skip
    if _report(actor, card, good, scrap, scrap_reason) is None:
        raise DomainError("Report a good or a scrapped quantity.", code=ProductionError.NOTHING_REPORTED, field="good")
    return card


@transaction.atomic
def job_card_complete(
    *, actor: Membership, obj: JobCard, good: Decimal = ZERO, scrap: Decimal = ZERO, scrap_reason: str = ""
) -> JobCard:
    """Finish an operation (with its last batch): the clocks stop; once the last one is done, so is the order."""
    card = _card(obj)
    transitions.check_transition(card, JobStatus.DONE)
    previous = _previous(card)
    if previous is not None and previous.status != JobStatus.DONE:
        raise ConflictError(
            f"Operation {previous.sequence} is not done: pause this one until the rest arrives.",
            code=ProductionError.PREVIOUS_NOT_DONE,
            field="status",
        )
    _close_logs(actor, card, "done")  # first: a last batch that ends setup opens no run time to close at once
    _report(actor, card, good, scrap, scrap_reason)
    return _done(actor, card)


# -- outside processing ----------------------------------------------------------------------------------------------
def _outside(obj: JobCard) -> JobCard:
    card = _card(obj)
    if not card.outside:
        raise ConflictError(
            f"Operation {card.sequence} is done here, not by a supplier.",
            code=ProductionError.NOT_OUTSIDE,
            field="status",
        )
    return card


@transaction.atomic
def job_card_send(*, actor: Membership, obj: JobCard) -> JobCard:
    """The parts that have reached an outside operation go to its supplier: the operation is at the supplier until
    they come back (through ``job_card_receive``)."""
    card = _outside(obj)
    waiting = arrived(card) - card.quantity_sent
    if waiting <= 0:
        raise ConflictError(
            f"Nothing has reached operation {card.sequence} of {card.work_order.number} to send yet.",
            code=ProductionError.NOTHING_ARRIVED,
            field="status",
        )
    if card.work_order.status == WorkOrderStatus.RELEASED:
        transitions.transition(card.work_order, to=WorkOrderStatus.STARTED, actor=actor)
    sent = {"quantity_sent": card.quantity_sent + waiting}
    if card.status == JobStatus.PENDING:
        return transitions.transition(card, to=JobStatus.AT_SUPPLIER, actor=actor, fields=sent)
    return crud.update(card, actor=actor, changes=sent, allowed=sent)


@transaction.atomic
def job_card_receive(
    *, actor: Membership, obj: JobCard, good: Decimal = ZERO, scrap: Decimal = ZERO, scrap_reason: str = ""
) -> JobCard:
    """Parts back from the supplier: reported good and scrap as at any operation (the next operation can work on
    the good ones; the last one puts them into stock), counted received on the service purchase order line, whose
    price is the operation's actual cost. Everything sent back and the operation before done: it is done."""
    card = _outside(obj)
    if card.status != JobStatus.AT_SUPPLIER:
        raise ConflictError(
            f"Nothing of operation {card.sequence} is at the supplier.", code=ProductionError.NOTHING_ARRIVED,
            field="status",
        )  # fmt: skip
    back = Decimal(good or 0) + Decimal(scrap or 0)
    if back > card.quantity_sent - card.reported:
        raise DomainError(
            f"Only {(card.quantity_sent - card.reported).normalize():f} are at the supplier.",
            code=ProductionError.OVER_REPORTED,
            field="good",
        )
    if _report(actor, card, good, scrap, scrap_reason) is None:
        raise DomainError("Say how many came back.", code=ProductionError.NOTHING_REPORTED, field="good")
    if card.purchase_order_line is not None:
        purchasing.service_line_receive(actor=actor, obj=card.purchase_order_line, quantity=back)
    previous = _previous(card)
    if card.reported >= arrived(card) and (previous is None or previous.status == JobStatus.DONE):
        card = _done(actor, card)
    return card


# -- inspection ------------------------------------------------------------------------------------------------------
class NcrFields(TypedDict, total=False):
    description: str
    quantity: Decimal
    disposition: str
    root_cause: str


@transaction.atomic
def check_record(
    *, actor: Membership, obj: JobCheck, value: Decimal | None = None, passed: bool | None = None, note: str = ""
) -> CheckResult:
    """An operator's result of an in-process check: a measurement is judged against its tolerance, a pass/fail is as
    said. A failure opens a non-conformance report on the work order (one part, to be disposed of)."""
    check = JobCheck.objects.select_related("job_card__work_order").get(pk=obj.pk)
    _on_the_floor(check.job_card.work_order)
    if check.measured:
        if value is None:
            raise DomainError(
                f"Measure {check.name} and give the value.", code=ProductionError.VALUE_REQUIRED, field="value"
            )
        passed = check.accepts(Decimal(value))
    elif passed is None:
        raise DomainError(f"Say whether {check.name} passed.", code=ProductionError.VALUE_REQUIRED, field="passed")
    values = {"job_check": check, "value": value, "passed": bool(passed), "note": note, "operator": actor.user}
    result = crud.create(CheckResult, actor=actor, values=values, allowed=values)
    if not result.passed:
        found = f"{value.normalize():f} {check.unit}".strip() if value is not None else "failed"
        limits = (
            f" (allowed {(check.nominal - check.minus).normalize():f} to {(check.nominal + check.plus).normalize():f})"
            if check.measured and check.nominal is not None
            else ""
        )
        ncr = {
            "work_order": check.job_card.work_order,
            "job_card": check.job_card,
            "result": result,
            "description": f"{check.name}: {found}{limits}"[:300],
            "created_by": actor.user,
        }
        crud.create(NonConformance, actor=actor, values=ncr, allowed=ncr)
    return result


@transaction.atomic
def non_conformance_update(*, actor: Membership, obj: NonConformance, **changes: Unpack[NcrFields]) -> NonConformance:
    ncr = transitions.locked(obj)
    transitions.check_editable(ncr)
    return crud.update(ncr, actor=actor, changes=changes, allowed=NcrFields)


@transaction.atomic
def non_conformance_close(*, actor: Membership, obj: NonConformance) -> NonConformance:
    """Decide: the disposition and the root cause are required; a scrap costs the parts' planned cost, posted to the
    work order (its cost report shows it)."""
    ncr = transitions.locked(obj)
    for name, label in (("disposition", "what happens to the parts"), ("root_cause", "the root cause")):
        if not getattr(ncr, name):
            raise DomainError(f"Choose {label} first.", code=ProductionError.DISPOSITION_REQUIRED, field=name)
    order = ncr.work_order
    cost = _money(order.planned_cost / order.quantity * ncr.quantity) if ncr.disposition == Disposition.SCRAP else ZERO
    return transitions.transition(ncr, to=NcrStatus.CLOSED, actor=actor, fields={"cost": cost})


# -- the job traveler ------------------------------------------------------------------------------------------------
def _qr(url: str) -> str:
    """A QR code of ``url`` as a PNG data URI (a PDF embeds data only: documents.render)."""
    import qrcode  # the MFA setup's QR library (django-allauth[mfa]), imported where it is used

    image = qrcode.make(url, box_size=4, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def traveler_context(order: WorkOrder, base_url: str) -> dict[str, Any]:
    cards = list(order.job_cards.select_related("work_center", "supplier").prefetch_related("checks"))
    operations = []
    for card in cards:
        url = base_url.rstrip("/") + reverse("production:job", args=[card.pk])
        operations.append({"card": card, "url": url, "qr": _qr(url), "checks": list(card.checks.all())})
    materials = list(order.materials.select_related("item__uom", "job_card").order_by("job_card__sequence", "pk"))
    return {
        "document": {
            "title": "Job traveler",
            "number": order.number,
            "dates": [("Due", order.due_date), ("Released", order.released_at)],
            "reference": f"{order.quantity.normalize():f} {order.item.uom.code} of {order.item.sku} {order.item.name}",
        },
        "order": order,
        "operations": operations,
        "materials": materials,
        "lines": [],
        "notes": order.notes,
    }


def work_order_traveler(*, actor: Membership, obj: WorkOrder, base_url: str) -> Rendered:
    """Print the released order's traveler: what to make, the materials, and each operation with its checks and a
    QR code that opens it on the shop floor tablet; kept with the work order."""
    if obj.status not in (WorkOrderStatus.RELEASED, WorkOrderStatus.STARTED, WorkOrderStatus.COMPLETED):
        raise ConflictError(
            f"Work order {obj.number} is {obj.get_status_display().lower()}: release it to print its traveler.",
            code=ProductionError.NOT_ON_THE_FLOOR,
            field="status",
        )
    return documents.render_and_store(
        actor=actor,
        record=obj,
        kind=DocumentKind.TRAVELER,
        number=obj.number,
        template="production/pdf/traveler.html",
        context=traveler_context(obj, base_url),
        view_permission="production.view",
    )


# -- downtime --------------------------------------------------------------------------------------------------------
class DowntimeFields(TypedDict, total=False):
    work_center: WorkCenter | int
    reason: str
    starts_at: datetime
    ends_at: datetime | None
    note: str


def downtime_create(*, actor: Membership, **fields: Unpack[DowntimeFields]) -> Downtime:
    values = {**crud.refs(fields, {"work_center": WorkCenter}), "created_by": actor.user}
    return crud.create(Downtime, actor=actor, values=values, allowed=(*DowntimeFields.__annotations__, "created_by"))


def downtime_update(*, actor: Membership, obj: Downtime, **changes: Unpack[DowntimeFields]) -> Downtime:
    return crud.update(
        obj, actor=actor, changes=crud.refs(changes, {"work_center": WorkCenter}), allowed=DowntimeFields
    )


def downtime_delete(*, actor: Membership, obj: Downtime) -> None:
    crud.delete(obj, actor=actor)


# -- estimates that learn --------------------------------------------------------------------------------------------
@transaction.atomic
def time_suggestion_accept(
    *,
    actor: Membership,
    obj: Operation,
    setup_minutes: Decimal | None = None,
    run_minutes_per_unit: Decimal | None = None,
) -> Operation:
    """Accept what an operation's last runs suggest (production.estimates): the suggested standard times become the
    operation's, recorded with the runs and the median they rest on (decision 0014). Given the values the engineer
    saw, a suggestion that has changed since (another run completed) is refused (409) rather than applied unseen."""
    operation = (
        Operation.objects.select_for_update(of=("self",)).select_related("bom__item", "work_center").get(pk=obj.pk)
    )
    suggestion = estimates.suggestions([operation]).get(operation.pk)
    if suggestion is None or not suggestion.worth_it:
        raise ConflictError(
            f"The floor's last runs suggest no new times for operation {operation.sequence} of "
            f"{operation.bom.item.sku} rev {operation.bom.revision}.",
            code=ProductionError.NO_TIME_SUGGESTION,
            field="operation",
        )
    changes = suggestion.changes()
    seen = {
        name: value
        for name, value in (("setup_minutes", setup_minutes), ("run_minutes_per_unit", run_minutes_per_unit))
        if value is not None
    }
    if seen and seen != changes:
        raise ConflictError(
            "The suggestion has changed since it was shown (another run was completed): look at it again.",
            code=ProductionError.TIME_SUGGESTION_CHANGED,
            field="operation",
        )
    return catalog_services.operation_times_update(
        actor=actor, obj=operation, metadata=suggestion.metadata(), **changes
    )
