"""Order to cash and procure to pay in a real browser, through the sidebar and the pages only.

Sell: the owner of a built world quotes the world's customer (its price list prices the bracket), sends and accepts
the quote, confirms the order, starts a shipment from the order, packs and ships it, invoices the shipment, issues
the invoice, records the customer's payment and allocates it: the invoice reads Paid with the totals worked out by
hand below.

Buy: a requisition for sheet, submitted and approved, an RFQ to two suppliers with their answers, the cheaper one
awarded as a purchase order, submitted and sent, received into a bin (lot-tracked: the lot is typed on the receipt
line), posted, billed from the order (matched), approved, and paid.

Screenshots go to test-artifacts/browser/o2c-*.png and p2p-*.png; the flows must trip no CSP rule and load nothing
foreign."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.browser.conftest import expect, flash, pick, sign_in, submit

pytestmark = pytest.mark.browser

SCREENSHOT_PREFIX = {
    "test_order_to_cash_through_the_pages": "o2c-",
    "test_procure_to_pay_through_the_pages": "p2p-",
}


def follow(page, scope, link: str) -> None:
    """A link, or a link drawn as a button (``<a role="button">``)."""
    target = scope.get_by_role("link", name=link, exact=True).or_(scope.get_by_role("button", name=link, exact=True))
    with page.expect_navigation():
        target.first.click()


def menu(page, entry: str) -> None:
    follow(page, page.locator(".sidebar"), entry)


def move(page, button: str) -> None:
    """A move of the shared document page (finance/document.html): its button in the page head, or in the panel of
    the next steps when the move asks for something (a reason, a reference, an email's text)."""
    submit(page, page.locator(".page-head, .document-steps"), button)


def status(page, text: str) -> None:
    expect()(page.locator("h1")).to_contain_text(text)


def totals(page, net: str, tax: str, total: str) -> None:
    """The document's total row: net, tax, total."""
    row = page.locator("table.document-lines tfoot tr.total th")
    expect()(row.nth(1)).to_have_text(net)
    expect()(row.nth(2)).to_have_text(tax)
    expect()(page.locator("#document-total")).to_have_text(total)


def line_row(page, text: str):
    return page.locator("table.document-lines tbody tr", has_text=text)


def line_money(page, text: str, net: str, tax: str, gross: str) -> None:
    cells = line_row(page, text).locator("td")
    expect()(cells.nth(6)).to_have_text(net)
    expect()(cells.nth(7)).to_have_text(tax)
    expect()(cells.nth(8)).to_have_text(gross)


def add_line(page, *, sku: str, label: str, quantity: str, price: str = "", discount: str = "") -> None:
    """A line through the document page's line editor (#line-add): the item by search, then the numbers."""
    form = page.locator("#line-add")
    pick(page, form, "line-item", sku, label)
    form.locator("[name=line-quantity]").fill(quantity)
    if price:
        form.locator("[name=line-unit_price]").fill(price)
    if discount:
        form.locator("[name=line-discount_pct]").fill(discount)
    submit(page, form, "Add line")


def test_order_to_cash_through_the_pages(visit):
    # The world: customer ACME on the TRADE price list (BRK-100 at 45.00 from 1), GST 10 % the default tax code;
    # BRK-100 in stock at A-01 and CAB-600 at B-01.
    world = factories.make_world("Kestrel Steelworks Pty Ltd")
    page = visit.page
    sign_in(visit, world.owner.user.email)

    # 1. A quote for ACME with two lines through the line editor.
    menu(page, "Quotes")
    follow(page, page.locator("main"), "New quote")
    form = page.locator("main form")
    pick(page, form, "partner", "ACME", "ACME · Acme Switchgear")
    submit(page, form, "Start quote")
    flash(page, "started: add its lines")
    status(page, "Draft")
    # 3 brackets at the price list's 45.00 less 12.5 %: 135.00 x 0.875 = 118.125 -> 118.13 net, 11.81 GST, 129.94.
    add_line(page, sku="BRK-100", label="BRK-100 · Bracket 100", quantity="3", discount="12.5")
    flash(page, "Line 1 added.")
    line_money(page, "BRK-100", "118.13", "11.81", "129.94")
    expect()(line_row(page, "BRK-100").locator("td").nth(3)).to_have_text("45")
    # 2 cabinets at 310.00: 620.00 net, 62.00 GST, 682.00.
    add_line(page, sku="CAB-600", label="CAB-600 · Cabinet 600", quantity="2", price="310.00")
    line_money(page, "CAB-600", "620.00", "62.00", "682.00")
    # Totals are the sums of the rounded lines: 738.13 + 73.81 = 811.94.
    totals(page, "738.13", "73.81", "811.94")
    visit.shot("quote-lines")

    # 2. Send it, then accept it: the order is made with the quote's lines and prices.
    move(page, "Mark as sent")
    flash(page, "is sent")
    status(page, "Sent")
    expect()(page.locator("#line-add")).to_have_count(0)  # a sent quote no longer changes
    page.locator("[name=accept-customer_reference]").fill("ACME-PO-5521")
    move(page, "Accepted: make the order")
    flash(page, "accepted: sales order")
    assert "/sell/orders/" in visit.path(), visit.path()
    status(page, "Draft")
    totals(page, "738.13", "73.81", "811.94")
    order_number = page.locator("h1").inner_text().split()[2]

    # 3. Confirm the order: the stock is reserved.
    move(page, "Confirm order")
    flash(page, "confirmed")
    status(page, "Confirmed")
    reserved = {"BRK-100": "3", "CAB-600": "2"}
    for sku, quantity in reserved.items():
        expect()(line_row(page, sku).locator("td").nth(10)).to_have_text(quantity)
    visit.shot("order-confirmed")

    # 4. Ship it from the order's page: a shipment of everything left, picked where it is reserved.
    submit(page, page.locator("main"), "Ship what is left")
    flash(page, "started: check what is picked")
    status(page, "Picking")
    expect()(page.locator("#shipment-lines tbody tr")).to_have_count(2)
    submit(page, page.locator(".page-head"), "Pack")
    flash(page, "packed")
    submit(page, page.locator(".page-head"), "Ship")
    flash(page, "shipped: the stock has left")
    status(page, "Shipped")
    shipment_number = page.locator("h1").inner_text().split()[1]
    visit.shot("shipment-shipped")

    follow(page, page.locator(".page-head"), order_number)
    status(page, "Shipped")
    for sku, quantity in reserved.items():
        expect()(line_row(page, sku).locator("td").nth(9)).to_have_text(quantity)  # shipped

    # 5. Invoice the shipment (Book > Invoices > From a shipment), check it, issue it.
    menu(page, "Invoices")
    follow(page, page.locator("main"), "From a shipment")
    form = page.locator("main form")
    form.locator("[name=shipment]").select_option(label=shipment_number)
    submit(page, form, "Draft it")
    flash(page, "drafted from the shipment")
    status(page, "Draft")
    line_money(page, "BRK-100", "118.13", "11.81", "129.94")
    line_money(page, "CAB-600", "620.00", "62.00", "682.00")
    totals(page, "738.13", "73.81", "811.94")
    move(page, "Issue")
    flash(page, "issued, due")
    status(page, "Issued")
    invoice_number = page.locator("h1").inner_text().split()[1]
    assert re.fullmatch(r"INV-\d+", invoice_number), invoice_number
    expect()(page.locator("#balance")).to_have_text("811.94 AUD")
    visit.shot("invoice-issued")

    # 6. The customer pays 811.94: record it (Book > Payments), allocate it to the invoice.
    menu(page, "Payments")
    follow(page, page.locator("main"), "Record a payment")
    form = page.locator("main form")
    form.locator("[name=direction]").select_option("in")
    pick(page, form, "partner", "ACME", "ACME · Acme Switchgear")
    form.locator("[name=amount]").fill("811.94")
    form.locator("[name=reference]").fill("EFT 99120")
    submit(page, form, "Create")
    flash(page, "recorded: allocate it")
    expect()(page.locator("#unallocated")).to_have_text("811.94")
    allocate = page.locator("form", has=page.locator("[name=allocate-amount]"))
    allocate.locator("[name=allocate-invoice]").select_option(label=invoice_number)
    allocate.locator("[name=allocate-amount]").fill("811.94")
    submit(page, allocate, "Allocate")
    flash(page, "allocated")
    expect()(page.locator("#unallocated")).to_have_text("0.00")
    visit.shot("payment-allocated")

    # 7. The invoice reads Paid: 811.94 of 811.94, nothing open.
    follow(page, page.locator("main table"), invoice_number)
    status(page, "Paid")
    expect()(page.locator(".facts")).to_contain_text("811.94 of 811.94")
    expect()(page.locator("#balance")).to_have_text("0.00 AUD")
    totals(page, "738.13", "73.81", "811.94")
    visit.shot("invoice-paid")

    visit.assert_clean()


def test_procure_to_pay_through_the_pages(visit):
    # The world: supplier BLUE sells the lot-tracked sheet SHT-304-1.5 (182.50 from 1, 171.00 from 10); MCL is both a
    # customer and a supplier; the owner has no approval limit.
    world = factories.make_world("Kestrel Steelworks Pty Ltd")
    page = visit.page
    sign_in(visit, world.owner.user.email)

    # 1. A requisition for 12 sheets, submitted and approved.
    menu(page, "Requisitions")
    follow(page, page.locator("main"), "New requisition")
    submit(page, page.locator("main form"), "Start requisition")
    flash(page, "started: add its lines")
    form = page.locator("#line-add")
    pick(page, form, "line_form-item", "SHT-304", "SHT-304-1.5 · Sheet 304 1.5 mm 2400x1200")
    form.locator("[name=line_form-quantity]").fill("12")
    submit(page, form, "Add line")
    flash(page, "Line added.")
    submit(page, page.locator(".page-head"), "Submit for approval")
    status(page, "Submitted")
    submit(page, page.locator(".page-head"), "Approve")
    status(page, "Approved")
    visit.shot("requisition-approved")

    # 2. An RFQ to BLUE and MCL; their answers: BLUE 171.00 a sheet, MCL 175.50; BLUE is the cheapest.
    form = page.locator("#rfq-new")
    form.get_by_label("BLUE · BlueScope Distribution Pty Ltd").check()
    form.get_by_label("MCL · McLean Laser Cutting").check()
    submit(page, form, "Start RFQ")
    flash(page, "started")
    status(page, "Draft")
    for supplier, price, lead in (("BLUE", "171.00", "5"), ("MCL", "175.50", "3")):
        form = page.locator("#quote-add")
        form.locator("[name=quote_form-rfq_supplier]").select_option(label=f"{supplier} (AUD)")
        form.locator("[name=quote_form-rfq_line]").select_option(label="SHT-304-1.5 x 12")
        form.locator("[name=quote_form-unit_price]").fill(price)
        form.locator("[name=quote_form-lead_time_days]").fill(lead)
        submit(page, form, "Save answer")
        flash(page, "Answer entered.")
    submit(page, page.locator(".page-head"), "Mark as sent")
    status(page, "Sent")
    best = page.locator("#comparison td.best")
    expect()(best).to_contain_text("171")
    expect()(best).to_contain_text("2,052.00")  # 12 x 171.00
    visit.shot("rfq-answers")
    submit(page, page.locator("#comparison"), "Order the chosen answers")
    flash(page, "Awarded: PO-")
    status(page, "Awarded")

    # 3. The purchase order: 12 x 171.00 = 2052.00 net, 205.20 GST, 2257.20; submitted (within the owner's limit:
    # approved at once), then sent.
    follow(page, page.locator("#orders"), page.locator("#orders a").first.inner_text())
    status(page, "Draft")
    line_money(page, "SHT-304-1.5", "2,052.00", "205.20", "2,257.20")
    totals(page, "2,052.00", "205.20", "2,257.20")
    po_number = page.locator("h1").inner_text().split()[0]
    move(page, "Submit")
    status(page, "Approved")
    move(page, "Mark as sent")
    status(page, "Sent")
    visit.shot("po-sent")

    # 4. Receive all of it into A-01; the sheet is lot-tracked: the lot goes on the receipt line before posting.
    form = page.locator("#receive")
    form.locator("[name=receive-supplier_reference]").fill("DN-7720")
    pick(page, form, "receive-location", "A-01", "A-01 · Bin A-01")
    submit(page, form, "Start receipt")
    flash(page, "started: check the quantities")
    follow(page, page.locator("#lines"), "Edit")
    form = page.locator("main form")
    form.locator("[name=lot_code]").fill("HEAT-990")
    submit(page, form, "Save line")
    flash(page, "Line saved.")
    submit(page, page.locator(".page-head"), "Post into stock")
    status(page, "Posted")
    expect()(page.locator("#lines tbody tr").first).to_contain_text("HEAT-990")
    visit.shot("receipt-posted")
    follow(page, page.locator(".page-head"), po_number)
    status(page, "Received")
    expect()(line_row(page, "SHT-304-1.5").locator("td").nth(10)).to_have_text("12")  # received

    # 5. Bill it from the order (Book > Bills > From a purchase order): it matches; approve it.
    menu(page, "Bills")
    follow(page, page.locator("main"), "From a purchase order")
    form = page.locator("main form")
    form.locator("[name=order]").select_option(label=po_number)
    submit(page, form, "Draft it")
    flash(page, "drafted from the order")
    status(page, "Matched")
    totals(page, "2,052.00", "205.20", "2,257.20")
    move(page, "Approve")
    flash(page, "approved, due")
    status(page, "Approved")
    bill_number = page.locator("h1").inner_text().split()[1]
    visit.shot("bill-approved")

    # 6. Pay BLUE 2257.20 and allocate it to the bill.
    menu(page, "Payments")
    follow(page, page.locator("main"), "Record a payment")
    form = page.locator("main form")
    form.locator("[name=direction]").select_option("out")
    pick(page, form, "partner", "BLUE", "BLUE · BlueScope Distribution Pty Ltd")
    form.locator("[name=amount]").fill("2257.20")
    submit(page, form, "Create")
    flash(page, "recorded")
    allocate = page.locator("form", has=page.locator("[name=allocate-amount]"))
    allocate.locator("[name=allocate-bill]").select_option(label=bill_number)
    allocate.locator("[name=allocate-amount]").fill("2257.20")
    submit(page, allocate, "Allocate")
    flash(page, "allocated")
    expect()(page.locator("#unallocated")).to_have_text("0.00")

    # 7. The bill reads Paid.
    follow(page, page.locator("main table"), bill_number)
    status(page, "Paid")
    expect()(page.locator(".facts")).to_contain_text("2,257.20 of 2,257.20")
    visit.shot("bill-paid")

    visit.assert_clean()
