"""The Buy pages: each shows what it is for; the main flows work in the browser's terms (forms, buttons)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from factoryos.inventory.models import StockLevel
from factoryos.kernel.tenancy import org_scope
from factoryos.purchasing.models import POStatus, PurchaseOrder, Receipt, RequestForQuotation
from tests.factories import assert_page_shows, page_text

PAGES = [
    ("purchasing:requisition_list", None, ["Purchase requisitions", "PR-00001", "Submitted"]),
    ("purchasing:requisition_create", None, ["New requisition", "Needed by"]),
    ("purchasing:requisition_detail", "purchasing.requisition", ["PR-00001", "BRK-100", "Add a line"]),
    ("purchasing:requisition_detail", "purchasing.requisition#approved", ["Ask suppliers for prices", "BLUE"]),
    ("purchasing:requestforquotation_list", None, ["Requests for quotation", "RFQ-00002"]),
    ("purchasing:requestforquotation_detail", "purchasing.requestforquotation#sent",
     ["Answers side by side", "Cheapest", "10.5", "Order the chosen answers"]),
    ("purchasing:requestforquotation_detail", "purchasing.requestforquotation", ["Enter an answer", "Add supplier"]),
    ("purchasing:purchaseorder_list", None, ["Purchase orders", "PO-00001", "Awaiting approval", "BLUE-1"]),
    ("purchasing:purchaseorder_create", None, ["New purchase order", "Supplier"]),
    ("purchasing:purchaseorder_detail", "purchasing.purchaseorder", ["PO-00001", "Add a line", "Submit", "137.50"]),
    ("purchasing:purchaseorder_detail", "purchasing.purchaseorder#sent", ["Receive goods", "GR-00001", "Received"]),
    ("purchasing:purchaseorder_detail", "purchasing.purchaseorder#approved", ["Email to supplier", "Mark as sent"]),
    ("purchasing:purchaseorder_edit", "purchasing.purchaseorder", ["Supplier reference", "BLUE-1"]),
    ("purchasing:purchaseorder_line_edit", "purchasing.purchaseorderline", ["Save line"]),
    ("purchasing:receipt_list", None, ["Goods receipts", "GR-00001", "DN-501"]),
    ("purchasing:receipt_detail", "purchasing.receipt", ["GR-00001", "Post into stock", "A-01"]),
    ("purchasing:receipt_detail", "purchasing.receipt#posted", ["Start a return", "SR-00001"]),
    ("purchasing:receiptline_edit", "purchasing.receiptline", ["Save line", "Lot / serial"]),
    ("purchasing:supplierreturn_list", None, ["Returns to suppliers", "SR-00001", "Two arrived bent"]),
    ("purchasing:supplierreturn_detail", "purchasing.supplierreturn", ["SR-00001", "Post: out of stock"]),
    ("purchasing:settings", None, ["Over-receipt tolerance", "Approval limits by role"]),
    ("purchasing:approvallimit_list", None, ["Approval limits", "Purchasing", "5,000.00"]),
]  # fmt: skip


def test_every_page_shows_what_it_is_for(owner, world):
    for name, label, expected in PAGES:  # one world for all (a world per page would take minutes)
        assert_page_shows(owner, world, name, label, expected)


def test_a_purchase_order_from_the_pages_to_stock(owner, world):
    supplier, item, bin_a = (
        world.pk("partners.partner#supplier"),
        world.pk("catalog.item"),
        world.pk("inventory.location"),
    )
    created = owner.post(reverse("purchasing:purchaseorder_create"), {"partner": supplier, "supplier_reference": "W-1"})
    assert created.status_code == 302
    with org_scope(world.org):
        order = PurchaseOrder.objects.get(supplier_reference="W-1")
    detail = reverse("purchasing:purchaseorder_detail", args=[order.pk])
    line = {"line-item": item, "line-quantity": "3", "line-unit_price": "20"}
    assert owner.post(reverse("purchasing:purchaseorder_line_add", args=[order.pk]), line).status_code == 302
    missing = owner.post(reverse("purchasing:purchaseorder_line_add", args=[order.pk]), {**line, "line-unit_price": ""})
    assert missing.status_code == 400 and "unit price" in page_text(missing)  # the supplier has no price for it
    assert owner.post(reverse("purchasing:purchaseorder_submit", args=[order.pk])).status_code == 302
    assert owner.post(reverse("purchasing:purchaseorder_send", args=[order.pk])).status_code == 302
    receive = owner.post(reverse("purchasing:purchaseorder_receive", args=[order.pk]), {"receive-location": bin_a})
    assert receive.status_code == 302
    with org_scope(world.org):
        receipt = Receipt.objects.get(purchase_order=order)
        before = StockLevel.objects.get(item_id=item, location_id=bin_a).on_hand
    assert owner.post(reverse("purchasing:receipt_post", args=[receipt.pk])).status_code == 302
    with org_scope(world.org):
        assert StockLevel.objects.get(item_id=item, location_id=bin_a).on_hand == before + 3
        assert PurchaseOrder.objects.get(pk=order.pk).status == POStatus.RECEIVED
    assert "Received" in page_text(owner.get(detail))


def test_award_from_the_comparison_page_takes_the_chosen_answers(owner, world):
    requisition = world.objects["purchasing.requisition"]
    line = {"line_form-item": world.pk("catalog.item#sheet"), "line_form-quantity": "2", "line_form-note": "1.5 mm"}
    assert owner.post(reverse("purchasing:requisition_line_add", args=[requisition.pk]), line).status_code == 302
    with org_scope(world.org):
        assert requisition.lines.count() == 2
    rfq = world.objects["purchasing.requestforquotation#sent"]
    with org_scope(world.org):
        dearer = rfq.suppliers.get(supplier=world.objects["partners.partner#supplier"])
        line = rfq.lines.get()
    unknown = owner.post(reverse("purchasing:rfq_award", args=[rfq.pk]), {f"choice-{line.pk}": "999999"})
    assert unknown.status_code == 400 and "Select a valid choice" in page_text(unknown)
    response = owner.post(reverse("purchasing:rfq_award", args=[rfq.pk]), {f"choice-{line.pk}": dearer.pk})
    assert response.status_code == 302
    with org_scope(world.org):
        (order,) = PurchaseOrder.objects.filter(rfq=rfq)
        assert order.partner_id == dearer.supplier_id and order.lines.get().unit_price == Decimal("11.00")
        assert RequestForQuotation.objects.get(pk=rfq.pk).status == "awarded"


def test_an_over_receipt_shows_on_the_receipt_page(owner, world):
    receipt = world.objects["purchasing.receipt"]
    body = {
        "line_form-po_line": world.pk("purchasing.purchaseorderline#sent"),
        "line_form-quantity": "50",
        "line_form-location": world.pk("inventory.location"),
    }
    refused = owner.post(reverse("purchasing:receipt_line_add", args=[receipt.pk]), body)
    assert refused.status_code == 400 and "over-receipt tolerance" in page_text(refused)
