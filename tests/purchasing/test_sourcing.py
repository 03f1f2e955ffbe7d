"""Requisitions -> requests for quotation -> answers compared -> award: purchase orders at the quoted prices."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from factoryos.finance import services as finance
from factoryos.kernel.errors import ConflictError, DomainError, PermissionDeniedError
from factoryos.partners import services as partners
from factoryos.purchasing import services
from factoryos.purchasing.models import POStatus, PurchaseOrder, RequisitionStatus, RfqStatus

D = Decimal


def approved_requisition(shop, *lines):
    requisition = services.requisition_create(actor=shop.owner, needed_by=timezone.localdate() + timedelta(days=30))
    for item, quantity in lines or ((shop.item, "100"),):
        services.requisition_line_create(actor=shop.owner, requisition=requisition, item=item, quantity=D(quantity))
    requisition = services.requisition_submit(actor=shop.owner, obj=requisition)
    return services.requisition_approve(actor=shop.owner, obj=requisition)


@pytest.fixture
def suppliers(shop):
    """Two more suppliers: one in AUD, one quoting in USD (1 USD = 1.50 AUD)."""
    finance.exchange_rate_create(actor=shop.owner, currency="USD", rate=D("1.5"), valid_from=timezone.localdate())
    local = partners.partner_create(actor=shop.owner, code="OZ", legal_name="Oz Fasteners", is_supplier=True)
    usd = partners.partner_create(
        actor=shop.owner, code="US", legal_name="US Fasteners", is_supplier=True, currency="USD"
    )
    return local, usd


def test_a_requisition_is_submitted_then_approved_or_rejected_by_an_approver(shop):
    client = shop.client()
    requisition = client.post("/api/v1/requisitions", {"notes": "For the Acme job"}, "application/json").json()
    assert requisition["number"] == "PR-00001" and requisition["requested_by_id"] == shop.owner.user_id
    empty = client.post(f"/api/v1/requisitions/{requisition['id']}/submit")
    assert empty.status_code == 400 and empty.json()["code"] == "no_lines"
    line = {"requisition": requisition["id"], "item": shop.item.pk, "quantity": "40", "note": "M10 x 40"}
    assert client.post("/api/v1/requisition-lines", line, "application/json").status_code == 201
    assert client.post(f"/api/v1/requisitions/{requisition['id']}/submit").json()["status"] == "submitted"

    buyer = shop.client(shop.member("purchasing"))  # raises orders, does not approve
    assert buyer.post(f"/api/v1/requisitions/{requisition['id']}/approve").status_code == 403
    rejected = client.post(
        f"/api/v1/requisitions/{requisition['id']}/reject", {"reason": "Use stock"}, "application/json"
    )
    assert rejected.json()["status"] == "rejected" and rejected.json()["rejection_reason"] == "Use stock"
    assert rejected.json()["rejected_by_id"] == shop.owner.user_id
    assert client.post(f"/api/v1/requisitions/{requisition['id']}/approve").status_code == 409

    with pytest.raises(PermissionDeniedError):  # the service holds the rule too
        services.requisition_approve(actor=shop.member("planner"), obj=approved_requisition(shop))


def test_an_rfq_quotes_an_approved_requisitions_lines(shop, suppliers):
    local, usd = suppliers
    draft = services.requisition_create(actor=shop.owner)
    with pytest.raises(ConflictError) as refused:
        services.request_for_quotation_create(actor=shop.owner, requisition=draft)
    assert (refused.value.code, refused.value.field) == ("not_approved", "requisition")
    requisition = approved_requisition(shop, (shop.item, "100"), (shop.lotted, "20"))
    rfq = services.request_for_quotation_create(actor=shop.owner, requisition=requisition, suppliers=[local.pk, usd.pk])
    assert rfq.number == "RFQ-00001"
    assert [(ln.item_id, ln.quantity) for ln in rfq.lines.order_by("id")] == [(shop.item.pk, 100), (shop.lotted.pk, 20)]
    assert [(s.supplier_id, s.currency) for s in rfq.suppliers.order_by("id")] == [(local.pk, "AUD"), (usd.pk, "USD")]
    with pytest.raises(DomainError) as customer:
        services.rfq_supplier_create(actor=shop.owner, rfq=rfq, supplier=shop.customer)
    assert customer.value.field == "supplier"


def test_compare_marks_the_cheapest_answer_in_the_organizations_currency(shop, suppliers):
    local, usd = suppliers
    requisition = approved_requisition(shop, (shop.item, "100"), (shop.lotted, "20"))
    rfq = services.request_for_quotation_create(
        actor=shop.owner, requisition=requisition, suppliers=[local.pk, usd.pk, shop.supplier.pk]
    )
    bolts, resin = rfq.lines.order_by("id")
    at_local, at_usd, at_blue = rfq.suppliers.order_by("id")
    answers = [
        (at_local, bolts, "1.0000", 5, None),  # 100.00 AUD
        (at_usd, bolts, "0.7000", 30, None),  # 70.00 USD = 105.00 AUD: the lower figure, not the cheaper
        (at_blue, bolts, "0.9000", 3, timezone.localdate() - timedelta(days=1)),  # cheapest, but expired
        (at_local, resin, "42.0000", 10, None),  # 840.00 AUD
        (at_usd, resin, "25.0000", 12, None),  # 500.00 USD = 750.00 AUD: cheapest
    ]
    for rfq_supplier, line, price, lead, valid_until in answers:
        services.supplier_quote_create(
            actor=shop.owner,
            rfq_supplier=rfq_supplier,
            rfq_line=line,
            unit_price=D(price),
            lead_time_days=lead,
            valid_until=valid_until,
        )
    services.request_for_quotation_send(actor=shop.owner, obj=rfq)
    compared = shop.client().get(f"/api/v1/rfqs/{rfq.pk}/compare")
    assert compared.status_code == 200
    body = compared.json()
    first, second = body["lines"]
    assert first["sku"] == "BLT-10" and first["cheapest_rfq_supplier_id"] == at_local.pk
    assert [
        (a["rfq_supplier_id"], a["total"], a["total_org"], a["cheapest"], a["expired"]) for a in first["answers"]
    ] == [
        (at_local.pk, "100.00", "100.00", True, False),
        (at_usd.pk, "70.00", "105.00", False, False),
        (at_blue.pk, "90.00", "90.00", False, True),
    ]
    assert second["cheapest_rfq_supplier_id"] == at_usd.pk
    assert [a["lead_time_days"] for a in second["answers"]] == [10, 12]
    totals = {s["code"]: (s["total"], s["total_org"], s["lines"]) for s in body["suppliers"]}
    assert totals == {"OZ": ("940.00", "940.00", 2), "US": ("570.00", "855.00", 2), "BLUE": ("90.00", "90.00", 1)}


def test_award_orders_each_line_from_its_cheapest_answer_at_the_quoted_price(shop, suppliers):
    local, usd = suppliers
    requisition = approved_requisition(shop, (shop.item, "100"), (shop.lotted, "20"))
    rfq = services.request_for_quotation_create(actor=shop.owner, requisition=requisition, suppliers=[local.pk, usd.pk])
    bolts, resin = rfq.lines.order_by("id")
    at_local, at_usd = rfq.suppliers.order_by("id")
    for rfq_supplier, line, price, lead in (
        (at_local, bolts, "1.0000", 5),
        (at_usd, bolts, "0.7000", 30),
        (at_local, resin, "42.0000", 10),
        (at_usd, resin, "25.0000", 12),
    ):
        services.supplier_quote_create(
            actor=shop.owner, rfq_supplier=rfq_supplier, rfq_line=line, unit_price=D(price), lead_time_days=lead
        )
    client = shop.client()
    assert client.post(f"/api/v1/rfqs/{rfq.pk}/award", {}, "application/json").status_code == 409  # not sent yet
    services.request_for_quotation_send(actor=shop.owner, obj=rfq)
    awarded = client.post(f"/api/v1/rfqs/{rfq.pk}/award", {}, "application/json")
    assert awarded.status_code == 201, awarded.content
    body = awarded.json()
    assert body["rfq"]["status"] == "awarded"
    orders = {o["partner_id"]: o for o in body["purchase_orders"]}
    assert set(orders) == {local.pk, usd.pk}
    today = timezone.localdate()
    local_order = PurchaseOrder.objects.get(pk=orders[local.pk]["id"])
    usd_order = PurchaseOrder.objects.get(pk=orders[usd.pk]["id"])
    assert local_order.rfq_id == rfq.pk and local_order.status == POStatus.DRAFT and local_order.currency == "AUD"
    assert [(ln.item_id, ln.quantity, ln.unit_price, ln.expected_date) for ln in local_order.lines.all()] == [
        (shop.item.pk, 100, D("1.0000"), today + timedelta(days=5))
    ]
    assert (usd_order.currency, usd_order.exchange_rate) == ("USD", D("1.5"))
    assert [(ln.item_id, ln.quantity, ln.unit_price, ln.net) for ln in usd_order.lines.all()] == [
        (shop.lotted.pk, 20, D("25.0000"), D("500.00"))
    ]
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.ORDERED and requisition.ordered_by_id == shop.owner.user_id
    assert client.post(f"/api/v1/rfqs/{rfq.pk}/award", {}, "application/json").status_code == 409  # once


def test_award_takes_the_buyers_choices(shop, suppliers):
    local, usd = suppliers
    requisition = approved_requisition(shop)
    rfq = services.request_for_quotation_create(actor=shop.owner, requisition=requisition, suppliers=[local.pk, usd.pk])
    line = rfq.lines.get()
    at_local, at_usd = rfq.suppliers.order_by("id")
    services.supplier_quote_create(actor=shop.owner, rfq_supplier=at_local, rfq_line=line, unit_price=D("1"))
    services.request_for_quotation_send(actor=shop.owner, obj=rfq)
    with pytest.raises(DomainError) as unanswered:
        services.request_for_quotation_award(
            actor=shop.owner, obj=rfq, choices=[{"line": line.pk, "supplier": at_usd.pk}]
        )
    assert (unanswered.value.code, unanswered.value.field) == ("no_quote", "choices")
    services.supplier_quote_create(actor=shop.owner, rfq_supplier=at_usd, rfq_line=line, unit_price=D("0.9"))
    (order,) = services.request_for_quotation_award(
        actor=shop.owner, obj=rfq, choices=[{"line": line.pk, "supplier": at_usd.pk}]
    )  # the dearer one (1.35 AUD a unit): the buyer's choice
    assert order.partner_id == usd.pk and order.lines.get().unit_price == D("0.9000")
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.AWARDED
    with pytest.raises(ConflictError):  # answers are final once awarded
        services.supplier_quote_update(actor=shop.owner, obj=line.quotes.first(), unit_price=D("0.5"))


def test_award_refuses_a_line_nobody_answered_validly(shop, suppliers):
    local, _usd = suppliers
    rfq = services.request_for_quotation_create(
        actor=shop.owner, requisition=approved_requisition(shop), suppliers=[local.pk]
    )
    services.supplier_quote_create(
        actor=shop.owner,
        rfq_supplier=rfq.suppliers.get(),
        rfq_line=rfq.lines.get(),
        unit_price=D("1"),
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    services.request_for_quotation_send(actor=shop.owner, obj=rfq)
    with pytest.raises(DomainError) as refused:
        services.request_for_quotation_award(actor=shop.owner, obj=rfq)
    assert refused.value.code == "no_quote" and "BLT-10" in refused.value.message
    assert not PurchaseOrder.objects.exists()


def test_compare_shows_an_answer_in_a_currency_without_a_rate_unranked(shop):
    eur = partners.partner_create(
        actor=shop.owner, code="EU", legal_name="EU Fasteners", is_supplier=True, currency="EUR"
    )
    rfq = services.request_for_quotation_create(
        actor=shop.owner, requisition=approved_requisition(shop), suppliers=[eur.pk, shop.supplier.pk]
    )
    line = rfq.lines.get()
    at_eur, at_blue = rfq.suppliers.order_by("id")
    services.supplier_quote_create(actor=shop.owner, rfq_supplier=at_eur, rfq_line=line, unit_price=D("0.10"))
    services.supplier_quote_create(actor=shop.owner, rfq_supplier=at_blue, rfq_line=line, unit_price=D("2.00"))
    body = shop.client().get(f"/api/v1/rfqs/{rfq.pk}/compare").json()
    eur_answer, blue_answer = body["lines"][0]["answers"]
    assert eur_answer["total_org"] is None and not eur_answer["cheapest"] and blue_answer["cheapest"]
    services.request_for_quotation_send(actor=shop.owner, obj=rfq)
    refused = shop.client().post(f"/api/v1/rfqs/{rfq.pk}/award", {}, "application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "no_exchange_rate"
