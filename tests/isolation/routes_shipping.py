"""The shipping pages, the custom API operations and the example bodies of their writes (the Resources classify
themselves)."""

from tests.isolation.routes import OBJECT, ORG

WEB = {
    "shipping:shipment_list": ORG,
    "shipping:shipment_detail": OBJECT("shipping.shipment"),
    "shipping:shipment_edit": OBJECT("shipping.shipment"),
    "shipping:shipment_line_add": OBJECT("shipping.shipment"),
    "shipping:shipment_line_edit": OBJECT("shipping.shipmentline"),
    "shipping:shipment_line_delete": OBJECT("shipping.shipmentline"),
    "shipping:shipment_pack": OBJECT("shipping.shipment"),
    "shipping:shipment_ship": OBJECT("shipping.shipment#packed"),
    "shipping:shipment_cancel": OBJECT("shipping.shipment"),
    "shipping:shipment_packing_slip": OBJECT("shipping.shipment"),
    "shipping:shipment_create": OBJECT("sales.salesorder#confirmed"),
    "shipping:customerreturn_list": ORG,
    "shipping:customerreturn_create": ORG,
    "shipping:customerreturn_detail": OBJECT("shipping.customerreturn"),
    "shipping:customerreturn_line_add": OBJECT("shipping.customerreturn"),
    "shipping:customerreturn_line_delete": OBJECT("shipping.customerreturnline"),
    "shipping:customerreturn_receive": OBJECT("shipping.customerreturn"),
    "shipping:customerreturn_cancel": OBJECT("shipping.customerreturn"),
}

API = {
    "sales-orders/{id}/shipments": OBJECT("sales.salesorder#confirmed"),
    "sales-orders/{id}/shipment-proposal": OBJECT("sales.salesorder#confirmed"),
    "shipments/{id}/pack": OBJECT("shipping.shipment"),
    "shipments/{id}/ship": OBJECT("shipping.shipment#packed"),
    "shipments/{id}/cancel": OBJECT("shipping.shipment"),
    "shipments/{id}/packing-slip": OBJECT("shipping.shipment"),
    "returns/{id}/receive": OBJECT("shipping.customerreturn"),
    "returns/{id}/cancel": OBJECT("shipping.customerreturn"),
}

API_PAYLOADS = {
    ("POST", "sales-orders/{id}/shipments"): lambda o: {"carrier": "StarTrack", "notes": "Dock 3, before noon"},
    ("PATCH", "shipments/{id}"): lambda o: {"tracking_number": "ST-0042-9981"},
    ("POST", "shipment-lines"): lambda o: {
        "shipment": o["shipping.shipment"].pk,
        "order_line": o["shipping.shipmentline"].order_line_id,
        "location": o["inventory.location#shipping"].pk,
        "quantity": "1",
    },
    ("PATCH", "shipment-lines/{id}"): lambda o: {"quantity": "2"},
    ("POST", "returns"): lambda o: {"shipment": o["shipping.shipment#shipped"].pk, "reason": "Wrong size"},
    ("PATCH", "returns/{id}"): lambda o: {"reason": "Bent in transit (photos attached)"},
    ("POST", "return-lines"): lambda o: {
        "customer_return": o["shipping.customerreturn"].pk,
        "shipment_line": o["shipping.shipmentline#shipped"].pk,
        "quantity": "1",
        "location": o["inventory.location#quarantine"].pk,
    },
    ("PATCH", "return-lines/{id}"): lambda o: {"quantity": "2"},
}

# Writes that change more than one row record one event per row (tests/isolation/routes.py: API_EVENTS).
API_EVENTS = {
    ("POST", "sales-orders/{id}/shipments"): 2,  # the shipment and its one proposed line
    # the packed shipment of one reserved panel: the move, its reservation consumed, the order line's shipped, the
    # order shipped, the shipment shipped
    ("POST", "shipments/{id}/ship"): 5,
    # one panel back into quarantine: the move, the order line's shipped (the order stays part shipped), the return
    ("POST", "returns/{id}/receive"): 3,
}
