"""Purchasing in a test world: an approval limit and a 5 % over-receipt tolerance; purchase orders in each state
(a draft, one awaiting approval, an approved one, a sent one with a draft receipt, a received one with its posted
receipt and a draft return); requisitions (draft, submitted, approved); a draft RFQ and a sent one with answers."""

from __future__ import annotations

from decimal import Decimal

from factoryos.partners import services as partners
from factoryos.purchasing import services


def _order(owner, supplier, item, quantity: str, price: str, reference: str = ""):
    order = services.purchase_order_create(actor=owner, partner=supplier, supplier_reference=reference)
    line = services.purchase_order_line_create(
        actor=owner, purchase_order=order, item=item, quantity=Decimal(quantity), unit_price=Decimal(price)
    )
    return order, line


def build(owner, objects: dict) -> dict:
    supplier, both = objects["partners.partner#supplier"], objects["partners.partner#both"]
    bracket, sheet = objects["catalog.item"], objects["catalog.item#sheet"]
    bin_a = objects["inventory.location"]
    alloy = partners.partner_create(actor=owner, code="ALLOY", legal_name="Alloy Supplies Pty Ltd", is_supplier=True)
    limit = services.approval_limit_create(actor=owner, role="purchasing", max_amount=Decimal("5000"))
    services.approval_limit_create(actor=owner, role="planner", max_amount=Decimal("1000"))  # planners raise orders
    settings = services.purchasing_settings_update(actor=owner, over_receipt_tolerance_pct=Decimal("5"))

    draft, draft_line = _order(owner, supplier, bracket, "10", "12.50", "BLUE-1")
    pending, _ = _order(owner, supplier, bracket, "4", "12.50")
    services.purchase_order_submit(actor=objects["core.membership"], obj=pending)  # a viewer: no limit, so it waits
    approved, _ = _order(owner, supplier, bracket, "6", "12.50")
    approved = services.purchase_order_submit(actor=owner, obj=approved)

    sent, sent_line = _order(owner, supplier, bracket, "20", "12.00")
    sent = services.purchase_order_send(actor=owner, obj=services.purchase_order_submit(actor=owner, obj=sent))
    receipt = services.receipt_create(actor=owner, purchase_order=sent, supplier_reference="DN-501")
    receipt_line = services.receipt_line_create(
        actor=owner, receipt=receipt, po_line=sent_line, quantity=Decimal("8"), location=bin_a
    )

    received, _ = _order(owner, supplier, bracket, "10", "12.50")
    received = services.purchase_order_send(actor=owner, obj=services.purchase_order_submit(actor=owner, obj=received))
    posted = services.receipt_create(actor=owner, purchase_order=received, location=bin_a)
    posted = services.receipt_post(actor=owner, obj=posted)
    posted_line = posted.lines.get()
    received.refresh_from_db()
    supplier_return = services.supplier_return_create(actor=owner, receipt=posted, reason="Two arrived bent")
    return_line = services.supplier_return_line_create(
        actor=owner, supplier_return=supplier_return, receipt_line=posted_line, quantity=Decimal("2")
    )

    requisition = services.requisition_create(actor=owner, notes="Brackets for the Acme job")
    requisition_line = services.requisition_line_create(
        actor=owner, requisition=requisition, item=bracket, quantity=Decimal("50")
    )
    submitted = services.requisition_create(actor=owner)
    services.requisition_line_create(actor=owner, requisition=submitted, item=sheet, quantity=Decimal("3"))
    submitted = services.requisition_submit(actor=owner, obj=submitted)
    to_quote = services.requisition_create(actor=owner, notes="Restock brackets")
    services.requisition_line_create(actor=owner, requisition=to_quote, item=bracket, quantity=Decimal("100"))
    to_quote = services.requisition_approve(actor=owner, obj=services.requisition_submit(actor=owner, obj=to_quote))

    rfq = services.request_for_quotation_create(actor=owner, requisition=to_quote, suppliers=[supplier.pk])
    rfq_line, rfq_supplier = rfq.lines.get(), rfq.suppliers.get()
    rfq_both = services.rfq_supplier_create(actor=owner, rfq=rfq, supplier=both)
    quote = services.supplier_quote_create(
        actor=owner, rfq_supplier=rfq_supplier, rfq_line=rfq_line, unit_price=Decimal("11.00"), lead_time_days=10
    )
    sent_rfq = services.request_for_quotation_create(
        actor=owner, requisition=to_quote, suppliers=[supplier.pk, both.pk]
    )
    line = sent_rfq.lines.get()
    for answer, price, lead in zip(sent_rfq.suppliers.order_by("id"), ("11.00", "10.50"), (10, 20), strict=True):
        services.supplier_quote_create(
            actor=owner, rfq_supplier=answer, rfq_line=line, unit_price=Decimal(price), lead_time_days=lead
        )
    sent_rfq = services.request_for_quotation_send(actor=owner, obj=sent_rfq)

    return {
        "partners.partner#alloy": alloy,
        "purchasing.approvallimit": limit,
        "purchasing.purchasingsettings": settings,
        "purchasing.purchaseorder": draft,
        "purchasing.purchaseorder#pending": pending,
        "purchasing.purchaseorder#approved": approved,
        "purchasing.purchaseorder#sent": sent,
        "purchasing.purchaseorder#received": received,
        "purchasing.purchaseorderline": draft_line,
        "purchasing.purchaseorderline#sent": sent_line,
        "purchasing.receipt": receipt,
        "purchasing.receipt#posted": posted,
        "purchasing.receiptline": receipt_line,
        "purchasing.receiptline#posted": posted_line,
        "purchasing.supplierreturn": supplier_return,
        "purchasing.supplierreturnline": return_line,
        "purchasing.requisition": requisition,
        "purchasing.requisition#submitted": submitted,
        "purchasing.requisition#approved": to_quote,
        "purchasing.requisitionline": requisition_line,
        "purchasing.requestforquotation": rfq,
        "purchasing.requestforquotation#sent": sent_rfq,
        "purchasing.rfqline": rfq_line,
        "purchasing.rfqsupplier": rfq_supplier,
        "purchasing.rfqsupplier#both": rfq_both,
        "purchasing.supplierquote": quote,
    }


