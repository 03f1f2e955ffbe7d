"""Control in a real browser: an owner sets up a unit, a site with a calendar and a work center, creates three items
through the item form, builds a two-level BOM in the BOM editor (a welded frame from steel bar, a workbench from two
frames), releases both revisions, reads the workbench's indented BOM tree and rolled-up cost on its item page, and
adds a customer.

Screenshots go to test-artifacts/browser/control-*.png; the flow must trip no CSP rule and load nothing foreign."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.browser.conftest import expect, fits_width, flash, pick, sign_in, submit

pytestmark = pytest.mark.browser

SCREENSHOT_PREFIX = {"test_control_two_level_bom_through_the_pages": "control-"}
TABLET = {"width": 1024, "height": 768}


def create_item(visit, *, sku: str, name: str, item_type: str, cost: str = "") -> None:
    page = visit.page
    visit.goto("/control/items/new/")
    form = page.locator("main form")
    form.locator("[name=sku]").fill(sku)
    form.locator("[name=name]").fill(name)
    form.locator("[name=item_type]").select_option(item_type)
    form.locator("[name=uom]").select_option(label="ea")
    if cost:
        form.locator("[name=standard_cost]").fill(cost)
    submit(page, form, "Create item")
    flash(page, f"Item {sku} created.")
    expect()(page.get_by_role("heading", level=1)).to_contain_text(name)


def add_line(page, *, search: str, label: str, quantity: str) -> None:
    """Find the component with its picker (htmx lists the matches), then add the line (htmx swaps the panel)."""
    form = page.locator("#line-add")
    pick(page, form, "component", search, label)
    form.locator("[name=quantity]").fill(quantity)
    with page.expect_response(lambda r: r.url.endswith("/lines/") and r.request.method == "POST"):
        form.get_by_role("button", name="Add line").click()
    sku = label.split(" · ")[0]
    expect()(page.locator("#bom-lines table tbody tr", has_text=sku)).to_have_count(1)


def release(page, revision: int, sku: str) -> None:
    submit(page, page.locator(".page-head"), f"Release revision {revision}")
    flash(page, f"Revision {revision} of {sku} released.")
    expect()(page.locator("#read-only")).to_contain_text("read-only")


def test_control_two_level_bom_through_the_pages(visit):
    org, owner = factories.make_org("Kestrel Steelworks Pty Ltd")
    page = visit.page

    # 1. Log in through the login page.
    sign_in(visit, owner.user.email)

    # 2. A unit, from the sidebar's Control section.
    with page.expect_navigation():
        page.locator(".sidebar").get_by_role("link", name="Units").click()
    units = page.locator("form[action='/control/units/']")
    units.locator("[name=code]").fill("ea")
    units.locator("[name=name]").fill("Each")
    units.locator("[name=kind]").select_option("count")
    submit(page, units, "Add unit")
    flash(page, "Unit ea added.")
    visit.shot("units")

    # 3. A site, its calendar with a Monday-to-Friday day shift, and a welding work center.
    visit.goto("/control/sites/new/")
    site = page.locator("main form")
    site.locator("[name=code]").fill("DAN")
    site.locator("[name=name]").fill("Dandenong works")
    site.locator("[name=city]").fill("Dandenong South")
    site.locator("[name=state]").fill("VIC")
    site.locator("[name=time_zone]").select_option("Australia/Melbourne")
    submit(page, site, "Create site")
    flash(page, "Site DAN created.")
    calendar = page.locator("form[action$='/calendars/new/']")
    calendar.locator("[name=name]").fill("Day crew")
    submit(page, calendar, "Add calendar")
    shift = page.locator("#shifts form")
    shift.locator("[name=start]").fill("06:00")
    shift.locator("[name=end]").fill("14:30")
    shift.get_by_role("button", name="Add shift").click()
    expect()(page.locator("#shifts .panel-head")).to_contain_text("42.5 hours a week")
    expect()(page.locator("svg.week-grid .wk-shift")).to_have_count(5)
    holiday = page.locator("#holidays form").last
    holiday.locator("[name=date]").fill("2026-12-25")
    holiday.locator("[name=name]").fill("Christmas Day")
    holiday.get_by_role("button", name="Add holiday").click()
    expect()(page.locator("#holidays table")).to_contain_text("Christmas Day")
    visit.shot("calendar")

    visit.goto("/control/work-centers/new/")
    wc = page.locator("main form")
    wc.locator("[name=code]").fill("WLD1")
    wc.locator("[name=name]").fill("Weld cell 1")
    wc.locator("[name=kind]").select_option("welding")
    wc.locator("[name=machine_rate]").fill("40")
    wc.locator("[name=labour_rate]").fill("60")
    submit(page, wc, "Create work center")
    flash(page, "Work center WLD1 created.")
    visit.shot("work-centers")

    # 4. Three items through the item form.
    create_item(visit, sku="STL-BAR-20", name="Steel bar 20 mm", item_type="raw", cost="12.50")
    create_item(visit, sku="FRM-100", name="Welded frame", item_type="subassembly")
    create_item(visit, sku="TBL-900", name="Workbench 1800", item_type="finished")
    visit.goto("/control/items/")
    page.locator("#item-filters [name=q]").fill("frm")
    expect()(page.locator("#item-table tbody tr")).to_have_count(1)
    page.locator("#item-filters [name=q]").fill("")
    expect()(page.locator("#item-table tbody tr")).to_have_count(3)
    visit.shot("items")

    # 5. The frame's BOM: 4 bars, welded at WLD1; a blank line first shows the form's errors in place.
    with page.expect_navigation():
        page.locator("#item-table").get_by_role("link", name="FRM-100").click()
    submit(page, page.locator(".page-head"), "Create BOM")
    flash(page, "Draft revision 1 of FRM-100 started.")
    page.locator("#line-add").get_by_role("button", name="Add line").click()
    expect()(page.locator("#line-add .error").first).to_contain_text("This field is required")
    visit.shot("bom-line-error")
    add_line(page, search="STL", label="STL-BAR-20 · Steel bar 20 mm", quantity="4")
    ops = page.locator("#operation-add")
    ops.locator("[name=work_center]").select_option(label="WLD1 · Weld cell 1")
    ops.locator("[name=description]").fill("Weld frame")
    ops.locator("[name=setup_minutes]").fill("15")
    ops.locator("[name=run_minutes_per_unit]").fill("12")
    ops.get_by_role("button", name="Add operation").click()
    expect()(page.locator("#bom-operations table tbody")).to_contain_text("Weld frame")
    # the new operation is offered to the lines at once (the lines panel came along out of band)
    expect()(page.locator("#line-add [name=operation] option", has_text="Weld frame")).to_have_count(1)
    page.locator("#bom-lines").get_by_role("button", name="Edit line 10").click()
    expect()(page.locator("#bom-lines tr.editing")).to_be_visible()
    page.locator("#bom-lines tr.editing [name$=operation]").select_option(label="10 Weld frame")
    page.locator("#bom-lines tr.editing [name$=reference]").fill("Cut to 1750 mm")
    visit.shot("bom-line-edit")
    page.locator("#bom-lines tr.editing").get_by_role("button", name="Save line").click()
    expect()(page.locator("#bom-lines tbody tr", has_text="STL-BAR-20")).to_contain_text("Cut to 1750 mm")
    visit.shot("bom-frame-draft")
    release(page, 1, "FRM-100")
    visit.shot("bom-frame-released")

    # 6. The workbench uses two frames.
    visit.goto("/control/items/")
    with page.expect_navigation():
        page.locator("#item-table").get_by_role("link", name="TBL-900").click()
    submit(page, page.locator(".page-head"), "Create BOM")
    add_line(page, search="frame", label="FRM-100 · Welded frame", quantity="2")
    release(page, 1, "TBL-900")

    # 7. The workbench's item page: both levels indented, and the cost rolled up.
    #    Frame: 4 x 12.50 = 50.00 material; 15 + 12 = 27 min -> labour 27.00, machine 18.00; total 95.00.
    #    Workbench: 2 frames = 190.00 material, no routing.
    with page.expect_navigation():
        page.locator(".page-head").get_by_role("link", name="Workbench 1800").click()
    tree = page.locator("#bom table.bom-tree")
    level1 = tree.locator("tr.level-1")
    level2 = tree.locator("tr.level-2")
    expect()(level1).to_have_count(1)
    expect()(level2).to_have_count(1)
    expect()(level1).to_contain_text("FRM-100")
    expect()(level2).to_contain_text("STL-BAR-20")
    assert re.search(r"\b8\b", level2.locator("td").nth(5).inner_text())  # 2 frames x 4 bars
    indent_1 = level1.locator(".tree-node").bounding_box()["x"]
    indent_2 = level2.locator(".tree-node").bounding_box()["x"]
    assert indent_2 > indent_1 + 10, (indent_1, indent_2)
    cost = page.locator("#cost table")
    expect()(cost.locator("tr", has_text="Material")).to_contain_text("190.00")
    expect()(cost.locator("tr.total")).to_contain_text("190.00")
    expect()(level1).to_contain_text("95.00")
    visit.shot("item-tree")

    visit.goto("/control/items/")
    with page.expect_navigation():
        page.locator("#item-table").get_by_role("link", name="FRM-100").click()
    cost = page.locator("#cost table")
    expect()(cost.locator("tr", has_text="Labour")).to_contain_text("27.00")
    expect()(cost.locator("tr", has_text="Machine")).to_contain_text("18.00")
    expect()(cost.locator("tr.total")).to_contain_text("95.00")
    expect()(page.locator("#where-used")).to_contain_text("TBL-900")
    visit.shot("item-frame")

    # 8. A customer, from the sidebar's Sell section: the form comes with "customer" ticked.
    with page.expect_navigation():
        page.locator(".sidebar").get_by_role("link", name="Customers").click()
    with page.expect_navigation():
        page.get_by_role("button", name="New customer").click()
    partner = page.locator("main form").first
    expect()(partner.locator("[name=is_customer]")).to_be_checked()
    partner.locator("[name=code]").fill("TASM")
    partner.locator("[name=legal_name]").fill("Tasman Electrical Pty Ltd")
    partner.locator("[name=credit_limit]").fill("25000")
    submit(page, partner, "Create partner")
    flash(page, "Tasman Electrical Pty Ltd added.")
    visit.goto("/customers/?q=tasm")
    expect()(page.locator("#partner-table tbody tr")).to_contain_text(["TASM"])
    visit.shot("customers")

    # 9. A tablet: no page scrolls sideways.
    page.set_viewport_size(TABLET)
    for path in (page.url, "/control/items/", "/control/boms/"):
        visit.goto(path)
        assert fits_width(page), f"{path} overflows a 1024 px wide tablet"
    visit.shot("boms-tablet")
    with page.expect_navigation():
        page.locator("#bom-table").get_by_role("link", name="rev 1").first.click()
    assert fits_width(page)
    visit.shot("bom-tablet")
    visit.goto("/control/items/?q=TBL")
    with page.expect_navigation():
        page.locator("#item-table").get_by_role("link", name="TBL-900").click()
    assert fits_width(page)
    visit.shot("item-tablet")
    visit.goto("/control/sites/")
    with page.expect_navigation():
        page.locator("#site-table").get_by_role("link", name="Day crew").click()
    assert fits_width(page)
    visit.shot("calendar-tablet")

    visit.assert_clean()
