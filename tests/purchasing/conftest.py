"""A small shop for the purchasing rules (faster than a whole world): an AU organization (AUD, GST 10 %), its
owner, a supplier and a customer, an untracked item and a lot-tracked one, a bin."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction

from factoryos.catalog import services as catalog
from factoryos.core.models import Membership, Organization
from factoryos.facilities import services as facilities
from factoryos.inventory import services as inventory
from factoryos.kernel.tenancy import org_scope
from factoryos.partners import services as partners
from factoryos.purchasing import services
from tests.factories import add_member, login_client, make_org


@dataclass
class Shop:
    org: Organization
    owner: Membership
    supplier: object
    customer: object
    item: object
    lotted: object
    bin: object

    def member(self, role: str) -> Membership:
        with org_scope(self.org):
            return add_member(self.org, role=role)

    def client(self, member: Membership | None = None):
        member = member or self.owner
        return login_client(member.user, self.org)

    def order(self, quantity="10", price="12.00", *, actor=None, item=None, discount="0", **fields):
        """A draft order of one line (GST 10 % on top)."""
        order = services.purchase_order_create(actor=actor or self.owner, partner=self.supplier, **fields)
        services.purchase_order_line_create(
            actor=actor or self.owner,
            purchase_order=order,
            item=item or self.item,
            quantity=Decimal(quantity),
            unit_price=Decimal(price),
            discount_pct=Decimal(discount),
        )
        order.refresh_from_db()
        return order

    def sent(self, quantity="10", price="12.00", **kwargs):
        """An order submitted by the owner (no limit: approved) and sent."""
        order = services.purchase_order_submit(actor=self.owner, obj=self.order(quantity, price, **kwargs))
        return services.purchase_order_send(actor=self.owner, obj=order)

    def receive(self, order, quantity, *, lot_code="", expires_on=None):
        receipt = services.receipt_create(actor=self.owner, purchase_order=order)
        line = order.lines.get()
        services.receipt_line_create(
            actor=self.owner,
            receipt=receipt,
            po_line=line,
            quantity=Decimal(quantity),
            location=self.bin,
            lot_code=lot_code,
            expires_on=expires_on,
        )
        return services.receipt_post(actor=self.owner, obj=receipt)


@pytest.fixture
def shop(db):
    org, owner = make_org()
    with transaction.atomic(), org_scope(org):
        site = facilities.site_create(actor=owner, code="MAIN", name="Main plant")
        warehouse = inventory.location_create(actor=owner, code="WH", name="Warehouse", kind="warehouse", site=site)
        bin_ = inventory.location_create(actor=owner, code="A-01", name="Bin A-01", kind="bin", parent=warehouse)
        ea = catalog.uom_create(actor=owner, code="ea", name="Each", kind="count")
        item = catalog.item_create(
            actor=owner, sku="BLT-10", name="Bolt M10", item_type="purchased", uom=ea, standard_cost=Decimal("10")
        )
        lotted = catalog.item_create(actor=owner, sku="RES-1", name="Resin", item_type="raw", uom=ea, tracking="lot")
        supplier = partners.partner_create(actor=owner, code="BLUE", legal_name="Blue Pty Ltd", is_supplier=True)
        customer = partners.partner_create(actor=owner, code="ACME", legal_name="Acme Pty Ltd", is_customer=True)
    with org_scope(org):
        yield Shop(org, owner, supplier, customer, item, lotted, bin_)
