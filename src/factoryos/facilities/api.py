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
        module="facilities",
        out=s.SiteOut,
        create_in=s.SiteIn,
        patch_in=s.SitePatch,
        create=services.site_create,
        update=services.site_update,
        delete=services.site_delete,
        ordering=("code", "name"),
        sample_create=lambda o: {"code": "NEW", "name": "New plant", "city": "Dandenong"},
        sample_patch=lambda o: {"name": "Main plant (renamed)"},
    ),
)
add_resource(
    router,
    Resource(
        path="work-centers",
        reader=selectors.work_centers,
        module="facilities",
        out=s.WorkCenterOut,
        create_in=s.WorkCenterIn,
        patch_in=s.WorkCenterPatch,
        create=services.work_center_create,
        update=services.work_center_update,
        delete=services.work_center_delete,
        ordering=("code", "name", "kind"),
        sample_create=lambda o: {
            "site": o["facilities.site"].pk,
            "code": "BRK9",
            "name": "Brake 9",
            "kind": "press_brake",
            "machines": 2,
            "machine_rate": "85.00",
            "labour_rate": "62.50",
        },
        sample_patch=lambda o: {"efficiency_pct": "92.5"},
    ),
)
add_resource(
    router,
    Resource(
        path="calendars",
        reader=selectors.calendars,
        module="facilities",
        out=s.CalendarOut,
        create_in=s.CalendarIn,
        patch_in=s.CalendarPatch,
        create=services.calendar_create,
        update=services.calendar_update,
        delete=services.calendar_delete,
        ordering=("name",),
        sample_create=lambda o: {"site": o["facilities.site"].pk, "name": "Night crew"},
        sample_patch=lambda o: {"name": "Day crew (renamed)"},
    ),
)
add_resource(
    router,
    Resource(
        path="shifts",
        reader=selectors.shifts,
        module="facilities",
        out=s.ShiftOut,
        create_in=s.ShiftIn,
        patch_in=s.ShiftPatch,
        create=services.shift_create,
        update=services.shift_update,
        delete=services.calendar_child_delete,
        ordering=("weekday", "start"),
        sample_create=lambda o: {
            "calendar": o["facilities.calendar"].pk,
            "weekday": 5,
            "name": "Saturday overtime",
            "start": "07:00",
            "end": "12:00",
        },
        sample_patch=lambda o: {"end": "16:00"},
    ),
)
add_resource(
    router,
    Resource(
        path="holidays",
        reader=selectors.holidays,
        module="facilities",
        out=s.HolidayOut,
        create_in=s.HolidayIn,
        create=services.holiday_create,
        delete=services.calendar_child_delete,
        ordering=("date",),
        sample_create=lambda o: {"calendar": o["facilities.calendar"].pk, "date": "2026-12-28", "name": "Boxing Day"},
    ),
)
add_resource(
    router,
    Resource(
        path="closures",
        reader=selectors.closures,
        module="facilities",
        out=s.ClosureOut,
        create_in=s.ClosureIn,
        create=services.closure_create,
        delete=services.calendar_child_delete,
        ordering=("starts_at",),
        sample_create=lambda o: {
            "calendar": o["facilities.calendar"].pk,
            "starts_at": "2026-12-04T13:00:00",
            "ends_at": "2026-12-04T17:00:00",
            "reason": "Compressor service",
        },
    ),
)
