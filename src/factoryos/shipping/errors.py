"""Error codes of shipping."""

from factoryos.kernel.errors import ErrorCode


class ShippingError(ErrorCode):
    ORDER_NOT_OPEN = "order_not_open"
    NOTHING_TO_SHIP = "nothing_to_ship"
    LINE_OF_ANOTHER_ORDER = "line_of_another_order"
    NOT_STOCKED = "line_not_stocked"
    OVER_PICKED = "over_picked"
    NO_LINES = "shipment_without_lines"
    NOT_QUARANTINE = "not_a_quarantine_location"
    SHIPMENT_OF_ANOTHER_CUSTOMER = "shipment_of_another_customer"
    SHIPMENT_NOT_SHIPPED = "shipment_not_shipped"
    LINE_OF_ANOTHER_SHIPMENT = "line_of_another_shipment"
    OVER_RETURNED = "over_returned"
