"""Make to order in a real browser, through the sidebar and the pages only, as the organization's owner.

The catalog (set up with the services: the flow is about making, not about typing a catalog in): a cabinet CAB-1
made of one door DOR-1 (made of 2 sheets SHT-2, cut on the world's laser LSR1), welded on LSR1, then powder coated
by the world's supplier BLUE at 35.00 each (4 days); SHT-2 bought from BLUE (42.00 from 1, 38.00 from 10), none in
stock. A confirmed sales order for 2 cabinets to ACME.

Plan: MRP (the background job run by the test: the live server has no task worker) proposes making 2 CAB-1 and 2
DOR-1 and buying 4 SHT-2; the three are firmed. Buy: the sheet's purchase order is submitted, sent and received.
Make: the door's work order is released and run on the tablet; the cabinet's is released (its powder coat raises a
service purchase order to BLUE), welded on the tablet with its in-process check (the diagonal, 1200 +/- 2 mm)
measured and recorded, sent to BLUE, the service order submitted and sent, and the
cabinets received back: the order is Completed, its outside cost 2 x 35.00 = 70.00 planned and actual. Ship: the 2
cabinets are in stock, shipped and invoiced (2 x 1,250.00 = 2,500.00 net, 250.00 GST, 2,750.00).

At 1024x768 (a tablet) the job pages fit the width and their buttons are at least 48 px tall (Start, Setup done,
Report, Pause...).

Screenshots go to test-artifacts/browser/make-*.png; the flow must trip no CSP rule and load nothing foreign."""

from __future__ import annotations

import re
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.conftest import DESKTOP, expect, fits_width, flash, pick, sign_in, submit
from tests.browser.test_order_to_cash_flow import follow, line_money, line_row, menu, move, status, totals

pytestmark = pytest.mark.browser

SCREENSHOT_PREFIX = {"test_make_to_order_through_the_pages": "make-"}
TABLET = {"width": 1024, "height": 768}
D = Decimal


def build_cabinet(world) -> str:
    """The cabinet's catalog and a confirmed order for 2 of them; the world's calendar works Monday to Friday.
    Returns the sales order's number."""
    from factoryos.catalog import services as catalog
    from factoryos.facilities import services as facilities
    from factoryos.kernel.tenancy import org_scope
    from factoryos.partners import services as partners
    from factoryos.sales import services as sales

    owner, objects = world.owner, world.objects
    ea, laser = objects["catalog.unitofmeasure"], objects["facilities.workcenter"]
    blue, acme = objects["partners.partner#supplier"], objects["partners.partner"]
    with org_scope(world.org):
        for weekday in range(1, 5):  # the world's calendar has a Monday shift only
            facilities.shift_create(
                actor=owner, calendar=objects["facilities.calendar"], weekday=weekday, name="Day",
                start=time(7, 0), end=time(15, 30),
            )  # fmt: skip
        sheet = catalog.item_create(
            actor=owner, sku="SHT-2", name="Sheet 2 mm", item_type="raw", uom=ea, standard_cost=D("40.00")
        )
        supplied = partners.supplier_item_create(
            actor=owner, supplier=blue, item=sheet, supplier_sku="BS-2", lead_time_days=3, preferred=True
        )
        for least, price in (("1", "42.00"), ("10", "38.00")):
            partners.supplier_price_break_create(
                actor=owner, supplier_item=supplied, min_quantity=D(least), unit_price=D(price)
            )
        door = catalog.item_create(actor=owner, sku="DOR-1", name="Cabinet door", item_type="subassembly", uom=ea)
        bom = catalog.bom_create(actor=owner, item=door)
        catalog.operation_add(
            actor=owner, bom=bom, work_center=laser, description="Cut", setup_minutes=D("5"),
            run_minutes_per_unit=D("3"),
        )  # fmt: skip
        catalog.bom_line_add(actor=owner, bom=bom, component=sheet, quantity=D("2"))
        catalog.bom_release(actor=owner, obj=bom)
        cabinet = catalog.item_create(actor=owner, sku="CAB-1", name="Cabinet", item_type="finished", uom=ea)
        bom = catalog.bom_create(actor=owner, item=cabinet)
        weld = catalog.operation_add(
            actor=owner, bom=bom, work_center=laser, description="Weld", setup_minutes=D("10"),
            run_minutes_per_unit=D("12"),
        )  # fmt: skip
        catalog.operation_check_add(
            actor=owner, operation=weld, name="Diagonal", kind="measure", nominal=D("1200"), minus=D("2"),
            plus=D("2"), unit="mm",
        )  # fmt: skip
        catalog.operation_add(
            actor=owner, bom=bom, work_center=laser, description="Powder coat", supplier=blue,
            outside_price=D("35.00"), outside_lead_days=4,
        )  # fmt: skip
        catalog.bom_line_add(actor=owner, bom=bom, component=door, quantity=D("1"))
        catalog.bom_release(actor=owner, obj=bom)
        order = sales.sales_order_create(actor=owner, partner=acme, customer_reference="ACME-PO-8810")
        sales.sales_order_line_create(
            actor=owner, order=order, item=cabinet, quantity=D("2"), unit_price=D("1250.00"),
            promised_date=timezone.localdate() + timedelta(days=28),
        )  # fmt: skip
        sales.sales_order_confirm(actor=owner, obj=order)
        return order.number


