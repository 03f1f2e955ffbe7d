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
