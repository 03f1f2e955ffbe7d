"""Error codes of production."""

from factoryos.kernel.errors import ErrorCode


class ProductionError(ErrorCode):
    BOM_OF_ANOTHER_ITEM = "bom_of_another_item"
    BOM_NOT_RELEASED = "bom_not_released"
    NO_RELEASED_BOM = "no_released_bom"
    NO_ROUTING = "no_routing"
    NOT_A_STOCK_LOCATION = "not_a_stock_location"
    NOT_ON_THE_FLOOR = "work_order_not_on_the_floor"
    NOTHING_ARRIVED = "nothing_arrived"
    OVER_REPORTED = "over_reported"
    NOTHING_REPORTED = "nothing_reported"
    SCRAP_REASON_REQUIRED = "scrap_reason_required"
    PAUSE_REASON_REQUIRED = "pause_reason_required"
    PREVIOUS_NOT_DONE = "previous_operation_not_done"
    MATERIAL_SHORT = "material_short"
    OVER_ISSUED = "over_issued"
    WORK_STARTED = "work_started"
    OUTSIDE_OPERATION = "outside_operation"
    NOT_OUTSIDE = "not_an_outside_operation"
    NOT_IN_SETUP = "not_in_setup"
    NO_TIME_SUGGESTION = "no_time_suggestion"
    TIME_SUGGESTION_CHANGED = "time_suggestion_changed"
    VALUE_REQUIRED = "check_value_required"
    DISPOSITION_REQUIRED = "disposition_required"
