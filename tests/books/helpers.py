"""Builders the book's tests share: issued invoices of known lines, a purchase order with goods received."""

from __future__ import annotations

from decimal import Decimal

from factoryos.books import services
from factoryos.finance import services as finance
from factoryos.finance.models import TaxCode
from factoryos.kernel.tenancy import org_scope
from factoryos.purchasing.models import PurchaseOrder, PurchaseOrderLine

D = Decimal


def refreshed(world, label):
    """The world's object (by label, or the object itself) read again, in its organization."""
    obj = world.objects[label] if isinstance(label, str) else label
    with org_scope(world.org):
        return type(obj).objects.get(pk=obj.pk)


def tax(world, code):
    with org_scope(world.org):
        return TaxCode.objects.get(code=code)


def issued_invoice(world, lines, *, partner="partners.partner", issued_on=None, due_date=None, **fields):
    """An issued invoice (or credit note) of ``lines`` (quantity, price, tax code) through the services."""
    owner = world.owner
    with org_scope(world.org):
        invoice = services.invoice_create(actor=owner, partner=world.objects[partner], **fields)
        for quantity, price, code in lines:
            services.invoice_line_create(
                actor=owner, invoice=invoice, description="Work", quantity=D(quantity), unit_price=D(price),
                tax_code=TaxCode.objects.get(code=code),
            )  # fmt: skip
        return services.invoice_issue(actor=owner, obj=invoice, issued_on=issued_on, due_date=due_date)


def purchase_order(world, *, ordered="10", received="8", price="12.00"):
    """A sent purchase order of brackets from BLUE with ``received`` of them in (made directly: purchasing's own
    services are tested in tests/purchasing)."""
    with org_scope(world.org):
        supplier, gst = world.objects["partners.partner#supplier"], TaxCode.objects.get(code="GST")
        order = PurchaseOrder.objects.create(org=world.org, partner=supplier, currency="AUD", number="PO-T1",
                                             status="sent")  # fmt: skip
        line = PurchaseOrderLine(
            org=world.org,
            purchase_order=order,
            item=world.objects["catalog.item"],
            description="Bracket 100",
            quantity=D(ordered),
            unit_price=D(price),
            tax_code=gst,
        )
        finance.priced(line, inclusive=False)
        line.received = D(received)
        line.save()
        return order, line
