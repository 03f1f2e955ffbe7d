"""The purchasing pages, the custom API operations and the example bodies of their writes (the Resources classify
themselves)."""

from tests.isolation.routes import OBJECT, ORG

PO, RECEIPT, RETURN = "purchasing.purchaseorder", "purchasing.receipt", "purchasing.supplierreturn"
REQUISITION, RFQ = "purchasing.requisition", "purchasing.requestforquotation"

WEB = {
    "purchasing:requisition_list": ORG,
    "purchasing:requisition_create": ORG,
    "purchasing:requisition_detail": OBJECT(REQUISITION),
    "purchasing:requisition_line_add": OBJECT(REQUISITION),
    "purchasing:requisition_line_delete": OBJECT("purchasing.requisitionline"),
    "purchasing:requisition_submit": OBJECT(REQUISITION),
    "purchasing:requisition_approve": OBJECT(f"{REQUISITION}#submitted"),
    "purchasing:requisition_reject": OBJECT(f"{REQUISITION}#submitted"),
    "purchasing:requisition_rfq": OBJECT(f"{REQUISITION}#approved"),
    "purchasing:requestforquotation_list": ORG,
    "purchasing:requestforquotation_detail": OBJECT(f"{RFQ}#sent"),
    "purchasing:rfq_supplier_add": OBJECT(RFQ),
    "purchasing:rfq_supplier_delete": OBJECT("purchasing.rfqsupplier#both"),
    "purchasing:rfq_quote_add": OBJECT(RFQ),
    "purchasing:supplier_quote_delete": OBJECT("purchasing.supplierquote"),
    "purchasing:rfq_send": OBJECT(RFQ),
    "purchasing:rfq_cancel": OBJECT(RFQ),
    "purchasing:rfq_award": OBJECT(f"{RFQ}#sent"),
    "purchasing:purchaseorder_list": ORG,
    "purchasing:purchaseorder_create": ORG,
    "purchasing:purchaseorder_edit": OBJECT(PO),
    "purchasing:purchaseorder_detail": OBJECT(f"{PO}#sent"),
    "purchasing:purchaseorder_line_add": OBJECT(PO),
    "purchasing:purchaseorder_line_edit": OBJECT("purchasing.purchaseorderline"),
    "purchasing:purchaseorder_line_delete": OBJECT("purchasing.purchaseorderline"),
    "purchasing:purchaseorder_submit": OBJECT(PO),
    "purchasing:purchaseorder_approve": OBJECT(f"{PO}#pending"),
    "purchasing:purchaseorder_email": OBJECT(f"{PO}#approved"),
    "purchasing:purchaseorder_send": OBJECT(f"{PO}#approved"),
    "purchasing:purchaseorder_close": OBJECT(f"{PO}#received"),
    "purchasing:purchaseorder_cancel": OBJECT(PO),
    "purchasing:purchaseorder_pdf": OBJECT(PO),
    "purchasing:purchaseorder_receive": OBJECT(f"{PO}#sent"),
    "purchasing:receipt_list": ORG,
    "purchasing:receipt_detail": OBJECT(RECEIPT),
    "purchasing:receipt_line_add": OBJECT(RECEIPT),
    "purchasing:receiptline_edit": OBJECT("purchasing.receiptline"),
    "purchasing:receipt_line_delete": OBJECT("purchasing.receiptline"),
    "purchasing:receipt_return": OBJECT(f"{RECEIPT}#posted"),
    "purchasing:receipt_post": OBJECT(RECEIPT),
    "purchasing:receipt_cancel": OBJECT(RECEIPT),
    "purchasing:supplierreturn_list": ORG,
    "purchasing:supplierreturn_detail": OBJECT(RETURN),
    "purchasing:supplierreturn_line_add": OBJECT(RETURN),
    "purchasing:supplierreturn_line_delete": OBJECT("purchasing.supplierreturnline"),
    "purchasing:supplierreturn_post": OBJECT(RETURN),
    "purchasing:supplierreturn_cancel": OBJECT(RETURN),
    "purchasing:settings": ORG,
    "purchasing:approvallimit_list": ORG,
    "purchasing:approvallimit_create": ORG,
    "purchasing:approvallimit_delete": OBJECT("purchasing.approvallimit"),
}

API = {
    "purchase-orders/{id}/submit": OBJECT(PO),
    "purchase-orders/{id}/approve": OBJECT(f"{PO}#pending"),
    "purchase-orders/{id}/send": OBJECT(f"{PO}#approved"),
    "purchase-orders/{id}/cancel": OBJECT(PO),
    "purchase-orders/{id}/close": OBJECT(f"{PO}#received"),
    "purchase-orders/{id}/email": OBJECT(f"{PO}#approved"),
    "purchase-orders/{id}/pdf": OBJECT(f"{PO}#approved"),
    "receipts/{id}/post": OBJECT(RECEIPT),
    "receipts/{id}/cancel": OBJECT(RECEIPT),
    "supplier-returns/{id}/post": OBJECT(RETURN),
    "supplier-returns/{id}/cancel": OBJECT(RETURN),
    "requisitions/{id}/submit": OBJECT(REQUISITION),
    "requisitions/{id}/approve": OBJECT(f"{REQUISITION}#submitted"),
    "requisitions/{id}/reject": OBJECT(f"{REQUISITION}#submitted"),
    "rfqs/{id}/send": OBJECT(RFQ),
    "rfqs/{id}/cancel": OBJECT(RFQ),
    "rfqs/{id}/compare": OBJECT(f"{RFQ}#sent"),
    "rfqs/{id}/award": OBJECT(f"{RFQ}#sent"),
    "purchasing-settings": ORG,
}