def grow(owner, objects: dict, n: int) -> None:
    """``n`` more of every list: orders (each with a line, sent and partly received), requisitions with a line,
    RFQs with an answer, approval limits."""
    supplier, bracket = objects["partners.partner#supplier"], objects["catalog.item"]
    bin_a, to_quote = objects["inventory.location"], objects["purchasing.requisition#approved"]
    roles = ["engineer", "operator", "sales", "accountant", "viewer"]
    for k in range(n):
        order, line = _order(owner, supplier, bracket, "5", "12.00", f"G-{k}")
        order = services.purchase_order_send(actor=owner, obj=services.purchase_order_submit(actor=owner, obj=order))
        receipt = services.receipt_create(actor=owner, purchase_order=order)
        services.receipt_line_create(actor=owner, receipt=receipt, po_line=line, quantity=Decimal("2"), location=bin_a)
        receipt = services.receipt_post(actor=owner, obj=receipt)
        returned = services.supplier_return_create(actor=owner, receipt=receipt)
        services.supplier_return_line_create(
            actor=owner, supplier_return=returned, receipt_line=receipt.lines.get(), quantity=Decimal("1")
        )
        requisition = services.requisition_create(actor=owner, notes=f"Grow {k}")
        services.requisition_line_create(actor=owner, requisition=requisition, item=bracket, quantity=Decimal(k + 1))
        rfq = services.request_for_quotation_create(actor=owner, requisition=to_quote, suppliers=[supplier.pk])
        services.supplier_quote_create(
            actor=owner,
            rfq_supplier=rfq.suppliers.get(),
            rfq_line=rfq.lines.get(),
            unit_price=Decimal("10") + k,
            lead_time_days=k,
        )
        if k < len(roles):
            services.approval_limit_create(actor=owner, role=roles[k], max_amount=Decimal(1000 * (k + 1)))
