from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from factoryos.inventory.models import AdjustmentReason, CountStatus, LocationKind, MoveReason, ReservationStatus

Qty = {"max_digits": 18, "decimal_places": 6}


class LocationOut(Schema):
    id: int
    code: str
    name: str
    kind: LocationKind
    site_id: int | None
    parent_id: int | None
    active: bool


class LocationIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=120)
    kind: LocationKind
    site: int | None = None
    parent: int | None = None
    active: bool = True


class LocationPatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=120)
    site: int | None = None
    parent: int | None = None
    active: bool | None = None


class LotOut(Schema):
    id: int
    item_id: int
    code: str
    is_serial: bool
    expires_on: date | None
    supplier_ref: str


class LevelOut(Schema):
    id: int
    item_id: int
    location_id: int
    lot_id: int | None
    on_hand: Decimal
    reserved: Decimal
    available: Decimal


class MoveOut(Schema):
    id: int
    item_id: int
    quantity: Decimal
    entered_quantity: Decimal
    entered_uom_id: int
    from_location_id: int
    to_location_id: int
    lot_id: int | None
    produced_lot_id: int | None
    reason: MoveReason
    adjustment_reason: str
    unit_cost: Decimal | None
    reference: str
    note: str
    actor_id: int | None
    created_at: datetime


class ReceiptIn(Schema):
    item: int
    location: int
    quantity: Decimal = Field(gt=0, **Qty)
    uom: int | None = None
    lot: str | None = Field(None, max_length=60)
    unit_cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=4)
    reference: str = Field("", max_length=80)
    expires_on: date | None = None
    supplier_ref: str = Field("", max_length=80)


class TransferIn(Schema):
    item: int
    from_location: int
    to_location: int
    quantity: Decimal = Field(gt=0, **Qty)
    uom: int | None = None
    lot: str | None = Field(None, max_length=60)
    reference: str = Field("", max_length=80)
    note: str = Field("", max_length=200)


class AdjustmentIn(Schema):
    item: int
    location: int
    quantity: Decimal = Field(description="Positive adds, negative removes", max_digits=18, decimal_places=6)
    reason: AdjustmentReason
    uom: int | None = None
    lot: str | None = Field(None, max_length=60)
    unit_cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=4)
    note: str = Field("", max_length=200)


class IssueIn(Schema):
    item: int
    location: int
    quantity: Decimal = Field(gt=0, **Qty)
    uom: int | None = None
    lot: str | None = Field(None, max_length=60)
    reference: str = Field("", max_length=80)
    produced_lot: int | None = None
    reservation: int | None = None


class ReservationOut(Schema):
    id: int
    item_id: int
    location_id: int
    lot_id: int | None
    quantity: Decimal = Field(description="Reserved")
    consumed: Decimal = Field(description="Issued against the reservation so far")
    remaining: Decimal = Field(description="Still held (zero once released or consumed)")
    reference: str
    status: ReservationStatus
    created_at: datetime


class ReservationIn(Schema):
    item: int
    location: int
    quantity: Decimal = Field(gt=0, **Qty)
    reference: str = Field(min_length=1, max_length=80)
    lot: str | None = Field(None, max_length=60)


class CountSheetOut(Schema):
    id: int
    location_id: int
    status: CountStatus
    created_at: datetime
    posted_at: datetime | None


class CountSheetIn(Schema):
    location: int


class CountLineOut(Schema):
    id: int
    sheet_id: int
    item_id: int
    lot_id: int | None
    expected: Decimal
    counted: Decimal | None
    variance: Decimal | None


class CountLinePatch(Schema):
    counted: Decimal = Field(ge=0, **Qty)


class CountLineIn(Schema):
    item: int
    counted: Decimal = Field(ge=0, **Qty)
    lot: str | None = Field(None, max_length=60)


class ValueRow(Schema):
    location: str | None = None
    category: str | None = None
    value: Decimal


class ValuationOut(Schema):
    total: Decimal
    by_location: list[ValueRow]
    by_category: list[ValueRow]


class ReorderRow(Schema):
    item_id: int
    sku: str
    name: str
    uom: str
    available: Decimal
    reorder_point: Decimal
    suggested: Decimal


class TraceMove(Schema):
    id: int
    created_at: datetime
    reason: MoveReason
    quantity: Decimal
    from_location: str
    to_location: str
    reference: str


class TraceComponent(Schema):
    item_id: int
    sku: str
    lot: str | None
    quantity: Decimal


class TraceOut(Schema):
    lot_id: int
    item_id: int
    code: str
    moves: list[TraceMove]
    components: list[TraceComponent]
    used_in: list[TraceComponent]