API_PAYLOADS = {
    ("POST", "purchase-orders"): lambda o: {"partner": o["partners.partner#supplier"].pk, "supplier_reference": "Q-1"},
    ("PATCH", "purchase-orders/{id}"): lambda o: {"supplier_reference": "BLUE-7781", "expected_date": "2027-02-01"},
    ("POST", "purchase-order-lines"): lambda o: {
        "purchase_order": o[PO].pk,
        "item": o["catalog.item#sheet"].pk,
        "quantity": "2",
        "unit_price": "180.00",
    },
    ("PATCH", "purchase-order-lines/{id}"): lambda o: {"quantity": "12", "discount_pct": "5"},
    ("POST", "purchase-orders/{id}/email"): lambda o: {"to": "orders@bluescope.example"},
    ("POST", "receipts"): lambda o: {"purchase_order": o[f"{PO}#sent"].pk, "supplier_reference": "DN-502"},
    ("PATCH", "receipts/{id}"): lambda o: {"supplier_reference": "DN-501A"},
    ("POST", "receipt-lines"): lambda o: {
        "receipt": o[RECEIPT].pk,
        "po_line": o["purchasing.purchaseorderline#sent"].pk,
        "quantity": "2",
        "location": o["inventory.location"].pk,
    },
    ("PATCH", "receipt-lines/{id}"): lambda o: {"quantity": "9", "unit_cost": "12.10"},
    ("POST", "supplier-returns"): lambda o: {"receipt": o[f"{RECEIPT}#posted"].pk, "reason": "Wrong finish"},
    ("PATCH", "supplier-returns/{id}"): lambda o: {"reason": "Two arrived bent, one scratched"},
    ("POST", "supplier-return-lines"): lambda o: {
        "supplier_return": o[RETURN].pk,
        "receipt_line": o["purchasing.receiptline#posted"].pk,
        "quantity": "1",
    },
    ("PATCH", "supplier-return-lines/{id}"): lambda o: {"quantity": "3"},
    ("POST", "requisitions"): lambda o: {"needed_by": "2027-01-15", "notes": "Consumables for line 2"},
    ("PATCH", "requisitions/{id}"): lambda o: {"notes": "Brackets for the Acme and McLean jobs"},
    ("POST", "requisition-lines"): lambda o: {
        "requisition": o[REQUISITION].pk,
        "item": o["catalog.item"].pk,
        "quantity": "5",
    },
    ("PATCH", "requisition-lines/{id}"): lambda o: {"quantity": "60", "note": "Zinc plated"},
    ("POST", "requisitions/{id}/reject"): {"reason": "Use the stock in B-01"},
    ("POST", "rfqs"): lambda o: {
        "requisition": o[f"{REQUISITION}#approved"].pk,
        "suppliers": [o["partners.partner#supplier"].pk],
    },
    ("PATCH", "rfqs/{id}"): lambda o: {"respond_by": "2027-01-08"},
    ("POST", "rfq-lines"): lambda o: {"rfq": o[RFQ].pk, "item": o["catalog.item#sheet"].pk, "quantity": "3"},
    ("PATCH", "rfq-lines/{id}"): lambda o: {"quantity": "120"},
    ("POST", "rfq-suppliers"): lambda o: {"rfq": o[RFQ].pk, "supplier": o["partners.partner#alloy"].pk},
    ("POST", "supplier-quotes"): lambda o: {
        "rfq_supplier": o["purchasing.rfqsupplier#both"].pk,
        "rfq_line": o["purchasing.rfqline"].pk,
        "unit_price": "10.80",
        "lead_time_days": 14,
    },
    ("PATCH", "supplier-quotes/{id}"): lambda o: {"unit_price": "11.20", "valid_until": "2027-02-28"},
    ("POST", "rfqs/{id}/award"): {},
    ("POST", "approval-limits"): {"role": "sales", "max_amount": "2000"},
    ("PATCH", "approval-limits/{id}"): {"max_amount": "7500"},
    ("PATCH", "purchasing-settings"): {"over_receipt_tolerance_pct": "10"},
}

# Writes that change more than one row record one event per row (tests/isolation/routes.py: API_EVENTS).
API_EVENTS = {
    ("POST", "receipts/{id}/post"): 4,  # the stock move, the order line's received, the order, the receipt
    ("POST", "supplier-returns/{id}/post"): 5,  # the move, the receipt line, the order line, the order, the return
    ("POST", "rfqs"): 3,  # the RFQ, its line (from the requisition's), its supplier
    ("DELETE", "rfqs/{id}"): 3,  # the same three
    ("POST", "rfqs/{id}/award"): 4,  # the order, its line, the RFQ awarded, the requisition ordered
    ("POST", "purchase-orders/{id}/email"): 3,  # the PDF stored, the order sent, the mail to one address
}
