"""The books pages and the example bodies of their API writes (the Resource ones classify themselves)."""

from factoryos.books.reports import REPORTS
from tests.isolation.routes import OBJECT, ORG

INVOICE, ISSUED, LINE = OBJECT("books.invoice"), OBJECT("books.invoice#issued"), OBJECT("books.invoiceline")
BILL, BILL_LINE, PAYMENT = OBJECT("books.bill"), OBJECT("books.billline"), OBJECT("books.payment")

WEB = {
    "books:dashboard": ORG,
    "books:invoice_list": ORG,
    "books:invoice_create": ORG,
    "books:invoice_from_order": ORG,
    "books:invoice_from_shipment": ORG,
    "books:invoice_detail": INVOICE,
    "books:invoice_edit": INVOICE,
    "books:invoice_delete": INVOICE,
    "books:invoice_line_add": INVOICE,
    "books:invoice_line_edit": LINE,
    "books:invoice_line_delete": LINE,
    "books:invoice_issue": INVOICE,
    "books:invoice_credit": ISSUED,
    "books:invoice_void": ISSUED,
    "books:invoice_pdf": ISSUED,
    "books:bill_list": ORG,
    "books:bill_create": ORG,
    "books:bill_from_order": ORG,
    "books:bill_detail": BILL,
    "books:bill_edit": BILL,
    "books:bill_delete": BILL,
    "books:bill_line_add": BILL,
    "books:bill_line_edit": BILL_LINE,
    "books:bill_line_delete": BILL_LINE,
    "books:bill_approve": BILL,
    "books:bill_void": BILL,
    "books:payment_list": ORG,
    "books:payment_create": ORG,
    "books:payment_detail": PAYMENT,
    "books:payment_edit": PAYMENT,
    "books:payment_allocate": PAYMENT,
    "books:report_list": ORG,
    "books:journal_export": ORG,
    "books:settings": ORG,
    "books:account_mapping": ORG,
    **{f"books:report_{slug.replace('-', '_')}": ORG for slug in REPORTS},
    **{f"books:report_{slug.replace('-', '_')}_export": ORG for slug in REPORTS},
}

API = {
    "invoices/from-order": ORG,
    "invoices/from-shipment": ORG,
    "invoices/{id}/issue": INVOICE,
    "invoices/{id}/void": ISSUED,
    "invoices/{id}/pdf": ISSUED,
    "bills/from-order": ORG,
    "bills/{id}/approve": BILL,
    "bills/{id}/void": BILL,
    "payments/{id}/allocate": PAYMENT,
    "books/settings": ORG,
    "books/account-mapping": ORG,
    "books/journal": ORG,
    "books/journal/export": ORG,
    **{f"books/reports/{slug}": ORG for slug in REPORTS},
    **{f"books/reports/{slug}/export": ORG for slug in REPORTS},
}

API_PAYLOADS = {
    ("POST", "invoices"): lambda o: {"partner": o["partners.partner"].pk, "reference": "PO-8812"},
    ("PATCH", "invoices/{id}"): lambda o: {"reference": "PO-8813"},
    ("POST", "invoice-lines"): lambda o: {
        "invoice": o["books.invoice"].pk,
        "description": "Freight",
        "quantity": "1",
        "unit_price": "20.00",
    },
    ("PATCH", "invoice-lines/{id}"): lambda o: {"quantity": "3"},
    ("POST", "invoices/{id}/issue"): lambda o: {"issued_on": "2026-11-02"},
    ("POST", "invoices/from-order"): lambda o: {"order": o["sales.salesorder#shipped"].pk},
    ("POST", "invoices/from-shipment"): lambda o: {"shipment": o["shipping.shipment#shipped"].pk},
    ("POST", "bills"): lambda o: {"partner": o["partners.partner#supplier"].pk, "supplier_reference": "BS-1"},
    ("PATCH", "bills/{id}"): lambda o: {"supplier_reference": "BS-55121"},
    ("POST", "bill-lines"): lambda o: {
        "bill": o["books.bill"].pk,
        "description": "Pallet",
        "quantity": "2",
        "unit_price": "15.00",
    },
    ("PATCH", "bill-lines/{id}"): lambda o: {"unit_price": "125.00"},
    ("POST", "bills/{id}/approve"): lambda o: {"bill_date": "2026-11-02"},
    ("POST", "bills/from-order"): lambda o: {"order": o["purchasing.purchaseorder#books"].pk},
    ("POST", "payments"): lambda o: {"direction": "in", "partner": o["partners.partner"].pk, "amount": "25.00"},
    ("PATCH", "payments/{id}"): lambda o: {"reference": "EFT 88121"},
    ("POST", "payments/{id}/allocate"): lambda o: {
        "allocations": [{"invoice": o["books.invoice#part_paid"].pk, "amount": "5.00"}]
    },
    ("PATCH", "books/settings"): lambda o: {"price_tolerance_pct": "3"},
    ("PATCH", "books/account-mapping"): lambda o: {"revenue": "41000"},
}

# Writes that change more than one row: the allocation, the document it settles and the payment's allocated sum;
# an invoice or bill from an order and its line.
API_EVENTS = {
    ("POST", "payments/{id}/allocate"): 3,
    ("POST", "invoices/from-order"): 2,
    ("POST", "invoices/from-shipment"): 2,
    ("POST", "bills/from-order"): 2,
}
