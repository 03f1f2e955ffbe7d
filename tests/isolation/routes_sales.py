"""The sales pages, the custom API operations and the example bodies of their writes (the Resources classify
themselves)."""

from tests.isolation.routes import OBJECT, ORG

WEB = {
    "sales:quote_list": ORG,
    "sales:quote_create": ORG,
    "sales:quote_detail": OBJECT("sales.quote"),
    "sales:quote_edit": OBJECT("sales.quote"),
    "sales:quote_line_add": OBJECT("sales.quote"),
    "sales:quote_line_edit": OBJECT("sales.quoteline"),
    "sales:quote_line_delete": OBJECT("sales.quoteline"),
    "sales:quote_send": OBJECT("sales.quote"),
    "sales:quote_expire": OBJECT("sales.quote#sent"),
    "sales:quote_revise": OBJECT("sales.quote#sent"),
    "sales:quote_accept": OBJECT("sales.quote#sent"),
    "sales:quote_lose": OBJECT("sales.quote#sent"),
    "sales:quote_delete": OBJECT("sales.quote"),
    "sales:salesorder_list": ORG,
    "sales:salesorder_create": ORG,
    "sales:salesorder_detail": OBJECT("sales.salesorder"),
    "sales:salesorder_edit": OBJECT("sales.salesorder"),
    "sales:salesorder_line_add": OBJECT("sales.salesorder"),
    "sales:salesorder_line_edit": OBJECT("sales.salesorderline"),
    "sales:salesorder_line_delete": OBJECT("sales.salesorderline"),
    "sales:salesorder_confirm": OBJECT("sales.salesorder"),
    "sales:salesorder_cancel": OBJECT("sales.salesorder"),
    "sales:salesorder_close": OBJECT("sales.salesorder#shipped"),
    "sales:salesorder_delete": OBJECT("sales.salesorder"),
    "sales:quote_pdf": OBJECT("sales.quote"),
    "sales:quote_email": OBJECT("sales.quote"),
    "sales:salesorder_pdf": OBJECT("sales.salesorder"),
}

API = {
    "quotes/{id}/send": OBJECT("sales.quote"),
    "quotes/{id}/accept": OBJECT("sales.quote#sent"),
    "quotes/{id}/lose": OBJECT("sales.quote#sent"),
    "quotes/{id}/expire": OBJECT("sales.quote#sent"),
    "quotes/{id}/revise": OBJECT("sales.quote#sent"),
    "sales-orders/{id}/confirm": OBJECT("sales.salesorder"),
    "sales-orders/{id}/cancel": OBJECT("sales.salesorder"),
    "sales-orders/{id}/close": OBJECT("sales.salesorder#shipped"),
    "quotes/{id}/pdf": OBJECT("sales.quote"),
    "quotes/{id}/email": OBJECT("sales.quote"),
    "sales-orders/{id}/pdf": OBJECT("sales.salesorder"),
}

API_PAYLOADS = {
    ("POST", "quotes"): lambda o: {"partner": o["partners.partner"].pk, "valid_until": "2027-03-31"},
    ("PATCH", "quotes/{id}"): lambda o: {"notes": "Delivery to the Seven Hills dock"},
    ("POST", "quote-lines"): lambda o: {"quote": o["sales.quote"].pk, "item": o["catalog.item"].pk, "quantity": "4"},
    ("PATCH", "quote-lines/{id}"): lambda o: {"quantity": "3", "unit_price": "44.00"},
    ("POST", "sales-orders"): lambda o: {"partner": o["partners.partner"].pk, "customer_reference": "PO-8812"},
    ("PATCH", "sales-orders/{id}"): lambda o: {"customer_reference": "PO-7781-A"},
    ("POST", "sales-order-lines"): lambda o: {
        "order": o["sales.salesorder"].pk,
        "item": o["catalog.item"].pk,
        "quantity": "2",
    },
    ("PATCH", "sales-order-lines/{id}"): lambda o: {"quantity": "3"},
    ("POST", "quotes/{id}/accept"): {"customer_reference": "PO-9001"},
    ("POST", "quotes/{id}/lose"): {"reason": "Lead time too long"},
    ("POST", "quotes/{id}/email"): {"to": "buyer@acme.example"},
}

# Writes that change more than one row record one event per row (tests/isolation/routes.py: API_EVENTS).
API_EVENTS = {
    ("POST", "quotes/{id}/accept"): 4,  # the quote accepted, the order made, its two lines
    ("POST", "quotes/{id}/revise"): 4,  # the quote superseded, the revision made, its two lines
    ("POST", "sales-orders/{id}/confirm"): 3,  # the order confirmed, one reservation and its link to the line
    ("POST", "sales-orders/{id}/close"): 2,  # the order closed, its reservation released
    ("POST", "quotes/{id}/email"): 2,  # the PDF kept, its sending (an export to the recipient)
}
