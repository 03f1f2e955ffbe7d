"""The demo shop's trade: prices, contacts, and a few months of selling and buying, so that every list, document
and report of Sell, Ship, Buy and Book has something in it on first start.

Everything goes through the services, dated back from today so the aging report has current, overdue and paid
invoices. Loaded by ``shop.load_shop`` after the stock (orders reserve and ship the opening stock).

- Customers get addresses, a primary contact and (Acme) an ABN; Acme and Northern Power buy on the TRADE price
  list (quantity breaks on the finished goods); BlueScope sells the sheet with price breaks.
- Quotes: a draft, a sent one, a lost one (price) and an accepted one.
- Sales orders: shipped and invoiced long ago, overdue and unpaid; shipped in part, invoiced and part paid; shipped,
  invoiced and paid; confirmed, waiting to ship; a draft; a cancelled one.
- Buying: a requisition that went out for quotation to two suppliers and was awarded; a purchase order received,
  billed and paid; one received in part; one waiting for approval.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from factoryos.books import services as books
from factoryos.books.models import Direction
from factoryos.catalog.models import Item, ItemType
from factoryos.inventory.models import StockLevel
from factoryos.partners import services as partners
from factoryos.partners.models import Partner
from factoryos.purchasing import services as purchasing
from factoryos.sales import services as sales
from factoryos.shipping import services as shipping

D = Decimal


def _partner(code: str) -> Partner:
    return Partner.objects.get(code=code)


def _in_stock(item_type: str, least: Decimal, count: int) -> list[Item]:
    """``count`` items of a type with at least ``least`` available across the shop, best stocked first."""
    rows = (
        StockLevel.objects.filter(item__item_type=item_type, location__kind__in=("warehouse", "zone", "bin"))
        .values("item")
        .annotate(available=Sum("on_hand") - Sum("reserved"))
        .filter(available__gte=least)
        .order_by("-available", "item")
    )
    ids = [row["item"] for row in rows[:count]]
    found = {item.pk: item for item in Item.objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids]


def _records(actor, out) -> None:
    addresses = {
        "ACME": ("12 Foundry Road", "Smithfield", "NSW", "2164"),
        "NTHPWR": ("88 Transmission Drive", "Newcastle West", "NSW", "2302"),
        "CITYRAIL": ("1 Depot Lane", "Sydenham", "NSW", "2044"),
        "MCLEAN": ("5 Kerf Street", "Wetherill Park", "NSW", "2164"),
    }
    contacts = {
        "ACME": ("Dana Whitfield", "dana.whitfield@acme-switchgear.example", "Purchasing officer"),
        "NTHPWR": ("Raj Menon", "raj.menon@northernpower.example", "Procurement lead"),
        "CITYRAIL": ("Kim Osei", "kim.osei@cityrail.example", "Maintenance planner"),
        "MCLEAN": ("Luca Rossi", "luca@mcleanlaser.example", "Sales"),
        "BLUESC": ("Priya Shah", "priya.shah@bluescope-dist.example", "Account manager"),
    }
    for code, (line1, city, state, postcode) in addresses.items():
        partner = _partner(code)
        for kind in ("billing", "shipping"):
            partners.partner_address_create(
                actor=actor,
                partner=partner,
                kind=kind,
                line1=line1,
                city=city,
                state=state,
                postcode=postcode,
                country="AU",
            )
            out.add("addresses")
    for code, (name, email, role) in contacts.items():
        partners.contact_create(actor=actor, partner=_partner(code), name=name, email=email, job_role=role)
        out.add("contacts")
    partners.partner_tax_id_create(
        actor=actor, partner=_partner("ACME"), kind="ABN", country="AU", value="51 824 753 556"
    )


def _prices(actor, out, finished: list[Item], sheets: list[Item]) -> None:
    trade = partners.price_list_create(actor=actor, code="TRADE", name="Trade prices 2026")
    for item in finished:
        list_price = (item.standard_cost * D("1.45")).quantize(D("0.01"))
        for least, factor in ((D("1"), D("1")), (D("10"), D("0.94")), (D("50"), D("0.88"))):
            partners.price_list_line_create(
                actor=actor,
                price_list=trade,
                item=item,
                min_quantity=least,
                unit_price=(list_price * factor).quantize(D("0.01")),
            )
            out.add("price list lines")
    for code in ("ACME", "NTHPWR"):
        partners.partner_update(actor=actor, obj=_partner(code), price_list=trade)
    partners.partner_update(actor=actor, obj=_partner("NTHPWR"), terms_kind="eom")
    bluescope = _partner("BLUESC")
    for item in sheets:
        supplied = partners.supplier_item_create(
            actor=actor, supplier=bluescope, item=item, supplier_sku=f"BS-{item.sku}", lead_time_days=5
        )
        for least, factor in ((D("1"), D("1")), (D("10"), D("0.95")), (D("40"), D("0.9"))):
            partners.supplier_price_break_create(
                actor=actor,
                supplier_item=supplied,
                min_quantity=least,
                unit_price=(item.standard_cost * factor).quantize(D("0.01")),
            )
        out.add("supplier items")


def _quote(actor, customer: str, lines: list[tuple[Item, Decimal]], *, freight: Decimal | None = None):
    quote = sales.quote_create(actor=actor, partner=_partner(customer))
    for item, quantity in lines:
        sales.quote_line_create(actor=actor, quote=quote, item=item, quantity=quantity, lead_time_days=10)
    if freight is not None:
        sales.quote_line_create(
            actor=actor, quote=quote, description="Freight to site", quantity=D("1"), unit_price=freight
        )
    return quote


def _order(actor, customer: str, lines: list[tuple[Item, Decimal]], *, days_ago: int):
    order = sales.sales_order_create(
        actor=actor, partner=_partner(customer), order_date=timezone.localdate() - timedelta(days=days_ago)
    )
    for item, quantity in lines:
        sales.sales_order_line_create(actor=actor, order=order, item=item, quantity=quantity)
    return sales.sales_order_confirm(actor=actor, obj=order)


def _ship_and_invoice(actor, order, *, days_ago: int, part: bool = False):
    shipment = shipping.shipment_create(actor=actor, order=order, carrier="StarTrack")
    if part:  # half of the first line ships now: the rest is a back order
        first = shipment.lines.order_by("pk").first()
        rest = shipment.lines.exclude(pk=first.pk)
        for line in rest:
            shipping.shipment_line_delete(actor=actor, obj=line)
        shipping.shipment_line_update(actor=actor, obj=first, quantity=(first.quantity / 2).quantize(D("1")) or D("1"))
    shipping.shipment_update(actor=actor, obj=shipment, tracking_number=f"ST{shipment.number[-5:]}AU")
    shipping.shipment_ship(actor=actor, obj=shipping.shipment_pack(actor=actor, obj=shipment))
    invoice = books.invoice_from_shipment(actor=actor, shipment=shipment)
    return books.invoice_issue(actor=actor, obj=invoice, issued_on=timezone.localdate() - timedelta(days=days_ago))


def _pay(actor, invoice_or_bill, amount: Decimal, *, days_ago: int, direction: str):
    target = {"invoice": invoice_or_bill} if direction == Direction.IN else {"bill": invoice_or_bill}
    return books.payment_create(
        actor=actor,
        direction=direction,
        partner=invoice_or_bill.partner,
        paid_on=timezone.localdate() - timedelta(days=days_ago),
        amount=amount,
        reference=f"Remittance {invoice_or_bill.number}",
        allocations=[{**target, "amount": amount}],
    )


def _selling(actor, out, finished: list[Item]) -> None:
    a, b, c, d = finished[:4]
    _quote(actor, "ACME", [(a, D("12")), (b, D("4"))], freight=D("85"))
    sent = _quote(actor, "NTHPWR", [(c, D("20"))])
    sales.quote_send(actor=actor, obj=sent)
    lost = _quote(actor, "CITYRAIL", [(d, D("6"))])
    sales.quote_send(actor=actor, obj=lost)
    sales.quote_lose(actor=actor, obj=lost, reason="Price: a competitor quoted 12 % less")
    won = _quote(actor, "ACME", [(a, D("2")), (c, D("1"))])
    sales.quote_send(actor=actor, obj=won)
    overdue = sales.quote_accept(actor=actor, obj=won, customer_reference="ACME-PO-44812")
    overdue = sales.sales_order_confirm(actor=actor, obj=overdue)
    _ship_and_invoice(actor, overdue, days_ago=48)  # Acme pays net 30: overdue by 18 days, unpaid
    part_paid = _order(actor, "NTHPWR", [(b, D("3")), (d, D("1"))], days_ago=30)
    invoice = _ship_and_invoice(actor, part_paid, days_ago=20, part=True)
    _pay(actor, invoice, (invoice.total / 2).quantize(D("0.01")), days_ago=5, direction=Direction.IN)
    paid = _order(actor, "CITYRAIL", [(c, D("1"))], days_ago=60)
    invoice = _ship_and_invoice(actor, paid, days_ago=55)
    _pay(actor, invoice, invoice.total, days_ago=25, direction=Direction.IN)
    _order(actor, "MCLEAN", [(d, D("1")), (a, D("1"))], days_ago=2)  # confirmed, waiting to ship
    draft = sales.sales_order_create(actor=actor, partner=_partner("ACME"))
    sales.sales_order_line_create(actor=actor, order=draft, item=b, quantity=D("8"))
    cancelled = sales.sales_order_create(actor=actor, partner=_partner("CITYRAIL"))
    sales.sales_order_line_create(actor=actor, order=cancelled, item=d, quantity=D("1"))
    sales.sales_order_cancel(actor=actor, obj=cancelled)
    out.add("quotes", 4)
    out.add("sales orders", 6)


def _receive(actor, order, receiving_bin, *, quantity: Decimal | None = None):
    """A receipt of what is outstanding on ``order`` (or ``quantity`` of each line), the heat numbers of tracked
    sheet given."""
    receipt = purchasing.receipt_create(actor=actor, purchase_order=order, location=receiving_bin)
    for n, line in enumerate(receipt.lines.select_related("po_line__item"), start=1):
        changes: dict[str, Any] = {} if quantity is None else {"quantity": quantity}
        if line.po_line.item.tracking != "none":
            changes["lot_code"] = f"{order.number}-H{n:02d}"
        if changes:
            purchasing.receipt_line_update(actor=actor, obj=line, **changes)
    return receipt


def _buying(actor, out, sheets: list[Item], receiving_bin) -> None:
    bluescope, mclean = _partner("BLUESC"), _partner("MCLEAN")
    requisition = purchasing.requisition_create(actor=actor, notes="Sheet for the switchboard enclosures")
    for item in sheets[:2]:
        purchasing.requisition_line_create(actor=actor, requisition=requisition, item=item, quantity=D("20"))
    purchasing.requisition_submit(actor=actor, obj=requisition)
    purchasing.requisition_approve(actor=actor, obj=requisition)
    rfq = purchasing.request_for_quotation_create(
        actor=actor, requisition=requisition, suppliers=[bluescope.pk, mclean.pk]
    )
    for answer_from, factor, lead in ((bluescope, D("0.97"), 5), (mclean, D("1.04"), 3)):
        asked = rfq.suppliers.get(supplier=answer_from)
        for line in rfq.lines.select_related("item"):
            purchasing.supplier_quote_create(
                actor=actor,
                rfq_supplier=asked,
                rfq_line=line,
                unit_price=(line.item.standard_cost * factor).quantize(D("0.01")),
                lead_time_days=lead,
            )
    purchasing.request_for_quotation_send(actor=actor, obj=rfq)
    purchasing.request_for_quotation_award(actor=actor, obj=rfq)  # the cheapest answer per line

    def order(lines: list[tuple[Item, Decimal]], days_ago: int):
        po = purchasing.purchase_order_create(
            actor=actor, partner=bluescope, order_date=timezone.localdate() - timedelta(days=days_ago)
        )
        for item, quantity in lines:
            purchasing.purchase_order_line_create(actor=actor, purchase_order=po, item=item, quantity=quantity)
        return po

    received = purchasing.purchase_order_submit(
        actor=actor, obj=order([(sheets[2], D("10")), (sheets[3], D("12"))], 40)
    )
    received = purchasing.purchase_order_send(actor=actor, obj=received)
    purchasing.receipt_post(actor=actor, obj=_receive(actor, received, receiving_bin))
    bill = books.bill_from_order(actor=actor, order=received)
    bill = books.bill_approve(actor=actor, obj=bill, bill_date=timezone.localdate() - timedelta(days=35))
    _pay(actor, bill, bill.total, days_ago=10, direction=Direction.OUT)
    part = purchasing.purchase_order_submit(actor=actor, obj=order([(sheets[4], D("30"))], 12))
    part = purchasing.purchase_order_send(actor=actor, obj=part)
    purchasing.receipt_post(actor=actor, obj=_receive(actor, part, receiving_bin, quantity=D("18")))
    waiting = order([(sheets[5], D("60")), (sheets[0], D("40"))], 1)
    purchasing.purchase_order_submit(actor=actor, obj=waiting)
    out.add("requisitions")
    out.add("purchase orders", 4)


def load_trade(actor, out: Any, receiving_bin) -> None:
    """The trade of the demo shop (see the module's docstring), after its stock is loaded."""
    finished = _in_stock(ItemType.FINISHED, D("4"), 4)
    sheets = list(Item.objects.filter(item_type=ItemType.RAW, sku__startswith="SHT-").order_by("sku")[:6])
    _records(actor, out)
    _prices(actor, out, finished, sheets)
    _selling(actor, out, finished)
    _buying(actor, out, sheets, receiving_bin)
