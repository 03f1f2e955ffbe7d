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
}
