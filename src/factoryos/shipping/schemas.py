"""API bodies of shipments and customer returns, derived from the models and the services' fields."""

from decimal import Decimal

from ninja import Schema

from factoryos.kernel.schemas import bodies, reply
from factoryos.shipping import services as f  # the fields each service takes
from factoryos.shipping.models import CustomerReturn, CustomerReturnLine, Shipment, ShipmentLine

STAMPS = ("created_at", "created_by", "packed_at", "shipped_at", "shipped_by", "cancelled_at")

ShipmentOut = reply(Shipment, ("number", "order", "status"), f.ShipmentFields, STAMPS)
ShipmentCreate, ShipmentPatch = bodies(Shipment, f.ShipmentFields, name="Shipment")
ShipmentLineOut = reply(ShipmentLine, ("shipment", "order_line", "item", "location", "lot", "quantity"))
ShipmentLineIn, ShipmentLinePatch = bodies(
    ShipmentLine, "shipment", f.ShipmentLineFields, fixed=("shipment", "order_line")
)

CustomerReturnOut = reply(
    CustomerReturn,
    ("number", "status"),
    f.CustomerReturnFields,
    ("created_at", "created_by", "received_at", "received_by", "cancelled_at"),
)
CustomerReturnIn, CustomerReturnPatch = bodies(CustomerReturn, f.CustomerReturnFields, required=("reason",))
CustomerReturnLineOut = reply(CustomerReturnLine, "customer_return", f.CustomerReturnLineFields)
CustomerReturnLineIn, CustomerReturnLinePatch = bodies(
    CustomerReturnLine,
    "customer_return",
    f.CustomerReturnLineFields,
    fixed=("customer_return",),
    required=("customer_return", "quantity", "location"),
)


class PickOut(Schema):
    """One proposed pick: where (location, lot) and how much of an order line."""

    order_line_id: int
    item_id: int
    location_id: int
    location: str
    lot_id: int | None
    lot: str | None
    quantity: Decimal
