"""The partners' pages and the example bodies of their API writes."""

from tests.isolation.routes import OBJECT, ORG

WEB = {
    "partners:customer_list": ORG,
    "partners:supplier_list": ORG,
    "partners:partner_create": ORG,
    "partners:partner_edit": OBJECT("partners.partner"),
    "partners:partner_delete": OBJECT("partners.partner"),
    "partners:partner_picker": ORG,
}

API_PAYLOADS = {
    ("POST", "partners"): lambda o: {"code": "OZST", "legal_name": "Oz Steel Pty Ltd", "is_supplier": True},
    ("PATCH", "partners/{id}"): lambda o: {"credit_limit": "75000.00", "payment_terms_days": 14},
}
