"""Error codes of MRP."""

from factoryos.kernel.errors import ErrorCode


class MrpError(ErrorCode):
    FORECAST_ENDS_BEFORE = "forecast_ends_before_it_starts"
    NOTHING_CHOSEN = "no_planned_order_chosen"
    ALREADY_FIRMED = "planned_order_already_firmed"
    NO_SUPPLIER = "no_supplier"
    NO_WAREHOUSE = "no_warehouse"
    HORIZON = "horizon_out_of_range"
    NO_RUN = "no_full_run_yet"
