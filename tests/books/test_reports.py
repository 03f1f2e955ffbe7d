"""The book's reports against known numbers, their spreadsheet-safe downloads, and the journal export (debits equal
credits for every document)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from factoryos.books import reports, selectors, services
from factoryos.catalog import services as catalog_services
from factoryos.inventory import services as inventory_services
from factoryos.kernel.tenancy import org_scope
from factoryos.partners import services as partner_services
from tests.books.helpers import issued_invoice, purchase_order
from tests.factories import api_post as post

D = Decimal
TODAY = timezone.localdate()


def report(api, slug, **params):
    response = api.get(f"/api/v1/books/reports/{slug}", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_receivables_aging_by_days_past_due(api, world):
    # the world: ACME owes 99.00 (INV-00001) and 70.00 (INV-00002, 110.00 less 40.00 paid), both due later
    issued_invoice(
        world, [("1", "100", "FRE")], issued_on=TODAY - timedelta(days=75), due_date=TODAY - timedelta(days=45)
    )
    issued_invoice(
        world, [("2", "50", "FRE")], issued_on=TODAY - timedelta(days=120), due_date=TODAY - timedelta(days=91)
    )
    issued_invoice(world, [("1", "10", "FRE")], kind="credit_note")
    issued_invoice(world, [("1", "30", "FRE")], partner="partners.partner#both", due_date=TODAY - timedelta(days=1),
                   issued_on=TODAY - timedelta(days=31))  # fmt: skip
    aged = report(api, "ar-aging")
    rows = {row["code"]: row for row in aged["rows"]}
    assert {k: rows["ACME"][k] for k in ("current", "d1_30", "d31_60", "d61_90", "d90_plus", "total")} == {
        "current": "159.00", "d1_30": "0.00", "d31_60": "100.00", "d61_90": "0.00", "d90_plus": "100.00",
        "total": "359.00",
    }  # fmt: skip
    assert (rows["MCL"]["d1_30"], rows["MCL"]["total"]) == ("30.00", "30.00")
    assert [row["code"] for row in aged["rows"]] == ["ACME", "MCL"]  # largest first
    assert aged["totals"]["total"] == "389.00" and aged["currency"] == "AUD"
    # seen 60 days from now, the current ones are late too
    later = {row["code"]: row for row in report(api, "ar-aging", on=str(TODAY + timedelta(days=60)))["rows"]}
    assert later["MCL"]["d61_90"] == "30.00"

    # A page shows the largest balances first, with the totals and the count of every partner (the export has all).
    with org_scope(world.org):
        top = reports.report_of("ar-aging").summary(reports.Params(), actor=world.owner, limit=1)
    assert [row["code"] for row in top.rows] == ["ACME"] and top.count == 2
    assert top.totals["total"] == D("389.00") and top.totals["d1_30"] == D("30.00")
    assert aged["count"] == 2


def test_payables_aging_and_purchase_spend(api, world):
    with org_scope(world.org):
        bill = services.bill_approve(actor=world.owner, obj=world.objects["books.bill"])  # 132.00, BLUE net 45
    aged = report(api, "ap-aging")
    assert [(row["code"], row["current"], row["total"]) for row in aged["rows"]] == [("BLUE", "132.00", "132.00")]
    spend = report(api, "purchase-spend", date_from=str(TODAY), date_to=str(TODAY))
    assert [(r["code"], r["bills"], r["net"], r["tax"], r["total"]) for r in spend["rows"]] == [
        ("BLUE", "1", "120.00", "12.00", "132.00")
    ]
    assert report(api, "purchase-spend", date_to=str(bill.bill_date - timedelta(days=1)))["rows"] == []


def test_sales_by_customer_and_item_with_margin_at_moving_average_cost(api, world, dollars):
    # a widget of standard cost 12.00 with no stock yet, sold in a window of its own
    day = TODAY - timedelta(days=200)
    with org_scope(world.org):
        widget = catalog_services.item_create(
            actor=world.owner, sku="WID-1", name="Widget", item_type="purchased", uom=world.objects["catalog.item"].uom,
            standard_cost=D("12.00"),
        )  # fmt: skip
        invoice = services.invoice_create(actor=world.owner, partner=dollars)  # USD at 1.50
        services.invoice_line_create(
            actor=world.owner, invoice=invoice, item=widget, quantity=D("4"), unit_price=D("25")
        )
        services.invoice_issue(actor=world.owner, obj=invoice, issued_on=day)
        note = services.invoice_create(actor=world.owner, partner=dollars, kind="credit_note")
        services.invoice_line_create(actor=world.owner, invoice=note, item=widget, quantity=D("1"), unit_price=D("25"))
        services.invoice_issue(actor=world.owner, obj=note, issued_on=day)
    window = {"date_from": str(day), "date_to": str(day)}
    by_customer = report(api, "sales-by-customer", **window)["rows"]
    # net (4 - 1) x 25 USD x 1.50 = 112.50 AUD; cost 3 x 12.00 = 36.00; margin 76.50 = 68 %
    assert [(r["code"], r["net"], r["cost"], r["margin"], r["margin_pct"]) for r in by_customer] == [
        ("YANK", "112.50", "36.00", "76.50", "68.00")
    ]
    # once stock is received, the moving average cost is the cost: 10 at 16.00
    with org_scope(world.org):
        inventory_services.stock_receive(
            actor=world.owner, item=widget, location=world.objects["inventory.location"], quantity=D("10"),
            unit_cost=D("16.00"),
        )  # fmt: skip
    by_item = report(api, "sales-by-item", **window)["rows"]
    assert [(r["sku"], r["quantity"], r["net"], r["cost"], r["margin"]) for r in by_item] == [
        ("WID-1", "3.000000", "112.50", "48.00", "64.50")
    ]
    reversed_range = api.get(
        "/api/v1/books/reports/sales-by-item", {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert reversed_range.status_code == 400 and reversed_range.json()["code"] == "date_range_reversed"


def test_open_orders_list_what_is_not_shipped_or_not_invoiced(api, world):
    confirmed, shipped = world.objects["sales.salesorder#confirmed"], world.objects["sales.salesorder#shipped"]
    rows = {row["order"]: row for row in report(api, "open-orders")["rows"]}
    assert (rows[confirmed.number]["to_ship"], rows[confirmed.number]["open_value"]) == ("1.000000", "45.00")
    assert (rows[shipped.number]["to_ship"], rows[shipped.number]["to_invoice"]) == ("0.000000", "1.000000")
    invoice = post(api, "invoices/from-order", {"order": shipped.pk})
    post(api, f"invoices/{invoice['id']}/issue", {}, status=200)
    assert shipped.number not in {row["order"] for row in report(api, "open-orders")["rows"]}


def test_downloads_are_spreadsheet_safe(api, world):
    with org_scope(world.org):
        world.objects["partners.partner#evil"] = partner_services.partner_create(
            actor=world.owner, code="EVIL", is_customer=True, legal_name='=HYPERLINK("http://evil.example","x")'
        )
    issued_invoice(world, [("1", "5", "FRE")], partner="partners.partner#evil")
    response = api.get("/api/v1/books/reports/ar-aging/export", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="ar-aging.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Code", "Name", "Current"]
    evil = next(row for row in rows if row[0] == "EVIL")
    assert evil[1] == '\'=HYPERLINK("http://evil.example","x")' and evil[-1] == "5.00"
    xlsx = api.get("/api/v1/books/reports/ar-aging/export", {"format": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert cells["EVIL"][1].data_type == "s" and cells["EVIL"][1].value.startswith("=HYPERLINK")
    assert cells["EVIL"][-1].value == 5  # a number stays a number
    assert api.get("/api/v1/books/reports/ar-aging/export", {"format": "pdf"}).status_code == 422


def test_the_journal_balances_every_document(api, world, dollars):
    with org_scope(world.org):
        services.bill_approve(actor=world.owner, obj=world.objects["books.bill"])
    usd = issued_invoice(world, [("3", "33.33", "GST")], partner="partners.partner#usd")
    post(api, "payments", {"direction": "in", "partner": dollars.pk, "amount": "120", "exchange_rate": "1.4321",
                           "allocations": [{"invoice": usd.pk, "amount": "109.99"}]})  # fmt: skip
    voided = issued_invoice(world, [("1", "7", "GST")])
    post(api, f"invoices/{voided.pk}/void", {}, status=200)
    with org_scope(world.org):
        entries = selectors.journal_entries(date_from=TODAY, date_to=TODAY)
    assert len(entries) >= 8
    for entry in entries:
        assert entry.debits == entry.credits, (entry.document, entry.lines)
    documents = [entry.document for entry in entries]
    assert documents.count(voided.number) == 2  # issued, then reversed on the day it was voided
    journal = api.get("/api/v1/books/journal", {"date_from": str(TODAY), "date_to": str(TODAY)}).json()
    assert journal["debits"] == journal["credits"]
    exported = api.get("/api/v1/books/journal/export", {"date_from": str(TODAY), "date_to": str(TODAY)})
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert list(rows[0]) == ["date", "document", "account", "debit", "credit", "currency", "memo"]
    assert sum(D(r["debit"]) for r in rows) == sum(D(r["credit"]) for r in rows) == D(journal["debits"])
    reversed_range = api.get("/api/v1/books/journal", {"date_from": str(TODAY), "date_to": str(TODAY - timedelta(1))})
    assert reversed_range.status_code == 400 and reversed_range.json()["errors"][0]["field"] == "date_from"


def test_the_account_codes_are_the_organizations(api, world):
    assert api.get("/api/v1/books/account-mapping").json()["bank"] == "1010"  # the world changed it
    changed = api.patch("/api/v1/books/account-mapping", {"revenue": "41000"}, content_type="application/json")
    assert changed.json()["revenue"] == "41000"
    issued_invoice(world, [("1", "10", "FRE")])
    lines = api.get("/api/v1/books/journal", {"date_from": str(TODAY), "date_to": str(TODAY)}).json()["lines"]
    assert "41000" in {line["account"] for line in lines} and "4000" not in {line["account"] for line in lines}


def test_the_purchase_order_helper_is_consistent(world):
    order, line = purchase_order(world)
    assert line.gross == line.net + line.tax == D("132.00")
