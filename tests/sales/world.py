"""Sales in a test world: a draft quote and a sent one, a draft order, a confirmed one (stock reserved) and a shipped
one, each with a line of the bracket (the world's stocked item) and a free-text line on the quotes; the draft order
is for a cabinet of the sales world's own."""

from __future__ import annotations

from decimal import Decimal

from factoryos.catalog import services as catalog
from factoryos.inventory import services as inventory
from factoryos.sales import services


def _quote(owner, customer, bracket, *, notes: str = ""):
    quote = services.quote_create(actor=owner, partner=customer, notes=notes)
    line = services.quote_line_create(
        actor=owner, quote=quote, item=bracket, quantity=Decimal("2"), unit_price=Decimal("45.00"), lead_time_days=10
    )
    services.quote_line_create(
        actor=owner, quote=quote, description="Powder coat, RAL 7035", quantity=Decimal("1"), unit_price=Decimal("80")
    )
    return quote, line


def _order(owner, customer, bracket, quantity: str = "1"):
    order = services.sales_order_create(actor=owner, partner=customer, customer_reference="PO-7781")
    line = services.sales_order_line_create(
        actor=owner, order=order, item=bracket, quantity=Decimal(quantity), unit_price=Decimal("45.00")
    )
    return order, line


def build(owner, objects: dict) -> dict:
    customer, bracket = objects["partners.partner"], objects["catalog.item"]
    # the draft order sells a cabinet of its own, 20 in stock at B-01 only: confirming it makes one reservation
    cabinet = catalog.item_create(
        actor=owner, sku="CAB-600", name="Cabinet 600", item_type="finished", uom=objects["catalog.unitofmeasure"]
    )
    inventory.stock_receive(
        actor=owner, item=cabinet, location=objects["inventory.location#bin2"], quantity=Decimal("20")
    )
    quote, quote_line = _quote(owner, customer, bracket)
    sent, _ = _quote(owner, customer, bracket, notes="Sent")
    sent = services.quote_send(actor=owner, obj=sent)
    order, order_line = _order(owner, customer, cabinet, "2")
    confirmed, confirmed_line = _order(owner, customer, bracket, "1")
    confirmed = services.sales_order_confirm(actor=owner, obj=confirmed)
    shipped, shipped_line = _order(owner, customer, bracket, "1")
    shipped = services.sales_order_confirm(actor=owner, obj=shipped)
    services.order_line_shipped(actor=owner, line=shipped_line, quantity=Decimal("1"))
    shipped.refresh_from_db()
    confirmed_line.refresh_from_db()
    return {
        "sales.quote": quote,
        "sales.quote#sent": sent,
        "sales.quoteline": quote_line,
        "sales.salesorder": order,
        "sales.salesorder#confirmed": confirmed,
        "sales.salesorder#shipped": shipped,
        "sales.salesorderline": order_line,
        "sales.salesorderline#confirmed": confirmed_line,
        "catalog.item#cabinet": cabinet,
    }


def grow(owner, objects: dict, n: int) -> None:
    """``n`` more quotes and orders, each with a line (the lists and their line lists grow)."""
    customer, bracket = objects["partners.partner"], objects["catalog.item"]
    for _ in range(n):
        _quote(owner, customer, bracket)
        _order(owner, customer, bracket)
