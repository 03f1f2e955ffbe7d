"""Web routes of the catalog pages (Control: units, categories, items, BOM revisions).

make_world's "catalog.bom" is the bracket's DRAFT revision (so writes reach the service), "catalog.bomline" and
"catalog.operation" belong to that draft, and "catalog.item" is the bracket.
"""

from tests.isolation.routes import OBJECT, ORG

WEB = {
    "catalog:unit_list": ORG,
    "catalog:unit_delete": OBJECT("catalog.unitofmeasure"),
    "catalog:conversion_create": ORG,
    "catalog:conversion_delete": OBJECT("catalog.uomconversion"),
    "catalog:category_list": ORG,
    "catalog:category_delete": OBJECT("catalog.category"),
    "catalog:tag_create": ORG,
    "catalog:tag_delete": OBJECT("catalog.tag"),
    "catalog:item_list": ORG,
    "catalog:item_create": ORG,
    "catalog:item_detail": OBJECT("catalog.item"),
    "catalog:item_edit": OBJECT("catalog.item"),
    "catalog:item_bom_create": OBJECT("catalog.item"),
    "catalog:bom_list": ORG,
    "catalog:bom_detail": OBJECT("catalog.bom"),
    "catalog:bom_release": OBJECT("catalog.bom"),
    "catalog:bom_revise": OBJECT("catalog.bom"),
    "catalog:component_picker": OBJECT("catalog.bom"),
    "catalog:item_picker": ORG,
    "catalog:bom_line_add": OBJECT("catalog.bom"),
    "catalog:operation_add": OBJECT("catalog.bom"),
    "catalog:bom_line_edit": OBJECT("catalog.bomline"),
    "catalog:bom_line_delete": OBJECT("catalog.bomline"),
    "catalog:operation_delete": OBJECT("catalog.operation"),
    "catalog:operation_check_add": OBJECT("catalog.operation"),
    "catalog:operation_check_delete": OBJECT("catalog.operationcheck"),
}


# Valid bodies for the API resources' writes (the isolation sweep, the every-write audit test).
API_PAYLOADS = {
    ("POST", "operation-checks"): lambda o: {
        "operation": o["catalog.operation"].pk,
        "name": "Flatness",
        "kind": "measure",
        "nominal": "0",
        "plus": "0.5",
        "unit": "mm",
    },
    ("POST", "units"): lambda o: {"code": "sheet", "name": "Sheet", "kind": "count"},
    ("PATCH", "units/{id}"): lambda o: {"name": "Each (piece)"},
    ("POST", "unit-conversions"): lambda o: {
        "from_uom": o["catalog.unitofmeasure"].pk,
        "to_uom": o["catalog.unitofmeasure#kg"].pk,
        "factor": "1.2",
        "item": o["catalog.item"].pk,  # the sheet has its own already
    },
    ("PATCH", "unit-conversions/{id}"): lambda o: {"factor": "1000.5"},
    ("POST", "categories"): lambda o: {"name": "Fasteners"},
    ("PATCH", "categories/{id}"): lambda o: {"name": "Enclosures (all)"},
    ("POST", "tags"): lambda o: {"name": "export"},
    ("POST", "items"): lambda o: {
        "sku": "BRKT-200",
        "name": "Mounting bracket",
        "item_type": "manufactured",
        "uom": o["catalog.unitofmeasure"].pk,
        "standard_cost": "4.20",
        "material": "Mild steel",
    },
    ("PATCH", "items/{id}"): lambda o: {"reorder_point": "25", "lead_time_days": 5},
    ("POST", "boms"): lambda o: {"item": o["catalog.item"].pk},
    ("PATCH", "boms/{id}"): lambda o: {"notes": "Changed hole pattern per ECN-42"},
    ("POST", "bom-lines"): lambda o: {
        "bom": o["catalog.bom#draft"].pk,
        "component": o["catalog.item#sheet"].pk,
        "quantity": "0.25",
    },
    ("PATCH", "bom-lines/{id}"): lambda o: {"quantity": "0.3", "scrap_pct": "5"},
    ("POST", "operations"): lambda o: {
        "bom": o["catalog.bom#draft"].pk,
        "work_center": o["facilities.workcenter"].pk,
        "description": "Deburr",
        "run_minutes_per_unit": "0.5",
    },
    ("PATCH", "operations/{id}"): lambda o: {"setup_minutes": "12"},
}
