"""Purchase orders: suppliers only, prices from the supplier's breaks, approval limits per role, the flow."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from factoryos.core.models import Role
from factoryos.finance import services as finance
from factoryos.kernel.errors import ConflictError, DomainError
from factoryos.partners import services as partners
from factoryos.purchasing import services
from factoryos.purchasing.models import POStatus, PurchaseOrder

D = Decimal


def test_an_order_is_to_a_supplier(shop):
    with pytest.raises(DomainError) as refused:
        services.purchase_order_create(actor=shop.owner, partner=shop.customer)
    assert (refused.value.code, refused.value.field) == ("not_a_supplier", "partner")
    order = services.purchase_order_create(actor=shop.owner, partner=shop.supplier)
    assert order.number == "PO-00001" and order.currency == "AUD" and order.exchange_rate == 1
    assert order.status == POStatus.DRAFT and order.created_by_id == shop.owner.user_id


def test_an_item_line_without_a_price_takes_the_supplier_break_for_its_quantity(shop):
    supplier_item = partners.supplier_item_create(
        actor=shop.owner, supplier=shop.supplier, item=shop.item, lead_time_days=14
    )
    for minimum, price in (("0", "1.20"), ("100", "0.95"), ("500", "0.80")):
        partners.supplier_price_break_create(
            actor=shop.owner, supplier_item=supplier_item, min_quantity=D(minimum), unit_price=D(price)
        )
    order = services.purchase_order_create(actor=shop.owner, partner=shop.supplier)
    line = services.purchase_order_line_create(actor=shop.owner, purchase_order=order, item=shop.item, quantity=D(250))
    assert line.unit_price == D("0.95") and line.description == "Bolt M10"
    assert line.expected_date == order.order_date + timedelta(days=14)
    assert (line.net, line.tax, line.gross) == (D("237.50"), D("23.75"), D("261.25"))  # GST 10 %
    given = services.purchase_order_line_create(
        actor=shop.owner, purchase_order=order, item=shop.item, quantity=D(600), unit_price=D("0.70")
    )
    assert given.unit_price == D("0.70")  # a price given wins
    order.refresh_from_db()
    assert (order.net_total, order.total) == (D("657.50"), D("723.25"))


def test_a_supplier_price_in_another_currency_is_converted_to_the_orders(shop):
    finance.exchange_rate_create(actor=shop.owner, currency="USD", rate=D("1.5"), valid_from=shop.order().order_date)
    supplier_item = partners.supplier_item_create(
        actor=shop.owner, supplier=shop.supplier, item=shop.item, currency="USD"
    )
    partners.supplier_price_break_create(actor=shop.owner, supplier_item=supplier_item, unit_price=D("2.00"))
    order = services.purchase_order_create(actor=shop.owner, partner=shop.supplier)  # in AUD
    line = services.purchase_order_line_create(actor=shop.owner, purchase_order=order, item=shop.item, quantity=D(5))
    assert line.unit_price == D("3.0000")


def test_an_item_the_supplier_does_not_price_needs_a_price(shop):
    order = services.purchase_order_create(actor=shop.owner, partner=shop.supplier)
    with pytest.raises(DomainError) as refused:
        services.purchase_order_line_create(actor=shop.owner, purchase_order=order, item=shop.item, quantity=D(5))
    assert (refused.value.code, refused.value.field) == ("no_price", "unit_price")


def test_submit_within_the_roles_limit_approves_and_records_who(shop):
    services.approval_limit_create(actor=shop.owner, role="purchasing", max_amount=D("5000"))
    buyer = shop.member("purchasing")
    order = shop.order("400", "10.00", actor=buyer)  # 4,000 + GST = 4,400 <= 5,000
    assert order.total == D("4400.00")
    submitted = services.purchase_order_submit(actor=buyer, obj=order)
    assert submitted.status == POStatus.APPROVED and submitted.approved_by_id == buyer.user_id
    assert submitted.approved_at is not None


def test_submit_over_the_limit_waits_and_approval_needs_the_permission(shop):
    services.approval_limit_create(actor=shop.owner, role="purchasing", max_amount=D("5000"))
    buyer = shop.member("purchasing")
    order = services.purchase_order_submit(actor=buyer, obj=shop.order("500", "10.00", actor=buyer))  # 5,500
    assert order.status == POStatus.PENDING_APPROVAL and order.pending_approval_by_id == buyer.user_id
    assert order.approved_by_id is None

    refused = shop.client(buyer).post(f"/api/v1/purchase-orders/{order.pk}/approve")
    assert refused.status_code == 403 and refused.json()["code"] == "approval_required"
    assert "5500.00 AUD" in refused.json()["detail"] and "5000" in refused.json()["detail"]
    assert PurchaseOrder.objects.get(pk=order.pk).status == POStatus.PENDING_APPROVAL

    approved = shop.client().post(f"/api/v1/purchase-orders/{order.pk}/approve")  # the owner: purchasing.approve
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["approved_by_id"] == shop.owner.user_id

    again = shop.client().post(f"/api/v1/purchase-orders/{order.pk}/approve")
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"


def test_a_raised_limit_lets_its_holder_approve_what_waits(shop):
    limit = services.approval_limit_create(actor=shop.owner, role="purchasing", max_amount=D("1000"))
    buyer = shop.member("purchasing")
    order = services.purchase_order_submit(actor=buyer, obj=shop.order("100", "10.00", actor=buyer))  # 1,100
    assert order.status == POStatus.PENDING_APPROVAL
    services.approval_limit_update(actor=shop.owner, obj=limit, max_amount=D("2000"))
    assert services.purchase_order_approve(actor=buyer, obj=order).approved_by_id == buyer.user_id


def test_a_role_without_a_limit_always_needs_approval_and_owners_have_none(shop):
    planner = shop.member("planner")  # may raise orders (purchasing.edit), has no limit row
    small = services.purchase_order_submit(actor=planner, obj=shop.order("1", "0.10", actor=planner))
    assert small.status == POStatus.PENDING_APPROVAL
    big = services.purchase_order_submit(actor=shop.owner, obj=shop.order("100000", "99.00"))
    assert big.status == POStatus.APPROVED and big.approved_by_id == shop.owner.user_id


def test_a_custom_roles_limit_applies_to_its_members(shop):
    role = Role.objects.create(org=shop.org, name="Buyer", permissions=["purchasing.view", "purchasing.edit"])
    services.approval_limit_create(actor=shop.owner, custom_role=role.pk, max_amount=D("250"))
    member = shop.member("viewer")
    member.role, member.custom_role = "", role
    member.save()
    assert services.limit_of(member) == D("250")
    within = services.purchase_order_submit(actor=member, obj=shop.order("10", "20.00"))  # 220
    over = services.purchase_order_submit(actor=member, obj=shop.order("20", "20.00"))  # 440
    assert (within.status, over.status) == (POStatus.APPROVED, POStatus.PENDING_APPROVAL)


def test_the_limit_compares_the_total_in_the_organizations_currency(shop):
    services.approval_limit_create(actor=shop.owner, role="purchasing", max_amount=D("1500"))
    buyer = shop.member("purchasing")
    # 1,100 USD (GST incl.) at 1.5 = 1,650 AUD: over; at 1.3 = 1,430 AUD: within
    over = shop.order("100", "10.00", actor=buyer, currency="USD", exchange_rate=D("1.5"))
    within = shop.order("100", "10.00", actor=buyer, currency="USD", exchange_rate=D("1.3"))
    assert over.total == within.total == D("1100.00")
    assert services.purchase_order_submit(actor=buyer, obj=over).status == POStatus.PENDING_APPROVAL
    assert services.purchase_order_submit(actor=buyer, obj=within).status == POStatus.APPROVED


def test_limits_are_for_roles_and_set_by_approvers(shop):
    with pytest.raises(DomainError) as neither:
        services.approval_limit_create(actor=shop.owner, max_amount=D("10"))
    assert neither.value.field == "role"
    with pytest.raises(DomainError) as owner:
        services.approval_limit_create(actor=shop.owner, role="owner", max_amount=D("10"))
    assert owner.value.field == "role"
    services.approval_limit_create(actor=shop.owner, role="sales", max_amount=D("10"))
    with pytest.raises(DomainError) as twice:
        services.approval_limit_create(actor=shop.owner, role="sales", max_amount=D("20"))
    assert twice.value.code == "not_unique"
    buyer = shop.client(shop.member("purchasing"))
    body = {"role": "purchasing", "max_amount": "1000000"}
    assert buyer.post("/api/v1/approval-limits", body, content_type="application/json").status_code == 403


def test_the_flow_and_what_it_refuses(shop):
    client = shop.client()
    empty = services.purchase_order_create(actor=shop.owner, partner=shop.supplier)
    refused = client.post(f"/api/v1/purchase-orders/{empty.pk}/submit")
    assert refused.status_code == 400 and refused.json()["code"] == "no_lines"
    order = shop.order()
    assert client.post(f"/api/v1/purchase-orders/{order.pk}/send").status_code == 409  # not approved yet
    assert client.post(f"/api/v1/purchase-orders/{order.pk}/submit").json()["status"] == "approved"
    locked = client.patch(
        f"/api/v1/purchase-order-lines/{order.lines.get().pk}", {"quantity": "3"}, content_type="application/json"
    )
    assert locked.status_code == 409 and locked.json()["code"] == "locked"
    assert client.post(f"/api/v1/purchase-orders/{order.pk}/send").json()["status"] == "sent"
    assert client.post(f"/api/v1/purchase-orders/{order.pk}/close").status_code == 409  # nothing received
    shop.receive(PurchaseOrder.objects.get(pk=order.pk), "4")
    cancel = client.post(f"/api/v1/purchase-orders/{order.pk}/cancel")
    assert cancel.status_code == 409 and "close it instead" in cancel.json()["detail"]
    closed = client.post(f"/api/v1/purchase-orders/{order.pk}/close").json()
    assert closed["status"] == "closed" and closed["closed_at"]
    draft = shop.order()
    assert client.post(f"/api/v1/purchase-orders/{draft.pk}/cancel").json()["status"] == "cancelled"
    with pytest.raises(ConflictError):
        services.purchase_order_line_create(actor=shop.owner, purchase_order=draft, item=shop.item, quantity=D(1))


def test_orders_through_the_api_with_lines_and_filters(shop):
    client = shop.client()
    body = {"partner": shop.supplier.pk, "supplier_reference": "Q-77", "expected_date": "2027-03-01"}
    created = client.post("/api/v1/purchase-orders", body, content_type="application/json")
    assert created.status_code == 201, created.content
    order = created.json()
    line = client.post(
        "/api/v1/purchase-order-lines",
        {"purchase_order": order["id"], "item": shop.item.pk, "quantity": "3", "unit_price": "2.50"},
        content_type="application/json",
    )
    assert line.status_code == 201, line.content
    assert line.json()["expected_date"] == "2027-03-01" and line.json()["gross"] == "8.25"
    free = client.post(
        "/api/v1/purchase-order-lines",
        {"purchase_order": order["id"], "description": "Freight", "quantity": "1", "unit_price": "40"},
        content_type="application/json",
    )
    assert free.status_code == 201 and free.json()["item_id"] is None
    read = client.get(f"/api/v1/purchase-orders/{order['id']}").json()
    assert (read["net_total"], read["tax_total"], read["total"]) == ("47.50", "4.75", "52.25")
    assert client.get(f"/api/v1/purchase-orders?status=draft&supplier={shop.supplier.pk}").json()["count"] == 1
    assert client.get("/api/v1/purchase-orders?status=sent").json()["count"] == 0
    assert client.get("/api/v1/purchase-orders?q=Q-77").json()["count"] == 1
