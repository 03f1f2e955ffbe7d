from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from factoryos.inventory.models import (
    AdjustmentReason,
    CountLine,
    CountSheet,
    CountStatus,
    Location,
    LocationKind,
    Lot,
    MoveReason,
    Reservation,
    ReservationStatus,
    StockMove,
)
from factoryos.kernel.limits import of
from factoryos.kernel.schemas import bodies

# The stock operations' bodies are not a model's fields, but their values end up in the ledger and its lots:
# their limits are those columns' (kernel/limits.py).
Quantity = Annotated[Decimal, Field(**of(StockMove, "quantity").pydantic())]
SignedQuantity = Annotated[Decimal, Field(max_digits=18, decimal_places=6)]
UnitCost = Annotated[Decimal, Field(**of(StockMove, "unit_cost").pydantic())]
Reference = Annotated[str, Field(**of(StockMove, "reference").pydantic())]
Note = Annotated[str, Field(**of(StockMove, "note").pydantic())]
LotCode = Annotated[str, Field(**of(Lot, "code").pydantic())]
SupplierRef = Annotated[str, Field(**of(Lot, "supplier_ref").pydantic())]


class LocationOut(Schema):
    id: int
    code: str
    name: str
    kind: LocationKind
    site_id: int | None
    parent_id: int | None
    active: bool


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
    quantity: Quantity
    uom: int | None = None
    lot: LotCode | None = None
    unit_cost: UnitCost | None = None
    reference: Reference = ""
    expires_on: date | None = None
    supplier_ref: SupplierRef = ""


class TransferIn(Schema):
    item: int
    from_location: int
    to_location: int
    quantity: Quantity
    uom: int | None = None
    lot: LotCode | None = None
    reference: Reference = ""
    note: Note = ""


class AdjustmentIn(Schema):
    item: int
    location: int
    quantity: SignedQuantity = Field(description="Positive adds, negative removes")
    reason: AdjustmentReason
    uom: int | None = None
    lot: LotCode | None = None
    unit_cost: UnitCost | None = None
    note: Note = ""


class IssueIn(Schema):
    item: int
    location: int
    quantity: Quantity
    uom: int | None = None
    lot: LotCode | None = None
    reference: Reference = ""
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


class CountSheetOut(Schema):
    id: int
    location_id: int
    status: CountStatus
    created_at: datetime
    posted_at: datetime | None


class CountLineOut(Schema):
    id: int
    sheet_id: int
    item_id: int
    lot_id: int | None
    expected: Decimal
    counted: Decimal | None
    variance: Decimal | None


class CountLineIn(Schema):
    item: int
    counted: Annotated[Decimal, Field(**of(CountLine, "counted").pydantic())]
    lot: LotCode | None = None


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


LocationIn, LocationPatch = bodies(
    Location, ("code", "name", "kind", "site", "parent", "active"), patch=("code", "name", "site", "parent", "active")
)
ReservationIn, _ = bodies(
    Reservation,
    ("item", "location", "quantity", "reference"),
    extra={"lot": (LotCode | None, Field(None, description="The lot or serial, for a tracked item"))},
)
CountSheetIn, _ = bodies(CountSheet, ("location",))
_, CountLinePatch = bodies(CountLine, ("counted",))
