"""The finance settings' pages (tax codes, exchange rates, numbering) and the example bodies of their API writes."""

from tests.isolation.routes import OBJECT, ORG

WEB = {
    "finance:taxcode_list": ORG,
    "finance:taxcode_create": ORG,
    "finance:taxcode_edit": OBJECT("finance.taxcode"),
    "finance:taxcode_delete": OBJECT("finance.taxcode"),
    "finance:exchangerate_list": ORG,
    "finance:exchangerate_create": ORG,
    "finance:exchangerate_edit": OBJECT("finance.exchangerate"),
    "finance:exchangerate_delete": OBJECT("finance.exchangerate"),
    "finance:numbersequence_list": ORG,
    "finance:numbersequence_edit": OBJECT("finance.numbersequence"),
}

API_PAYLOADS = {
    ("POST", "tax-codes"): lambda o: {"code": "CA", "name": "California sales tax", "rate": "7.25"},
    ("PATCH", "tax-codes/{id}"): lambda o: {"name": "GST (10 %)"},
    ("POST", "exchange-rates"): lambda o: {"currency": "NZD", "rate": "0.91", "valid_from": "2026-02-01"},
    ("PATCH", "exchange-rates/{id}"): lambda o: {"rate": "1.55"},
    ("PATCH", "number-sequences/{id}"): lambda o: {"prefix": "IN-", "next_number": 1000},
}
