"""Inventory's web pages, and its custom API operations (the Resource ones classify themselves)."""

from tests.isolation.routes import OBJECT, ORG

WEB = {
    "inventory:location_list": ORG,
    "inventory:location_create": ORG,
    "inventory:location_edit": OBJECT("inventory.location"),
    "inventory:location_picker": ORG,
    "inventory:stock_list": ORG,
    "inventory:stock_receive": ORG,
    "inventory:stock_transfer": ORG,
    "inventory:stock_adjust": ORG,
    "inventory:stock_issue": ORG,
    "inventory:move_list": ORG,
    "inventory:valuation": ORG,
    "inventory:reorder": ORG,
    "inventory:count_list": ORG,
    "inventory:count_create": ORG,
    "inventory:count_detail": OBJECT("inventory.countsheet"),
    "inventory:count_line_add": OBJECT("inventory.countsheet"),
    "inventory:count_post": OBJECT("inventory.countsheet"),
    "inventory:count_line_set": OBJECT("inventory.countline"),
    "inventory:lot_trace": OBJECT("inventory.lot"),
}

API = {
    "stock/receipts": ORG,
    "stock/transfers": ORG,
    "stock/adjustments": ORG,
    "stock/issues": ORG,
    "stock/valuation": ORG,
    "stock/reorder": ORG,
    "reservations/{id}/release": OBJECT("inventory.reservation"),
    "count-sheets/{id}/lines": OBJECT("inventory.countsheet"),
    "count-sheets/{id}/post": OBJECT("inventory.countsheet"),
    "lots/{id}/trace": OBJECT("inventory.lot"),
}

API_PAYLOADS = {
    ("POST", "stock/receipts"): lambda o: {
        "item": o["catalog.item"].pk,
        "location": o["inventory.location"].pk,
        "quantity": "5",
        "unit_cost": "11.50",
        "reference": "PO-2001",
    },
    ("POST", "stock/transfers"): lambda o: {
        "item": o["catalog.item"].pk,
        "from_location": o["inventory.location"].pk,
        "to_location": o["inventory.location#bin2"].pk,
        "quantity": "3",
    },
    ("POST", "stock/adjustments"): lambda o: {
        "item": o["catalog.item"].pk,
        "location": o["inventory.location"].pk,
        "quantity": "-1",
        "reason": "damaged",
    },
    ("POST", "stock/issues"): lambda o: {
        "item": o["catalog.item"].pk,
        "location": o["inventory.location"].pk,
        "quantity": "1",
        "reference": "WO-1001",
    },
    ("POST", "count-sheets/{id}/lines"): lambda o: {
        "item": o["catalog.item#sheet"].pk,
        "lot": "HEAT-999",
        "counted": "1",
    },
    ("POST", "locations"): lambda o: {
        "code": "A-02-03",
        "name": "Aisle A bay 2 shelf 3",
        "kind": "bin",
        "parent": o["inventory.location#warehouse"].pk,
    },
    ("PATCH", "locations/{id}"): lambda o: {"name": "Rack B1 (renamed)"},
    ("POST", "reservations"): lambda o: {
        "item": o["catalog.item"].pk,
        "location": o["inventory.location"].pk,
        "quantity": "1",
        "reference": "WO-1001",
    },
    ("POST", "count-sheets"): lambda o: {"location": o["inventory.location"].pk},
    ("PATCH", "count-lines/{id}"): lambda o: {"counted": "3"},
}
