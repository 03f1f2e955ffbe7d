"""The inventory pages: they render the world's stock, hide and refuse stock actions without inventory.edit, move
stock through the services, and show the services' refusals (insufficient stock) on the field the person typed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from factoryos.inventory.models import CountSheet, StockLevel, StockMove
from factoryos.kernel.tenancy import org_scope
from tests.factories import HTMX, add_member, assert_page_shows, login_client, page_cases, page_text


@pytest.fixture
def viewer(member_client):
    return member_client("viewer")


def on_hand(world, item_label: str, location_label: str) -> Decimal:
    with org_scope(world.org):
        return StockLevel.objects.get(
            item_id=world.pk(item_label), location_id=world.pk(location_label), lot=None
        ).on_hand


PAGES = [
    ("inventory:location_list", None, ["Main plant", "WH1", "A-01", "B-01", "Bin", "Virtual locations", "~SUPPLIER"]),
    ("inventory:location_create", None, ["New location", "Create location", "Parent"]),
    ("inventory:location_edit", "inventory.location", ["Bin A-01", "Save location", "BRK-100", "HEAT-881"]),
    (
        "inventory:stock_list",
        None,
        ["BRK-100", "SHT-304-1.5", "HEAT-881", "A-01", "Available", "Total", "Receive stock"],
    ),
    ("inventory:move_list", None, ["PO-1001", "PO-1002", "Receipt", "~SUPPLIER", "HEAT-881"]),
    ("inventory:valuation", None, ["840.00", "720.00", "120.00", "Enclosures", "A-01"]),
    ("inventory:reorder", None, ["Reorder report"]),
    ("inventory:count_list", None, ["A-01", "Counting", "Start count"]),
    ("inventory:count_detail", "inventory.countsheet", ["Count of A-01", "BRK-100", "HEAT-881", "Post count"]),
    ("inventory:lot_trace", "inventory.lot", ["HEAT-881", "SHT-304-1.5", "PO-1002", "Where it went", "Made from"]),
]


@pytest.mark.parametrize(("name", "label", "expected"), page_cases(PAGES))
def test_owner_sees_each_page_with_the_worlds_data(world, owner, name, label, expected):
    assert_page_shows(owner, world, name, label, expected)


def test_navigation_lists_the_inventory_pages(owner):
    page = page_text(owner.get(reverse("core:home")))
    for url in ("/control/stock/", "/control/locations/", "/control/moves/", "/control/counts/"):
        assert f'href="{url}"' in page


def test_stock_list_filters_by_sku_and_location_and_refreshes_only_the_table(world, owner):
    response = owner.get(reverse("inventory:stock_list"), {"q": "SHT"}, **HTMX)
    page = page_text(response)
    assert "SHT-304-1.5" in page and "BRK-100" not in page and "<html" not in page
    page = page_text(owner.get(reverse("inventory:stock_list"), {"location": world.pk("inventory.location#bin2")}))
    assert "No stock matches." in page


def test_a_viewer_sees_no_action_buttons(world, viewer):
    stock = page_text(viewer.get(reverse("inventory:stock_list")))
    assert "BRK-100" in stock
    for button in ("Receive stock", "Transfer stock", "Adjust stock", "Issue stock"):
        assert button not in stock
    sheet = page_text(viewer.get(reverse("inventory:count_detail", args=[world.pk("inventory.countsheet")])))
    assert "BRK-100" in sheet and "Post count" not in sheet and "Add found item" not in sheet
    assert "/control/count-lines/" not in sheet  # no inline count inputs
    assert "New location" not in page_text(viewer.get(reverse("inventory:location_list")))
    assert "Start count" not in page_text(viewer.get(reverse("inventory:count_list")))


def test_a_viewer_is_refused_every_stock_action(world, viewer):
    o = world.objects
    posts = [
        (reverse("inventory:stock_receive"), {"receive-item": o["catalog.item"].pk, "receive-quantity": "5"}),
        (reverse("inventory:stock_transfer"), {}),
        (reverse("inventory:stock_adjust"), {}),
        (reverse("inventory:stock_issue"), {}),
        (reverse("inventory:location_create"), {"code": "X", "name": "X", "kind": "bin"}),
        (reverse("inventory:location_edit", args=[world.pk("inventory.location")]), {"code": "A-99"}),
        (reverse("inventory:count_create"), {"location": world.pk("inventory.location")}),
        (reverse("inventory:count_post", args=[world.pk("inventory.countsheet")]), {}),
        (reverse("inventory:count_line_add", args=[world.pk("inventory.countsheet")]), {}),
        (reverse("inventory:count_line_set", args=[world.pk("inventory.countline")]), {}),
    ]
    with org_scope(world.org):
        moves = StockMove.objects.count()
    for url, data in posts:
        assert viewer.post(url, data).status_code == 403, url
    with org_scope(world.org):
        assert StockMove.objects.count() == moves


def test_receiving_through_the_page_changes_the_level(world, owner):
    before = on_hand(world, "catalog.item", "inventory.location")
    response = owner.post(
        reverse("inventory:stock_receive"),
        {
            "receive-item": world.pk("catalog.item"),
            "receive-location": world.pk("inventory.location"),
            "receive-quantity": "6",
            "receive-unit_cost": "12.50",
            "receive-reference": "PO-3001",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Received 6 ea of BRK-100." in page_text(response)
    assert on_hand(world, "catalog.item", "inventory.location") == before + 6
    with org_scope(world.org):
        assert StockMove.objects.filter(reference="PO-3001", reason="receipt").count() == 1


def test_a_missing_lot_shows_on_the_lot_field(world, owner):
    response = owner.post(
        reverse("inventory:stock_receive"),
        {
            "receive-item": world.pk("catalog.item#sheet"),
            "receive-location": world.pk("inventory.location"),
            "receive-quantity": "1",
        },
    )
    assert response.status_code == 400
    assert re.search(r'id="id_receive-lot-error">[^<]*tracked by lot', response.content.decode())


def test_issuing_more_than_available_shows_the_message_on_quantity_and_moves_nothing(world, owner):
    with org_scope(world.org):
        moves = StockMove.objects.count()
    response = owner.post(
        reverse("inventory:stock_issue"),
        {
            "issue-item": world.pk("catalog.item"),
            "issue-location": world.pk("inventory.location"),
            "issue-quantity": "9",  # 10 on hand, 2 reserved
            "issue-reference": "WO-1",
        },
    )
    assert response.status_code in (400, 409)
    body = response.content.decode()
    error = re.search(r'<small class="error" id="id_issue-quantity-error">([^<]*)</small>', body)
    assert error and "Only 8 ea of BRK-100 available at A-01" in error.group(1)
    with org_scope(world.org):
        assert StockMove.objects.count() == moves
    assert on_hand(world, "catalog.item", "inventory.location") == 10


def test_transfer_and_adjust_through_the_page(world, owner):
    owner.post(
        reverse("inventory:stock_transfer"),
        {
            "transfer-item": world.pk("catalog.item"),
            "transfer-from_location": world.pk("inventory.location"),
            "transfer-to_location": world.pk("inventory.location#bin2"),
            "transfer-quantity": "3",
        },
    )
    assert on_hand(world, "catalog.item", "inventory.location#bin2") == 3
    response = owner.post(
        reverse("inventory:stock_adjust"),
        {
            "adjust-item": world.pk("catalog.item"),
            "adjust-location": world.pk("inventory.location#bin2"),
            "adjust-quantity": "-1",
            "adjust-reason": "damaged",
        },
    )
    assert response.status_code == 302
    assert on_hand(world, "catalog.item", "inventory.location#bin2") == 2


def test_posting_a_count_with_a_variance_creates_the_adjustment(world, owner):
    response = owner.post(reverse("inventory:count_create"), {"location": world.pk("inventory.location")})
    assert response.status_code == 302
    with org_scope(world.org):
        sheet = CountSheet.objects.order_by("-pk").first()
        bracket_line = sheet.lines.get(item_id=world.pk("catalog.item"))
        others = list(sheet.lines.exclude(pk=bracket_line.pk))
    assert response["Location"] == reverse("inventory:count_detail", args=[sheet.pk])
    row = owner.post(
        reverse("inventory:count_line_set", args=[bracket_line.pk]), {f"line-{bracket_line.pk}-counted": "7"}, **HTMX
    )
    assert row.status_code == 200
    assert page_text(row).startswith(f'<tr id="count-line-{bracket_line.pk}">') and "-3" in page_text(row)
    for line in others:
        owner.post(reverse("inventory:count_line_set", args=[line.pk]), {f"line-{line.pk}-counted": "4"})
    response = owner.post(reverse("inventory:count_post", args=[sheet.pk]), follow=True)
    assert "Posted: this sheet is read-only." in page_text(response)
    assert "Post count" not in page_text(response)
    with org_scope(world.org):
        move = StockMove.objects.get(reference=f"COUNT-{sheet.pk}")
    assert (move.reason, move.quantity, move.from_location_id) == ("count", 3, world.pk("inventory.location"))
    assert on_hand(world, "catalog.item", "inventory.location") == 7


def test_a_negative_count_is_refused_inline(world, owner):
    line = world.objects["inventory.countline"]
    row = owner.post(reverse("inventory:count_line_set", args=[line.pk]), {f"line-{line.pk}-counted": "-1"}, **HTMX)
    assert row.status_code == 400
    assert f'id="id_line-{line.pk}-counted-error"' in page_text(row)
    assert 'id="count-summary" hx-swap-oob="true"' in page_text(row)


def test_posting_an_uncounted_sheet_is_refused_with_the_reason(world, owner):
    owner.post(reverse("inventory:count_create"), {"location": world.pk("inventory.location")})
    with org_scope(world.org):
        sheet = CountSheet.objects.order_by("-pk").first()
    response = owner.post(reverse("inventory:count_post", args=[sheet.pk]))
    assert response.status_code == 400
    assert "Count every line before posting" in page_text(response)


def test_creating_a_location_under_the_warehouse(world, owner):
    response = owner.post(
        reverse("inventory:location_create"),
        {"code": "C-01", "name": "Bin C-01", "kind": "bin", "parent": world.pk("inventory.location#warehouse")},
    )
    assert response.status_code == 302
    page = page_text(owner.get(reverse("inventory:location_list")))
    assert "C-01" in page and "lvl-2" in page


def test_item_page_shows_stock_by_location_and_latest_moves(world):
    item = world.objects["catalog.item"]
    page = login_client(world.owner.user, world.org).get(f"/control/items/{item.pk}/").content.decode()
    assert 'id="stock"' in page and "A-01" in page and "PO-1001" in page  # 10 received into A-01, 2 reserved
    engineer = add_member(world.org, role="engineer")  # catalog and inventory view
    assert "A-01" in login_client(engineer.user, world.org).get(f"/control/items/{item.pk}/").content.decode()
