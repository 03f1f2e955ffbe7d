"""Sites, work centers and calendars."""

from ninja import Router

from factoryos.facilities import schemas as s
from factoryos.facilities import selectors, services
from factoryos.kernel.resources import Resource, add_resources

router = Router(tags=["facilities"])

add_resources(
    router,
    Resource("sites", selectors.sites, ordering=("code", "name")),
    Resource("work-centers", selectors.work_centers, ordering=("code", "name", "kind")),
    Resource("calendars", selectors.calendars, ordering=("name",)),
    Resource("shifts", selectors.shifts, ordering=("weekday", "start"), delete=services.calendar_child_delete),
    Resource("holidays", selectors.holidays, ordering=("date",), delete=services.calendar_child_delete),
    Resource("closures", selectors.closures, ordering=("starts_at",), delete=services.calendar_child_delete),
    schemas=s,
    services=services,
)
