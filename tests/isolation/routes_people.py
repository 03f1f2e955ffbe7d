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


# Valid bodies for the API resources' writes (the isolation sweep, the every-write audit test).
API_PAYLOADS = {
    ("POST", "employees"): lambda o: {
        "employee_number": "E-900",
        "first_name": "Sam",
        "last_name": "Okafor",
        "job_title": "Press brake operator",
        "department": "Fabrication",
        "site": o["facilities.site"].pk,
        "employment_start": "2025-02-03",
        "labour_rate": "44.80",
        "emergency_contact_name": "Ada Okafor",
        "emergency_contact_phone": "+61 400 555 010",
        "home_address": "7 Wattle St, Fairfield NSW 2165",
    },
    ("PATCH", "employees/{id}"): lambda o: {"job_title": "Leading hand", "labour_rate": "52.00"},
    ("POST", "skills"): lambda o: {"name": "Crane licence", "description": "Overhead crane, high risk work licence"},
    ("PATCH", "skills/{id}"): lambda o: {"description": "Renewed yearly"},
    ("POST", "employee-skills"): lambda o: {
        "employee": o["people.employee"].pk,
        "skill": o["people.skill"].pk,
        "level": 2,
    },
    ("PATCH", "employee-skills/{id}"): lambda o: {"level": 4},
    ("POST", "shift-assignments"): lambda o: {
        "employee": o["people.employee"].pk,
        "shift": o["facilities.shift"].pk,
        "valid_from": "2026-07-06",
        "valid_to": "2026-12-18",
    },
    ("PATCH", "shift-assignments/{id}"): lambda o: {"valid_to": "2027-06-30"},
}
