"""API bodies of forecasts, runs, planned orders and messages, derived from the models and the services' fields."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from factoryos.kernel.schemas import RefId, bodies, reply
from factoryos.mrp import services as f  # the fields each service takes
from factoryos.mrp.models import Forecast, MrpMessage, MrpRun, PlannedOrder

ForecastOut = reply(Forecast, f.ForecastFields)
ForecastIn, ForecastPatch = bodies(Forecast, f.ForecastFields)
MrpRunOut = reply(MrpRun, "job", "horizon_days", "starts_on", "created_at", "created_by", "finished_at", "stats")
PlannedOrderOut = reply(
    PlannedOrder,
    ("run", "item", "source", "quantity", "release_date", "due_date", "past_due", "supplier", "pegging", "status"),
    ("firmed_at", "firmed_by", "firmed_as"),
    override={"pegging": list[dict[str, str]]},
)
MrpMessageOut = reply(MrpMessage, "run", "item", "kind", "on", "reference", "text")


class MrpRunIn(Schema):
    horizon_days: Annotated[int, Field(ge=7, le=730, description="How many calendar days ahead to plan")] = (
        f.DEFAULT_HORIZON_DAYS
    )
    net_change: bool = Field(
        False, description="Replan only the items of the orders made since the last run, and those under them"
    )


class FirmIn(Schema):
    planned_orders: list[RefId] = Field(min_length=1, max_length=1000, description="The proposals to firm")
    location: RefId | None = Field(None, description="Where the work orders make into (default: first warehouse)")


class FirmOut(Schema):
    purchase_orders: list[str]
    work_orders: list[str]


class ProjectionPoint(Schema):
    on: date
    quantity: Decimal
