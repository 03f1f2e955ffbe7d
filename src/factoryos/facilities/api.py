"""Sites, work centers and calendars."""

from ninja import Router

from factoryos.facilities import schemas as s
from factoryos.facilities import selectors, services
from factoryos.kernel.resources import Resource, add_resource

router = Router(tags=["facilities"])

add_resource(
    router,
    Resource(
        path="sites",
        reader=selectors.sites,
        out=s.SiteOut,
        create_in=s.SiteIn,
        patch_in=s.SitePatch,
        create=services.site_create,
        update=services.site_update,
        delete=services.site_delete,
        ordering=("code", "name"),
    ),
)
add_resource(
    router,
    Resource(
        path="work-centers",
        reader=selectors.work_centers,
        out=s.WorkCenterOut,
        create_in=s.WorkCenterIn,
        patch_in=s.WorkCenterPatch,
        create=services.work_center_create,
        update=services.work_center_update,
        delete=services.work_center_delete,
        ordering=("code", "name", "kind"),
    ),
)
add_resource(
    router,
    Resource(
        path="calendars",
        reader=selectors.calendars,
        out=s.CalendarOut,
        create_in=s.CalendarIn,
        patch_in=s.CalendarPatch,
        create=services.calendar_create,
        update=services.calendar_update,
        delete=services.calendar_delete,
        ordering=("name",),
    ),
)
add_resource(
    router,
    Resource(
        path="shifts",
        reader=selectors.shifts,
        out=s.ShiftOut,
        create_in=s.ShiftIn,
        patch_in=s.ShiftPatch,
        create=services.shift_create,
        update=services.shift_update,
        delete=services.calendar_child_delete,
        ordering=("weekday", "start"),
    ),
)
add_resource(
    router,
    Resource(
        path="holidays",
        reader=selectors.holidays,
        out=s.HolidayOut,
        create_in=s.HolidayIn,
        create=services.holiday_create,
        delete=services.calendar_child_delete,
        ordering=("date",),
    ),
)
add_resource(
    router,
    Resource(
        path="closures",
        reader=selectors.closures,
        out=s.ClosureOut,
        create_in=s.ClosureIn,
        create=services.closure_create,
        delete=services.calendar_child_delete,
        ordering=("starts_at",),
    ),
)
