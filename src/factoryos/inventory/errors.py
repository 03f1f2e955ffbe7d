"""Error codes of locations, lots, stock moves, reservations and counts."""

from factoryos.kernel.errors import ErrorCode


class InventoryError(ErrorCode):
    INSUFFICIENT_STOCK = "insufficient_stock"
    VIRTUAL_LOCATION = "virtual_location"
    LOCATION_OF_OTHER_SITE = "location_of_other_site"
    LOCATION_LOOP = "location_loop"
    NOT_TRACKED = "not_tracked"
    LOT_REQUIRED = "lot_required"
    UNKNOWN_LOT = "unknown_lot"
    NOT_POSITIVE = "not_positive"
    ONE_SERIAL_AT_A_TIME = "one_serial_at_a_time"
    SAME_LOCATION = "same_location"
    INACTIVE = "inactive"
    NEGATIVE_COST = "negative_cost"
    REASON_REQUIRED = "reason_required"
    ZERO_ADJUSTMENT = "zero_adjustment"
    NO_ACTIVE_RESERVATION = "no_active_reservation"
    RESERVATION_MISMATCH = "reservation_mismatch"
    RESERVATION_EXCEEDED = "reservation_exceeded"
    REFERENCE_REQUIRED = "reference_required"
    ALREADY_ON_SHEET = "already_on_sheet"
    UNCOUNTED_LINES = "uncounted_lines"
    QUARANTINED = "quarantined"
    LOT_OF_OTHER_ITEM = "lot_of_other_item"
