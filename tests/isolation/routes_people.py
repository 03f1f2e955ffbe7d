"""The People app's web routes (its API resources classify themselves through kernel.resources)."""

from tests.isolation.routes import OBJECT, ORG

WEB = {
    "people:employee_list": ORG,
    "people:employee_create": ORG,
    "people:employee_detail": OBJECT("people.employee"),
    "people:employee_edit": OBJECT("people.employee"),
    "people:employee_delete": OBJECT("people.employee"),
    "people:shift_assign": OBJECT("people.employee"),
    "people:shift_unassign": OBJECT("people.shiftassignment"),
}
