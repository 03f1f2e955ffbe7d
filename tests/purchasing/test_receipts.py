"""Receipts into stock (moving average cost, partial receipts, the over-receipt tolerance, lots) and returns to
suppliers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from factoryos.inventory.models import ItemValuation, Lot, StockLevel, StockMove
from factoryos.kernel.errors import ConflictError, DomainError
from factoryos.purchasing import services
from factoryos.purchasing.models import POStatus, PurchaseOrder, ReceiptStatus

D = Decimal


def on_hand(shop, item=None) -> Decimal:
    return sum((row.on_hand for row in StockLevel.objects.filter(item=item or shop.item, location=shop.bin)), D(0))


def average(shop, item=None) -> Decimal:
    return ItemValuation.objects.get(item=item or shop.item).average_cost


def test_receipts_bring_stock_in_at_the_orders_net_price_and_move_the_average(shop):
    first = shop.sent("10", "12.00")
    receipt = shop.receive(first, "10")
    assert receipt.status == ReceiptStatus.POSTED and receipt.number == "GR-00001"
    move = StockMove.objects.get(reference=receipt.number)
    assert (move.quantity, move.unit_cost, move.reason) == (D(10), D("12.0000"), "receipt")
    assert on_hand(shop) == 10 and average(shop) == D("12")  # nothing held before: the receipt's cost
    second = shop.sent("10", "15.00", discount="10")  # net 13.50 a unit; GST is not a cost
    line = second.lines.get()
    assert services.default_unit_cost(line) == D("13.5000")
    shop.receive(second, "10")
    assert on_hand(shop) == 20 and average(shop) == D("12.75")  # (10 x 12 + 10 x 13.50) / 20


def test_a_foreign_currency_order_is_costed_in_the_organizations_currency(shop):
    order = shop.sent("4", "10.00", currency="USD", exchange_rate=D("1.55"))
    shop.receive(order, "4")
    assert average(shop) == D("15.5")  # 10 USD at 1.55


def test_a_receipt_line_cost_can_be_given(shop):
    order = shop.sent("5", "10.00")
    receipt = services.receipt_create(actor=shop.owner, purchase_order=order)
    services.receipt_line_create(
        actor=shop.owner,
        receipt=receipt,
        po_line=order.lines.get(),
        quantity=D(5),
        location=shop.bin,
        unit_cost=D("11.20"),
    )
    services.receipt_post(actor=shop.owner, obj=receipt)
    assert average(shop) == D("11.2")


def test_partial_receipts_until_the_order_is_received(shop):
    order = shop.sent("10", "12.00")
    shop.receive(order, "4")
    order.refresh_from_db()
    line = order.lines.get()
    assert (order.status, line.received, line.outstanding) == (POStatus.PART_RECEIVED, D(4), D(6))
    assert order.part_received_by_id == shop.owner.user_id
    receipt = services.receipt_create(actor=shop.owner, purchase_order=order, location=shop.bin)  # the rest
    assert [(ln.quantity, ln.unit_cost) for ln in receipt.lines.all()] == [(D(6), D("12.0000"))]
    services.receipt_post(actor=shop.owner, obj=receipt)
    order.refresh_from_db()
    assert (order.status, order.lines.get().received) == (POStatus.RECEIVED, D(10))
    with pytest.raises(ConflictError) as closed:
        services.receipt_create(actor=shop.owner, purchase_order=order)
    assert closed.value.code == "not_open_for_receipt"


def test_over_receipt_is_refused_beyond_the_tolerance(shop):
    order = shop.sent("10", "12.00")
    receipt = services.receipt_create(actor=shop.owner, purchase_order=order)
    fields = {"receipt": receipt, "po_line": order.lines.get(), "location": shop.bin}
    with pytest.raises(DomainError) as refused:  # tolerance 0 %
        services.receipt_line_create(actor=shop.owner, quantity=D(11), **fields)
    assert (refused.value.code, refused.value.field) == ("over_receipt", "quantity")
    assert "0 of 10 ordered" in refused.value.message and "(10)" in refused.value.message

    services.purchasing_settings_update(actor=shop.owner, over_receipt_tolerance_pct=D("10"))
    line = services.receipt_line_create(actor=shop.owner, quantity=D(11), **fields)  # 11 <= 10 x 1.10
    with pytest.raises(DomainError):
        services.receipt_line_update(actor=shop.owner, obj=line, quantity=D("11.5"))
    services.receipt_post(actor=shop.owner, obj=receipt)
    order.refresh_from_db()
    assert order.status == POStatus.RECEIVED and order.lines.get().received == 11


def test_posting_checks_again_what_other_receipts_brought_meanwhile(shop):
    order = shop.sent("10", "12.00")
    line = order.lines.get()
    drafts = [services.receipt_create(actor=shop.owner, purchase_order=order) for _ in range(2)]
    for receipt in drafts:  # each within the order alone
        services.receipt_line_create(actor=shop.owner, receipt=receipt, po_line=line, quantity=D(6), location=shop.bin)
    services.receipt_post(actor=shop.owner, obj=drafts[0])
    with pytest.raises(DomainError) as refused:
        services.receipt_post(actor=shop.owner, obj=drafts[1])
    assert refused.value.field == "quantity" and refused.value.message.startswith("Line 1: BLT-10: 6 of 10 ordered")
    assert on_hand(shop) == 6


def test_the_over_receipt_tolerance_through_the_api(shop):
    client = shop.client()
    assert client.get("/api/v1/purchasing-settings").json()["over_receipt_tolerance_pct"] == "0.0000"
    changed = client.patch("/api/v1/purchasing-settings", {"over_receipt_tolerance_pct": "5"}, "application/json")
    assert changed.status_code == 200 and D(changed.json()["over_receipt_tolerance_pct"]) == 5
    too_much = client.patch("/api/v1/purchasing-settings", {"over_receipt_tolerance_pct": "101"}, "application/json")
    assert too_much.status_code == 422
    buyer = shop.client(shop.member("purchasing"))
    assert (
        buyer.patch("/api/v1/purchasing-settings", {"over_receipt_tolerance_pct": "50"}, "application/json").status_code
        == 403
    )
    order = shop.sent("20", "1.00")
    receipt = client.post(
        "/api/v1/receipts", {"purchase_order": order.pk, "supplier_reference": "DN-1"}, "application/json"
    ).json()
    line = {"receipt": receipt["id"], "po_line": order.lines.get().pk, "quantity": "22", "location": shop.bin.pk}
    refused = client.post("/api/v1/receipt-lines", line, "application/json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "quantity"
    assert client.post("/api/v1/receipt-lines", {**line, "quantity": "21"}, "application/json").status_code == 201
    posted = client.post(f"/api/v1/receipts/{receipt['id']}/post")
    assert posted.status_code == 200 and posted.json()["status"] == "posted"
    assert PurchaseOrder.objects.get(pk=order.pk).status == POStatus.RECEIVED


def test_lots_are_made_on_receipt_and_required_for_tracked_items(shop):
    order = shop.sent("5", "40.00", item=shop.lotted)
    receipt = services.receipt_create(actor=shop.owner, purchase_order=order, location=shop.bin)
    with pytest.raises(DomainError) as missing:
        services.receipt_post(actor=shop.owner, obj=receipt)
    assert missing.value.field == "lot_code" and "RES-1" in missing.value.message
    services.receipt_line_update(
        actor=shop.owner, obj=receipt.lines.get(), lot_code="B-7781", expires_on=date(2027, 6, 30)
    )
    services.receipt_post(actor=shop.owner, obj=receipt)
    lot = Lot.objects.get(item=shop.lotted)
    assert (lot.code, lot.expires_on) == ("B-7781", date(2027, 6, 30))
    assert StockLevel.objects.get(item=shop.lotted, lot=lot).on_hand == 5
    untracked = shop.sent("1", "1.00")
    receipt = services.receipt_create(actor=shop.owner, purchase_order=untracked)
    with pytest.raises(DomainError) as refused:
        services.receipt_line_create(
            actor=shop.owner,
            receipt=receipt,
            po_line=untracked.lines.get(),
            quantity=D(1),
            location=shop.bin,
            lot_code="X",
        )
    assert refused.value.field == "lot_code"


def test_receipt_lines_belong_to_the_receipts_order_and_to_stocked_lines(shop):
    order, other = shop.sent(), shop.sent()
    receipt = services.receipt_create(actor=shop.owner, purchase_order=order)
    with pytest.raises(DomainError) as refused:
        services.receipt_line_create(
            actor=shop.owner, receipt=receipt, po_line=other.lines.get(), quantity=D(1), location=shop.bin
        )
    assert (refused.value.code, refused.value.field) == ("other_order", "po_line")
    with pytest.raises(DomainError) as empty:
        services.receipt_post(actor=shop.owner, obj=receipt)
    assert empty.value.code == "no_lines"
    with pytest.raises(ConflictError):
        services.receipt_create(actor=shop.owner, purchase_order=shop.order())  # a draft order receives nothing


def test_a_return_to_the_supplier_takes_goods_back_out(shop):
    order = shop.sent("10", "12.00")
    receipt = shop.receive(order, "10")
    receipt_line = receipt.lines.get()
    supplier_return = services.supplier_return_create(actor=shop.owner, receipt=receipt, reason="Bent")
    assert supplier_return.number == "SR-00001" and supplier_return.supplier_id == shop.supplier.pk
    with pytest.raises(DomainError) as too_many:
        services.supplier_return_line_create(
            actor=shop.owner, supplier_return=supplier_return, receipt_line=receipt_line, quantity=D(11)
        )
    assert (too_many.value.code, too_many.value.field) == ("over_return", "quantity")
    services.supplier_return_line_create(
        actor=shop.owner, supplier_return=supplier_return, receipt_line=receipt_line, quantity=D(3)
    )
    posted = services.supplier_return_post(actor=shop.owner, obj=supplier_return)
    assert posted.status == "posted"
    assert on_hand(shop) == 7 and average(shop) == D("12")  # going out keeps the average
    move = StockMove.objects.get(reference=posted.number)
    assert (move.quantity, move.from_location_id, move.to_location.kind) == (D(3), shop.bin.pk, "supplier")
    receipt_line.refresh_from_db()
    order.refresh_from_db()
    assert receipt_line.returned == 3 and order.lines.get().received == 7
    assert order.status == POStatus.PART_RECEIVED  # 3 more are expected again
    again = services.supplier_return_create(actor=shop.owner, receipt=receipt)
    with pytest.raises(DomainError):
        services.supplier_return_line_create(
            actor=shop.owner, supplier_return=again, receipt_line=receipt_line, quantity=D(8)
        )
    shop.receive(order, "3")
    order.refresh_from_db()
    assert order.status == POStatus.RECEIVED and on_hand(shop) == 10


def test_a_return_through_the_api(shop):
    client = shop.client()
    receipt = shop.receive(shop.sent("6", "5.00"), "6")
    made = client.post("/api/v1/supplier-returns", {"receipt": receipt.pk, "reason": "Wrong size"}, "application/json")
    assert made.status_code == 201, made.content
    line = {"supplier_return": made.json()["id"], "receipt_line": receipt.lines.get().pk, "quantity": "2"}
    assert client.post("/api/v1/supplier-return-lines", line, "application/json").status_code == 201
    posted = client.post(f"/api/v1/supplier-returns/{made.json()['id']}/post")
    assert posted.status_code == 200 and posted.json()["status"] == "posted"
    assert on_hand(shop) == 4
    unposted = services.receipt_create(actor=shop.owner, purchase_order=shop.sent())
    refused = client.post("/api/v1/supplier-returns", {"receipt": unposted.pk}, "application/json")
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "receipt"  # not posted
