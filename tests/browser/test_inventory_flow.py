"""Inventory in a real browser: an owner of a built world receives stock into a bin through the stock page,
transfers part of it to another bin, counts the first bin and finds less than expected, posts the count, and reads
the stock value on the valuation page.

Screenshots go to test-artifacts/browser/inventory-*.png; the flow must trip no CSP rule and load nothing foreign."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.conftest import expect, fits_width, flash, pick, sign_in, submit

pytestmark = pytest.mark.browser

SCREENSHOT_PREFIX = {"test_inventory_receive_transfer_count_and_value": "inventory-"}
TABLET = {"width": 1024, "height": 768}


def test_inventory_receive_transfer_count_and_value(visit):
    # The world: bin A-01 holds 10 BRK-100 (at 12.00) and 4 SHT-304-1.5 of lot HEAT-881 (at 180.00); B-01 is empty.
    world = factories.make_world("Kestrel Steelworks Pty Ltd", upto="inventory")  # the stock as inventory left it
    page = visit.page
    sign_in(visit, world.owner.user.email)

    # 1. Receive 20 BRK-100 at 15.00 into A-01, from the sidebar's Stock page.
    with page.expect_navigation():
        page.locator(".sidebar").get_by_role("link", name="Stock", exact=True).click()
    receive = page.locator("#receive-form")
    pick(page, receive, "receive-item", "BRK-100", "BRK-100 · Bracket 100", press_enter=True)  # a scanner
    pick(page, receive, "receive-location", "A-01", "A-01 · Bin A-01")
    receive.locator("[name=receive-quantity]").fill("20")
    receive.locator("[name=receive-unit_cost]").fill("15.00")
    receive.locator("[name=receive-reference]").fill("PO-7001")
    submit(page, receive, "Receive stock")
    flash(page, "Received 20 ea of BRK-100.")
    row = page.locator("#stock-table tbody tr", has_text="BRK-100").filter(has_text="A-01")
    expect()(row.locator("td").nth(3)).to_have_text("30")
    visit.shot("stock-received")

    # 2. Transfer 5 of them to B-01.
    transfer = page.locator("#transfer-form")
    pick(page, transfer, "transfer-item", "bracket", "BRK-100 · Bracket 100")
    pick(page, transfer, "transfer-from_location", "A-01", "A-01 · Bin A-01")
    pick(page, transfer, "transfer-to_location", "B-01", "B-01 · Bin B-01")
    transfer.locator("[name=transfer-quantity]").fill("5")
    submit(page, transfer, "Transfer stock")
    flash(page, "Transferred 5 ea of BRK-100.")
    expect()(page.locator("#stock-table tbody tr", has_text="B-01").locator("td").nth(3)).to_have_text("5")

    # An issue of more than is available is refused on the quantity field.
    issue = page.locator("#issue-form")
    pick(page, issue, "issue-item", "BRK-100", "BRK-100 · Bracket 100")
    pick(page, issue, "issue-location", "B-01", "B-01 · Bin B-01")
    issue.locator("[name=issue-quantity]").fill("50")
    submit(page, issue, "Issue stock")
    expect()(page.locator("#id_issue-quantity-error")).to_contain_text("Only 5 ea of BRK-100 available at B-01")
    page.locator("#issue-form").scroll_into_view_if_needed()
    visit.shot("issue-refused")

    # 3. A count sheet of A-01: 25 BRK-100 expected, 23 found; the sheet's 4 are all there.
    with page.expect_navigation():
        page.locator(".sidebar").get_by_role("link", name="Counts").click()
    new = page.locator("#count-new")
    pick(page, new, "location", "A-01", "A-01 · Bin A-01")
    submit(page, new, "Start count")
    flash(page, "started")
    bracket = page.locator("table.count-lines tbody tr", has_text="BRK-100")
    sheet = page.locator("table.count-lines tbody tr", has_text="SHT-304-1.5")
    expect()(bracket.locator("td").nth(2)).to_have_text("25")
    for line, counted in ((bracket, "23"), (sheet, "4")):
        line.locator("input[type=number]").fill(counted)
        with page.expect_response(lambda r: "/count-lines/" in r.url and r.request.method == "POST"):
            line.get_by_role("button", name="Save").click()
        expect()(line.locator("[role=status]")).to_have_text("Saved")
    expect()(bracket.locator("td").nth(4)).to_have_text("-2")
    expect()(sheet.locator("td").nth(4)).to_have_text("0")
    expect()(page.locator("#count-summary")).to_have_text("2 of 2 lines counted · 1 variance")
    visit.shot("count-entered")
    submit(page, page.locator(".page-head"), "Post count")
    flash(page, "1 variance(s) adjusted")
    expect()(page.locator("#read-only")).to_contain_text("read-only")
    expect()(page.locator("table.count-lines input")).to_have_count(0)
    visit.shot("count-posted")

    # 4. Valuation: BRK-100 averages (10 x 12 + 20 x 15) / 30 = 14.00; 23 + 5 on hand = 392.00; the sheet 720.00.
    visit.goto("/control/stock/valuation/")
    expect()(page.locator("#valuation-total")).to_have_text("1112.00")
    expect()(page.locator("tr", has_text="B-01")).to_contain_text("70.00")
    visit.shot("valuation")

    # The ledger shows the count's adjustment, newest first.
    visit.goto("/control/moves/")
    expect()(page.locator("#move-table tbody tr").first).to_contain_text("Cycle count")
    visit.shot("moves")

    page.set_viewport_size(TABLET)
    for path in ("/control/stock/", "/control/moves/", "/control/locations/", "/control/stock/valuation/"):
        visit.goto(path)
        assert fits_width(page), f"{path} overflows a 1024 px wide tablet"
    visit.shot("locations-tablet")

    visit.assert_clean()
