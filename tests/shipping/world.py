"""Shipping in a test world, with stock of its own (the panel PNL-200, 10 at bin SH-01, so that the inventory
tests' bracket at A-01 is left alone), on an order of its own (4 panels, confirmed: 4 reserved at SH-01):

- a shipment of 2 shipped ("shipping.shipment#shipped"; the order is part shipped),
- a shipment picking 1 of the 2 left ("shipping.shipment", its line "shipping.shipmentline"; 1 is left to pick),
- on a second order of 1 panel, a packed shipment ("shipping.shipment#packed"),
- a quarantine bin QA-01 ("inventory.location#quarantine") and a draft return of 1 of the shipped line into it
  ("shipping.customerreturn", its line "shipping.customerreturnline").

The sales world's confirmed order ("sales.salesorder#confirmed") is left alone: a shipment can still be made of it.
"""

from __future__ import annotations

from decimal import Decimal

from factoryos.catalog import services as catalog
from factoryos.inventory import services as inventory
from factoryos.sales import services as sales
from factoryos.shipping import services

D = Decimal


def _confirmed_order(owner, objects: dict, quantity: str):
    order = sales.sales_order_create(actor=owner, partner=objects["partners.partner"], customer_reference="PO-SHIP")
    line = sales.sales_order_line_create(
        actor=owner, order=order, item=objects["catalog.item#panel"], quantity=D(quantity), unit_price=D("45.00")
    )
    return sales.sales_order_confirm(actor=owner, obj=order), line


def build(owner, objects: dict) -> dict:
    warehouse = objects["inventory.location#warehouse"]
    panel = catalog.item_create(
        actor=owner, sku="PNL-200", name="Panel 200", item_type="finished", uom=objects["catalog.unitofmeasure"]
    )
    objects["catalog.item#panel"] = panel
    stock = inventory.location_create(actor=owner, code="SH-01", name="Dispatch bay", kind="bin", parent=warehouse)
    inventory.stock_receive(actor=owner, item=panel, location=stock, quantity=D("10"), unit_cost=D("20"))
    quarantine = inventory.location_create(
        actor=owner,
        code="QA-01",
        name="Returns quarantine",
        kind="bin",
        parent=warehouse,
        quarantine=True,
    )
    order, order_line = _confirmed_order(owner, objects, "4")
    shipped = services.shipment_create(actor=owner, order=order, carrier="StarTrack")
    services.shipment_line_update(actor=owner, obj=shipped.lines.get(), quantity=D("2"))
    services.shipment_pack(actor=owner, obj=shipped)
    shipped = services.shipment_ship(actor=owner, obj=shipped)
    picking = services.shipment_create(actor=owner, order=order)
    picking_line = picking.lines.get()
    picking_line = services.shipment_line_update(actor=owner, obj=picking_line, quantity=D("1"))
    small, _ = _confirmed_order(owner, objects, "1")
    packed = services.shipment_pack(actor=owner, obj=services.shipment_create(actor=owner, order=small))
    rma = services.customer_return_create(actor=owner, shipment=shipped, reason="Bent in transit")
    rma_line = services.customer_return_line_create(
        actor=owner, customer_return=rma, shipment_line=shipped.lines.get(), quantity=D("1"), location=quarantine
    )
    return {
        "catalog.item#panel": panel,
        "inventory.location#shipping": stock,
        "inventory.location#quarantine": quarantine,
        "sales.salesorder#shipping": order,
        "shipping.shipment": picking,
        "shipping.shipment#shipped": shipped,
        "shipping.shipment#packed": packed,
        "shipping.shipmentline": picking_line,
        "shipping.shipmentline#shipped": shipped.lines.get(),
        "shipping.customerreturn": rma,
        "shipping.customerreturnline": rma_line,
    }


def grow(owner, objects: dict, n: int) -> None:
    """``n`` more orders of one bracket, each with a picking shipment and a draft return (lists grow)."""
    panel, stock = objects["catalog.item#panel"], objects["inventory.location#shipping"]
    inventory.stock_receive(actor=owner, item=panel, location=stock, quantity=D(n + 1))
    for _ in range(n):
        order, _ = _confirmed_order(owner, objects, "1")
        services.shipment_create(actor=owner, order=order)
        rma = services.customer_return_create(actor=owner, customer=objects["partners.partner"], reason="Wrong item")
        services.customer_return_line_create(
            actor=owner,
            customer_return=rma,
            item=panel,
            quantity=D("1"),
            location=objects["inventory.location#quarantine"],
        )
