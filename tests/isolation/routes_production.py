"""The production pages, the custom API operations and the example bodies of their writes (the Resources classify
themselves)."""

from tests.isolation.routes import OBJECT, ORG

WEB = {
    "production:workorder_list": ORG,
    "production:workorder_create": ORG,
    "production:workorder_edit": OBJECT("production.workorder"),
    "production:workorder_detail": OBJECT("production.workorder#started"),
    "production:workorder_plan": OBJECT("production.workorder"),
    "production:workorder_release": OBJECT("production.workorder"),
    "production:workorder_cancel": OBJECT("production.workorder#released"),
    "production:workorder_close": OBJECT("production.workorder#completed"),
    "production:workorder_delete": OBJECT("production.workorder"),
    "production:workorder_traveler": OBJECT("production.workorder#released"),
    "production:material_issue": OBJECT("production.workordermaterial"),
    "production:floor": ORG,
    "production:floor_queue": OBJECT("facilities.workcenter"),
    "production:job": OBJECT("production.jobcard#running"),
    "production:job_start": OBJECT("production.jobcard"),
    "production:job_setup_done": OBJECT("production.jobcard#setup"),
    "production:job_pause": OBJECT("production.jobcard#running"),
    "production:job_report": OBJECT("production.jobcard#running"),
    "production:job_complete": OBJECT("production.jobcard#running"),
    "production:job_send": OBJECT("production.jobcard#at_supplier"),
    "production:job_receive": OBJECT("production.jobcard#at_supplier"),
    "production:check_record": OBJECT("production.jobcheck"),
    "production:nonconformance_list": ORG,
    "production:nonconformance_edit": OBJECT("production.nonconformance"),
    "production:nonconformance_close": OBJECT("production.nonconformance"),
    "production:downtime_list": ORG,
    "production:downtime_create": ORG,
    "production:downtime_edit": OBJECT("production.downtime"),
    "production:downtime_delete": OBJECT("production.downtime"),
    "production:estimates": ORG,
    "production:time_suggestion_accept": OBJECT("catalog.operation#learned"),
    "production:costing_variance": ORG,
    "production:costing_variance_export": ORG,
    "production:costing_wip": ORG,
    "production:costing_wip_export": ORG,
}

API = {
    "work-orders/{id}/plan": OBJECT("production.workorder"),
    "work-orders/{id}/release": OBJECT("production.workorder"),
    "work-orders/{id}/cancel": OBJECT("production.workorder#released"),
    "work-orders/{id}/close": OBJECT("production.workorder#completed"),
    "work-orders/{id}/cost": OBJECT("production.workorder#started"),
    "work-orders/{id}/traveler": OBJECT("production.workorder#released"),
    "job-cards/{id}/start": OBJECT("production.jobcard"),
    "job-cards/{id}/setup-done": OBJECT("production.jobcard#setup"),
    "job-cards/{id}/pause": OBJECT("production.jobcard#running"),
    "job-cards/{id}/report": OBJECT("production.jobcard#running"),
    "job-cards/{id}/complete": OBJECT("production.jobcard#running"),
    "job-cards/{id}/send": OBJECT("production.jobcard#at_supplier"),
    "job-cards/{id}/receive": OBJECT("production.jobcard#at_supplier"),
    "work-order-materials/{id}/issue": OBJECT("production.workordermaterial"),
    "job-checks/{id}/record": OBJECT("production.jobcheck"),
    "non-conformances/{id}/close": OBJECT("production.nonconformance"),
    "work-centers/{id}/queue": OBJECT("facilities.workcenter"),
    "estimates": ORG,
    "boms/{id}/time-suggestions": OBJECT("catalog.bom#learned"),
    "operations/{id}/time-suggestion/accept": OBJECT("catalog.operation#learned"),
    "costing/variance": ORG,
    "costing/wip": ORG,
}

API_PAYLOADS = {
    ("POST", "work-orders"): lambda o: {
        "item": o["catalog.item"].pk,
        "quantity": "5",
        "location": o["inventory.location#warehouse"].pk,
        "due_date": "2026-12-21",
    },
    ("PATCH", "work-orders/{id}"): lambda o: {"quantity": "12", "priority": 1},
    ("POST", "job-cards/{id}/pause"): lambda o: {"reason": "break"},
    ("POST", "job-cards/{id}/report"): lambda o: {"good": "1"},
    ("POST", "job-cards/{id}/complete"): lambda o: {"good": "1", "scrap": "1", "scrap_reason": "setup"},
    ("POST", "job-cards/{id}/receive"): lambda o: {"good": "1"},
    ("POST", "work-order-materials/{id}/issue"): lambda o: {"quantity": "0.1"},
    ("POST", "job-checks/{id}/record"): lambda o: {"value": "50.1"},
    ("PATCH", "non-conformances/{id}"): lambda o: {"disposition": "scrap"},
    ("POST", "downtimes"): lambda o: {
        "work_center": o["facilities.workcenter"].pk,
        "reason": "maintenance",
        "starts_at": "2026-12-07T06:00:00Z",
        "ends_at": "2026-12-07T08:00:00Z",
    },
    ("PATCH", "downtimes/{id}"): lambda o: {"note": "Chiller replaced"},
    # the cover plate's op 10 as its last three runs suggest it (tests/production/world.py)
    ("POST", "operations/{id}/time-suggestion/accept"): {"setup_minutes": "24", "run_minutes_per_unit": "2.5"},
}

# Writes that change more than one row record one event per row (tests/isolation/routes.py: API_EVENTS).
API_EVENTS = {
    # the draft of 10 brackets: its job card, its material, the order released, the sheet reserved and its link
    ("POST", "work-orders/{id}/release"): 5,
    ("POST", "work-orders/{id}/cancel"): 2,  # the order, its reservation released
    # the first start of a released order: the order started, the card running, the operator's time log
    ("POST", "job-cards/{id}/start"): 3,
    ("POST", "job-cards/{id}/pause"): 2,  # the time log closed, the card paused
    ("POST", "job-cards/{id}/setup-done"): 2,  # the setup log closed, the run log opened
    # one good of 4: the report, the card's counts, the sheet issued (the move, the reservation, the material's
    # issue), the bracket into stock (its move), the order's made
    ("POST", "job-cards/{id}/report"): 7,
    ("POST", "job-cards/{id}/complete"): 10,  # the report's 7 (scrap too), the time log closed, the card and order
    # one coated bracket back: the report, the card's counts, it into stock, the order's made, the service line's
    # received, the service order part received
    ("POST", "job-cards/{id}/receive"): 6,
    ("POST", "work-order-materials/{id}/issue"): 3,  # the move, the reservation's consumed, the material
}
