"""Web routes of the facilities pages (Control: sites, work centers, calendars)."""

from tests.isolation.routes import OBJECT, ORG

WEB = {
    "facilities:site_list": ORG,
    "facilities:site_create": ORG,
    "facilities:site_edit": OBJECT("facilities.site"),
    "facilities:calendar_create": OBJECT("facilities.site"),
    "facilities:work_center_list": ORG,
    "facilities:work_center_create": ORG,
    "facilities:work_center_edit": OBJECT("facilities.workcenter"),
    "facilities:calendar_detail": OBJECT("facilities.calendar"),
    "facilities:shift_add": OBJECT("facilities.calendar"),
    "facilities:holiday_add": OBJECT("facilities.calendar"),
    "facilities:closure_add": OBJECT("facilities.calendar"),
    "facilities:shift_delete": OBJECT("facilities.shift"),
    "facilities:holiday_delete": OBJECT("facilities.holiday"),
    "facilities:closure_delete": OBJECT("facilities.closure"),
}


# Valid bodies for the API resources' writes (the isolation sweep, the every-write audit test).
API_PAYLOADS = {
    ("POST", "sites"): lambda o: {"code": "NEW", "name": "New plant", "city": "Dandenong"},
    ("PATCH", "sites/{id}"): lambda o: {"name": "Main plant (renamed)"},
    ("POST", "work-centers"): lambda o: {
        "site": o["facilities.site"].pk,
        "code": "BRK9",
        "name": "Brake 9",
        "kind": "press_brake",
        "machines": 2,
        "machine_rate": "85.00",
        "labour_rate": "62.50",
    },
    ("PATCH", "work-centers/{id}"): lambda o: {"efficiency_pct": "92.5"},
    ("POST", "calendars"): lambda o: {"site": o["facilities.site"].pk, "name": "Night crew"},
    ("PATCH", "calendars/{id}"): lambda o: {"name": "Day crew (renamed)"},
    ("POST", "shifts"): lambda o: {
        "calendar": o["facilities.calendar"].pk,
        "weekday": 5,
        "name": "Saturday overtime",
        "start": "07:00",
        "end": "12:00",
    },
    ("PATCH", "shifts/{id}"): lambda o: {"end": "16:00"},
    ("POST", "holidays"): lambda o: {
        "calendar": o["facilities.calendar"].pk,
        "date": "2026-12-28",
        "name": "Boxing Day",
    },
    ("POST", "closures"): lambda o: {
        "calendar": o["facilities.calendar"].pk,
        "starts_at": "2026-12-04T13:00:00",
        "ends_at": "2026-12-04T17:00:00",
        "reason": "Compressor service",
    },
}
