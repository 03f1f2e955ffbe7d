"""Books in a test world: a draft invoice with a line, an issued one, a part-paid one (with the payment that
allocates to it), a draft supplier bill with a line, the tolerances and the account codes."""

from __future__ import annotations

from decimal import Decimal

from factoryos.books import services
from factoryos.finance import services as finance
from factoryos.purchasing.models import PurchaseOrder, PurchaseOrderLine

D = Decimal


def _invoice(owner, customer, bracket, *, issue: bool, price: str = "45.00"):
    invoice = services.invoice_create(actor=owner, partner=customer, reference="PO-7781")
    line = services.invoice_line_create(
        actor=owner, invoice=invoice, item=bracket, quantity=D("2"), unit_price=D(price)
    )
    if issue:
        invoice = services.invoice_issue(actor=owner, obj=invoice)
    return invoice, line


def _bill(owner, supplier):
    bill = services.bill_create(actor=owner, partner=supplier, supplier_reference="BS-55120")
    line = services.bill_line_create(
        actor=owner, bill=bill, description="Freight Sydney to Newcastle", quantity=D("1"), unit_price=D("120.00")
    )
    bill.refresh_from_db()
    return bill, line


def _purchase_order(owner, supplier, item, tax_code):
    """A sent purchase order with 8 of its 10 brackets received, made directly (purchasing's world has its own,
    built through its services): what the three-way match and a bill from an order need."""
    order = PurchaseOrder.objects.create(
        org=owner.org, partner=supplier, currency="AUD", number="PO-B0001", status="sent"
    )
    line = PurchaseOrderLine(
        org=owner.org, purchase_order=order, item=item, description=item.name, quantity=D("10"),
        unit_price=D("12.00"), tax_code=tax_code, position=1,
    )  # fmt: skip
    finance.priced(line, inclusive=False)
    line.received = D("8")
    line.save()
    return order


def build(owner, objects: dict) -> dict:
    customer, supplier, bracket = (
        objects["partners.partner"],
        objects["partners.partner#supplier"],
        objects["catalog.item"],
    )
    draft, line = _invoice(owner, customer, bracket, issue=False)
    issued, _ = _invoice(owner, customer, bracket, issue=True)
    part_paid, _ = _invoice(owner, customer, bracket, issue=True, price="50.00")
    payment = services.payment_create(
        actor=owner,
        direction="in",
        partner=customer,
        amount=D("60.00"),
        reference="EFT 88120",
        allocations=[{"invoice": part_paid, "amount": D("40.00")}],
    )
    bill, bill_line = _bill(owner, supplier)
    order = _purchase_order(owner, supplier, bracket, objects["finance.taxcode"])
    settings = services.books_settings_update(actor=owner, qty_tolerance_pct=D("0"), price_tolerance_pct=D("2"))
    mapping = services.account_mapping_update(actor=owner, bank="1010")
    return {
        "books.invoice": draft,
        "books.invoice#issued": issued,
        "books.invoice#part_paid": part_paid,
        "books.invoiceline": line,
        "books.bill": bill,
        "books.billline": bill_line,
        "books.payment": payment,
        "books.paymentallocation": payment.allocations.get(),
        "books.bookssettings": settings,
        "purchasing.purchaseorder#books": order,
        "books.accountmapping": mapping,
    }


def grow(owner, objects: dict, n: int) -> None:
    """``n`` more invoices (half issued), bills and payments, each with a line or an allocation."""
    customer, supplier, bracket = (
        objects["partners.partner"],
        objects["partners.partner#supplier"],
        objects["catalog.item"],
    )
    for k in range(n):
        invoice, _ = _invoice(owner, customer, bracket, issue=k % 2 == 0)
        _bill(owner, supplier)
        payment = services.payment_create(actor=owner, direction="in", partner=customer, amount=D("10.00"))
        if k % 2 == 0:
            services.payment_allocate(
                actor=owner, obj=payment, allocations=[{"invoice": invoice, "amount": D("10.00")}]
            )
