"""The shipping pages: they show the world's shipments and returns, walk a shipment from its order to shipped
(picking by hand included), print its packing slip, receive a return, and show refusals on the field at fault."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from factoryos.inventory.models import StockLevel
from factoryos.kernel.tenancy import org_scope
from factoryos.shipping.models import CustomerReturn, Shipment
from tests.factories import assert_page_shows, page_cases, page_text

D = Decimal

PAGES = [
    ("shipping:shipment_list", None, ["Shipments", "StarTrack", "Shipped", "Picking", "Packed"]),
    ("shipping:shipment_detail", "shipping.shipment", ["Picked", "PNL-200", "SH-01", "Pack", "Acme Switchgear"]),
    ("shipping:shipment_detail", "shipping.shipment#shipped", ["Shipped", "Bent in transit", "Return (RMA)"]),
    ("shipping:customerreturn_list", None, ["Customer returns", "Bent in transit", "Draft"]),
    ("shipping:customerreturn_create", None, ["New customer return", "Open return"]),
    ("shipping:customerreturn_detail", "shipping.customerreturn", ["QA-01", "PNL-200", "Receive into quarantine"]),
]


@pytest.mark.parametrize(("name", "label", "expected"), page_cases(PAGES))
def test_owner_sees_each_page_with_the_worlds_data(world, owner, name, label, expected):
    assert_page_shows(owner, world, name, label, expected)


def test_navigation_lists_shipments_and_returns(owner):
    page = page_text(owner.get(reverse("core:home")))
    for url in (reverse("shipping:shipment_list"), reverse("shipping:customerreturn_list")):
        assert f'href="{url}"' in page


def test_a_shipment_walks_from_its_order_to_shipped_on_the_pages(world, owner):
    order = world.objects["sales.salesorder#confirmed"]  # one bracket reserved at A-01
    response = owner.post(reverse("shipping:shipment_create", args=[order.pk]))
    with org_scope(world.org):
        shipment = Shipment.objects.get(order=order)
        line = shipment.lines.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "shipping:shipment_detail", args=[shipment.pk]
    )
    # more than is left to pick: refused on the quantity, nothing changed
    prefix = f"line-{line.pk}"
    refused = owner.post(
        reverse("shipping:shipment_line_edit", args=[line.pk]),
        {f"{prefix}-location": line.location_id, f"{prefix}-quantity": "3"},
    )
    assert refused.status_code == 400 and "is left to pick" in page_text(refused)
    edited = owner.post(
        reverse("shipping:shipment_edit", args=[shipment.pk]),
        {"carrier": "TNT", "tracking_number": "", "ship_to": shipment.ship_to, "notes": ""},
    )
    assert edited.status_code == 302
    for step in ("shipment_pack", "shipment_packing_slip", "shipment_ship"):
        assert owner.post(reverse(f"shipping:{step}", args=[shipment.pk])).status_code == 302
    page = page_text(owner.get(reverse("shipping:shipment_detail", args=[shipment.pk])))
    assert "TNT" in page and f"packing-slip-{shipment.number}.pdf" in page
    with org_scope(world.org):
        shipment.refresh_from_db()
        assert (shipment.status, shipment.carrier) == ("shipped", "TNT")
    again = owner.post(reverse("shipping:shipment_cancel", args=[shipment.pk]), follow=True)
    assert "cannot move from shipped to cancelled" in page_text(again)


def test_a_return_is_received_into_quarantine_on_the_pages(world, owner):
    rma = world.objects["shipping.customerreturn"]  # 1 panel of the shipped shipment, into QA-01
    quarantine = world.objects["inventory.location#quarantine"]
    refused = owner.post(
        reverse("shipping:customerreturn_line_add", args=[rma.pk]),
        {"add-item": world.pk("catalog.item"), "add-quantity": "1", "add-location": world.pk("inventory.location")},
    )
    assert refused.status_code == 400  # A-01 is not offered: only quarantine locations are
    assert owner.post(reverse("shipping:customerreturn_receive", args=[rma.pk])).status_code == 302
    with org_scope(world.org):
        assert CustomerReturn.objects.get(pk=rma.pk).status == "received"
        level = StockLevel.objects.get(item=world.objects["catalog.item#panel"], location=quarantine)
        assert (level.on_hand, level.reserved) == (D("1"), D("0"))


def test_a_viewer_sees_shipments_but_no_buttons(world, member_client):
    viewer = member_client("viewer")
    page = page_text(viewer.get(reverse("shipping:shipment_detail", args=[world.pk("shipping.shipment")])))
    assert "PNL-200" in page and ">Pack<" not in page
    refused = viewer.post(reverse("shipping:shipment_pack", args=[world.pk("shipping.shipment")]))
    assert refused.status_code == 403