def run_queued_mrp(world) -> None:
    """What the task worker would do with the run the page started: run its job (jobs.run, as the worker does)."""
    from factoryos.jobs import services as jobs
    from factoryos.jobs.models import Job, JobStatus
    from factoryos.kernel.tenancy import org_scope
    from factoryos.mrp import services as mrp

    with org_scope(world.org):
        job = Job.objects.filter(kind=mrp.JOB_KIND, status=JobStatus.QUEUED).latest("pk")
    jobs.run(world.org.pk, job.pk, mrp.mrp_job)


def planned(page, sku: str):
    return page.locator("#plannedorder-table tbody tr:not(.group)", has_text=sku)


def tall_enough(page, *buttons: str) -> None:
    """Each named button of the page's main area is drawn at least 48 px tall (a gloved finger on a tablet)."""
    for name in buttons:
        box = page.locator("main").get_by_role("button", name=name, exact=True).bounding_box()
        assert box is not None and box["height"] >= 48, f"{name}: {box}"


def on_the_tablet(page) -> None:
    """The page at 1024x768: the sidebar slides away (wait for it), and nothing is wider than the screen."""
    page.set_viewport_size(TABLET)
    page.wait_for_function("() => document.querySelector('.sidebar').getBoundingClientRect().right <= 0")
    assert fits_width(page), "the job page is wider than the tablet"


def run_operation(visit, quantity: str, measure: tuple[str, str] | None = None) -> None:
    """On the job page: Start (setting up: both operations plan a setup), Setup done, record the in-process check
    (``measure``: its name and the value measured), then report the good ones and complete (all on the tablet)."""
    page = visit.page
    on_the_tablet(page)
    tall_enough(page, "Start")
    submit(page, page.locator("main"), "Start")
    flash(page, "your time is running, as setup")
    expect()(page.locator("h1")).to_contain_text("Running")
    expect()(page.locator("h1 #phase")).to_have_text("Setting up")
    on_the_tablet(page)
    tall_enough(page, "Setup done")
    submit(page, page.locator("main"), "Setup done")
    flash(page, "Setup done on")
    expect()(page.locator("h1 #phase")).to_have_count(0)
    if measure is not None:
        name, value = measure
        page.get_by_label(f"{name} measured").fill(value)
        tall_enough(page, "Record")
        submit(page, page.locator("#checks"), "Record")
        flash(page, f"{name}: pass.")
        expect()(page.locator("#checks .tag")).to_contain_text(f"last: {value} mm · pass")
    on_the_tablet(page)
    tall_enough(page, "Report", "Report and complete", "Pause")
    page.locator("#report [name=good]").fill(quantity)
    submit(page, page.locator("#report"), "Report and complete")
    flash(page, "done.")
    expect()(page.locator("h1")).to_contain_text("Done")
    expect()(page.locator("#good")).to_have_text(quantity)
    page.set_viewport_size(DESKTOP)


def open_work_order(page, number: str, sku: str) -> None:
    """Make > Work orders, then the order (drafted by MRP) by its number."""
    menu(page, "Work orders")
    row = page.locator("#workorder-table tbody tr", has_text=number)
    expect()(row.locator("td").nth(1)).to_contain_text(sku)
    expect()(row.locator("td").nth(7)).to_have_text("MRP")
    follow(page, row, number)
    status(page, "Draft")


def floor_job(page, number: str, sequence: int) -> None:
    """Make > Shop floor, the laser's tile, then the work order's operation in its queue."""
    menu(page, "Shop floor")
    with page.expect_navigation():
        page.locator("a.floor-tile", has_text="LSR1").click()
    with page.expect_navigation():
        page.locator("a.floor-job", has_text=number).filter(has_text=f"op {sequence}").click()
    expect()(page.locator("main p.muted").first).to_contain_text(f"{number} op {sequence}")


def release(page, number: str) -> None:
    submit(page, page.locator(".page-head"), "Release")
    flash(page, f"Work order {number} released to the floor")
    status(page, "Released")


