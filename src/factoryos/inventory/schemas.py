from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from factoryos.inventory import services as f  # the fields each service takes
from factoryos.inventory.models import (
    AdjustmentReason,
    CountLine,
    CountSheet,
    Location,
    Lot,
    MoveReason,
    Reservation,
    ReservationStatus,
    StockLevel,
    StockMove,
)
from factoryos.kernel.limits import of
from factoryos.kernel.schemas import bodies, reply

# The stock operations' bodies are not a model's fields, but their values end up in the ledger and its lots:
# their limits are those columns' (kernel/limits.py).
Quantity = Annotated[Decimal, Field(**of(StockMove, "quantity").pydantic())]
SignedQuantity = Annotated[Decimal, Field(max_digits=18, decimal_places=6)]
UnitCost = Annotated[Decimal, Field(**of(StockMove, "unit_cost").pydantic())]
Reference = Annotated[str, Field(**of(StockMove, "reference").pydantic())]
Note = Annotated[str, Field(**of(StockMove, "note").pydantic())]
LotCode = Annotated[str, Field(**of(Lot, "code").pydantic())]
SupplierRef = Annotated[str, Field(**of(Lot, "supplier_ref").pydantic())]


LocationOut = reply(Location, f.LocationFields)
LotOut = reply(Lot, "item", "code", "is_serial", "expires_on", "supplier_ref")
LevelOut = reply(
    StockLevel, "item", "location", "lot", "on_hand", "reserved", extra={"available": Decimal}, name="Level"
)
MoveOut = reply(
    StockMove,
    ("item", "quantity", "entered_quantity", "entered_uom", "from_location", "to_location", "lot", "produced_lot"),
    ("reason", "adjustment_reason", "unit_cost", "reference", "note", "actor", "created_at"),
    name="Move",
)


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


CountSheetOut = reply(CountSheet, "location", "status", "created_at", "posted_at")
CountLineOut = reply(CountLine, "sheet", "item", "lot", "expected", "counted", extra={"variance": Decimal | None})


class CountLineAdd(Schema):
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


LocationIn, LocationPatch = bodies(Location, f.LocationFields, fixed=("kind",))
ReservationIn, _ = bodies(
    Reservation,
    ("item", "location", "quantity", "reference"),
    extra={"lot": (LotCode | None, Field(None, description="The lot or serial, for a tracked item"))},
)
CountSheetIn, _ = bodies(CountSheet, ("location",))
_, CountLinePatch = bodies(CountLine, ("counted",))
