"""The planning pages, the custom API operations and the example bodies of their writes (the Resources classify
themselves)."""

from tests.isolation.routes import OBJECT, ORG

WEB = {
    "mrp:plannedorder_list": ORG,
    "mrp:run_start": ORG,
    "mrp:run_progress": OBJECT("jobs.job#mrp"),
    "mrp:firm": ORG,
    "mrp:item_plan": OBJECT("catalog.item"),
    "mrp:forecast_list": ORG,
    "mrp:forecast_create": ORG,
    "mrp:forecast_edit": OBJECT("mrp.forecast"),
    "mrp:forecast_delete": OBJECT("mrp.forecast"),
}

API = {
    "mrp-runs": ORG,
    "mrp-runs/latest": ORG,
    "planned-orders/firm": ORG,
    "items/{id}/projection": OBJECT("catalog.item"),
}

API_PAYLOADS = {
    ("POST", "forecasts"): lambda o: {
        "item": o["catalog.item"].pk,
        "starts_on": "2027-01-04",
        "ends_on": "2027-01-08",
        "quantity": "12",
    },
    ("PATCH", "forecasts/{id}"): lambda o: {"quantity": "45"},
    ("POST", "mrp-runs"): lambda o: {"horizon_days": 30},
    ("POST", "planned-orders/firm"): lambda o: {"planned_orders": [o["mrp.plannedorder"].pk]},
}

API_EVENTS = {
    ("POST", "planned-orders/firm"): 2,  # the work order (or purchase order) made, the proposal firmed
}