def test_make_to_order_through_the_pages(visit):
    world = factories.make_world("Kestrel Steelworks Pty Ltd")
    order_number = build_cabinet(world)
    page = visit.page
    sign_in(visit, world.owner.user.email)

    # 1. Plan: run MRP from its page. The run is a background job and the live server has no worker: the test runs
    # the queued job as the worker would, and the page's progress panel (polling every second) says it is done.
    menu(page, "MRP")
    expect()(page.locator("h1")).to_have_text("Material requirements")
    submit(page, page.locator("#run-form"), "Run MRP")
    flash(page, "started: this page shows its progress")
    run_queued_mrp(world)
    expect()(page.locator("#mrp-job")).to_contain_text("done:")
    follow(page, page.locator("#mrp-job"), "Show the plan")
    # 2 cabinets for the order, 2 doors for them, 4 sheets for the doors, bought from BLUE.
    for sku, source, quantity, supplier in (
        ("CAB-1", "Make (work order)", "2", "—"),
        ("DOR-1", "Make (work order)", "2", "—"),
        ("SHT-2", "Buy (purchase order)", "4", "BLUE"),
    ):
        row = planned(page, sku)
        expect()(row).to_have_count(1)
        cells = row.locator("td")
        expect()(cells.nth(2)).to_have_text(source)
        expect()(cells.nth(3)).to_have_text(f"{quantity} ea")
        expect()(cells.nth(6)).to_have_text(supplier)
    expect()(planned(page, "CAB-1").locator("td").nth(7)).to_contain_text(order_number)
    visit.shot("mrp-proposed")

    for sku in ("CAB-1", "DOR-1", "SHT-2"):
        planned(page, sku).locator("input[name=planned_orders][form=firm-form]").check()
    submit(page, page.locator("#firm-form"), "Firm the ticked orders")
    flash(page, "Firmed as PO-")
    # Each proposal now names the order it became; the flash lists the purchase order first, then the work orders.
    firmed = {sku: planned(page, sku).locator("td").last.inner_text().strip() for sku in ("CAB-1", "DOR-1", "SHT-2")}
    sheet_po, door_wo, cabinet_wo = firmed["SHT-2"], firmed["DOR-1"], firmed["CAB-1"]
    assert re.fullmatch(r"PO-\d+", sheet_po) and re.fullmatch(r"WO-\d+", door_wo), firmed
    assert re.fullmatch(r"WO-\d+", cabinet_wo) and cabinet_wo != door_wo, firmed
    message = page.locator(".flash").inner_text()
    found = re.search(r"Firmed as (PO-\d+), (WO-\d+), (WO-\d+)", message)
    assert found and found.group(1) == sheet_po and {found.group(2), found.group(3)} == {door_wo, cabinet_wo}, message
    visit.shot("mrp-firmed")

    # 2. Buy the sheet: the firmed purchase order (4 x 42.00, BLUE's price for 1 and more), submitted, sent, received.
    menu(page, "Purchase orders")
    follow(page, page.locator("main table"), sheet_po)
    status(page, "Draft")
    line_money(page, "SHT-2", "168.00", "16.80", "184.80")
    move(page, "Submit")
    status(page, "Approved")
    move(page, "Mark as sent")
    status(page, "Sent")
    form = page.locator("#receive")
    pick(page, form, "receive-location", "A-01", "A-01 · Bin A-01")
    submit(page, form, "Start receipt")
    flash(page, "started: check the quantities")
    submit(page, page.locator(".page-head"), "Post into stock")
    status(page, "Posted")
    follow(page, page.locator(".page-head"), sheet_po)
    status(page, "Received")
    visit.shot("sheet-received")

    # 3. The door: release its work order (the sheets are reserved), cut both on the tablet.
    open_work_order(page, door_wo, "DOR-1")
    release(page, door_wo)
    material = page.locator("#material-SHT-2 td")
    expect()(material.nth(2)).to_contain_text("4")  # needed
    expect()(material.nth(3)).to_have_text("4")  # reserved
    visit.shot("door-released")
    follow(page, page.locator("#op-10"), "Open on the floor")
    expect()(page.locator("h1")).to_contain_text("Cut")
    visit.shot("door-job")
    run_operation(visit, "2")
    follow(page, page.locator("main"), door_wo)
    status(page, "Completed")
    expect()(page.locator("#material-SHT-2 td").nth(4)).to_have_text("4")  # issued (backflushed)
    visit.shot("door-completed")

    # 4. The cabinet: releasing it raises a draft service purchase order to BLUE for the powder coat.
    open_work_order(page, cabinet_wo, "CAB-1")
    release(page, cabinet_wo)
    expect()(page.locator("#material-DOR-1 td").nth(3)).to_have_text("2")  # the doors just made, reserved
    coat = page.locator("#op-20")
    expect()(coat).to_contain_text(re.compile(r"Powder coat at BLUE, PO-\d+"))
    coat_po = re.search(r"PO-\d+", coat.inner_text()).group(0)
    assert coat_po != sheet_po
    expect()(page.locator("#planned-cost td").nth(3)).to_have_text("70.00")  # 2 x 35.00
    visit.shot("cabinet-released")

    # Weld both on the tablet.
    follow(page, page.locator("#op-10"), "Open on the floor")
    expect()(page.locator("h1")).to_contain_text("Weld")
    run_operation(visit, "2", measure=("Diagonal", "1200.5"))  # within 1200 +/- 2 mm

    # The powder coat, from the shop floor: LSR1's queue, the cabinet's op 20, done outside.
    floor_job(page, cabinet_wo, 20)
    expect()(page.locator("h1")).to_contain_text("Powder coat")
    outside = page.locator("#outside")
    expect()(outside.locator("h2")).to_have_text("Outside processing")
    expect()(outside).to_contain_text(coat_po)
    expect()(page.get_by_role("button", name="Start", exact=True)).to_have_count(0)  # nobody starts it here
    on_the_tablet(page)
    tall_enough(page, "Send to supplier")
    visit.shot("coat-job")
    submit(page, outside, "Send to supplier")
    flash(page, "Sent to the supplier")
    expect()(page.locator("h1")).to_contain_text("At supplier")
    expect()(page.locator("#outside")).to_contain_text("2 at the supplier now")
    page.set_viewport_size(DESKTOP)

    # The service order must be sent before anything comes back: submit it and mark it sent from its page.
    follow(page, page.locator("#outside"), coat_po)
    status(page, "Draft")
    expect()(line_row(page, "Powder coat")).to_contain_text(f"{cabinet_wo} op 20")
    move(page, "Submit")
    status(page, "Approved")
    move(page, "Mark as sent")
    status(page, "Sent")
    visit.shot("coat-po-sent")

    # Back on the floor: both cabinets come back good.
    floor_job(page, cabinet_wo, 20)
    on_the_tablet(page)
    tall_enough(page, "Received back")
    page.locator("#outside [name=good]").fill("2")
    submit(page, page.locator("#outside"), "Received back")
    flash(page, "Received back from the supplier")
    expect()(page.locator("h1")).to_contain_text("Done")
    on_the_tablet(page)
    visit.shot("coat-received")
    page.set_viewport_size(DESKTOP)

    # 5. The cabinet's work order is completed; its outside cost is the service order's 2 x 35.00, as planned.
    follow(page, page.locator("main"), cabinet_wo)
    status(page, "Completed")
    expect()(page.locator("#op-20")).to_contain_text("Done")
    expect()(page.locator("#planned-cost th")).to_have_text("Planned")
    expect()(page.locator("#actual-cost th")).to_have_text("Actual")
    expect()(page.locator("#planned-cost td").nth(3)).to_have_text("70.00")
    expect()(page.locator("#actual-cost td").nth(3)).to_have_text("70.00")
    visit.shot("cabinet-completed")

    # 6. The 2 cabinets are in stock (Control > Stock), under the warehouse the work order put them in.
    menu(page, "Stock")
    row = page.locator("#stock-table tbody tr", has_text="CAB-1")
    expect()(row).to_have_count(1)
    expect()(row.locator("td").nth(1)).to_contain_text("WH1")
    expect()(row.locator("td").nth(3)).to_have_text("2")
    visit.shot("cabinets-in-stock")

    # Ship them from the order, invoice the shipment and issue the invoice: 2 x 1,250.00 + 10 % GST.
    menu(page, "Sales orders")
    follow(page, page.locator("main table"), order_number)
    status(page, "Confirmed")
    submit(page, page.locator("main"), "Ship what is left")
    flash(page, "started: check what is picked")
    submit(page, page.locator(".page-head"), "Pack")
    flash(page, "packed")
    submit(page, page.locator(".page-head"), "Ship")
    flash(page, "shipped: the stock has left")
    status(page, "Shipped")
    shipment_number = page.locator("h1").inner_text().split()[1]
    visit.shot("shipped")
    follow(page, page.locator(".page-head"), order_number)
    status(page, "Shipped")
    expect()(line_row(page, "CAB-1").locator("td").nth(9)).to_have_text("2")  # shipped

    menu(page, "Invoices")
    follow(page, page.locator("main"), "From a shipment")
    form = page.locator("main form")
    form.locator("[name=shipment]").select_option(label=shipment_number)
    submit(page, form, "Draft it")
    flash(page, "drafted from the shipment")
    line_money(page, "CAB-1", "2,500.00", "250.00", "2,750.00")
    move(page, "Issue")
    flash(page, "issued, due")
    status(page, "Issued")
    totals(page, "2,500.00", "250.00", "2,750.00")
    visit.shot("invoice-issued")

    visit.assert_clean()
