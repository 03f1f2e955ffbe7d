"""The book: invoices and credit notes, payments and allocations with exchange differences, supplier bills with
their three-way match, credit exposure. Every rule against known numbers (AU organization: AUD, GST 10 %)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from factoryos.audit.models import AuditEvent
from factoryos.books import selectors, services
from factoryos.books.models import Bill, Invoice, InvoiceLine, Payment
from factoryos.core import services as core_services
from factoryos.core.models import Membership
from factoryos.kernel.errors import ConflictError, DomainError
from factoryos.kernel.tenancy import org_scope
from factoryos.sales import credit
from tests.books.helpers import issued_invoice, purchase_order, refreshed, tax
from tests.factories import api_post as post
from tests.factories import login_client, make_user

D = Decimal
TODAY = timezone.localdate()


# -- invoices ------------------------------------------------------------------------------------------------------
def test_an_invoice_is_numbered_when_issued_with_its_due_date_from_the_customers_terms(api, world):
    free = tax(world, "FRE")
    draft = post(api, "invoices", {"partner": world.pk("partners.partner"), "reference": "PO-1"})
    assert (draft["number"], draft["status"], draft["currency"]) == ("", "draft", "AUD")
    line = {"invoice": draft["id"], "item": world.pk("catalog.item"), "quantity": "3", "unit_price": "19.99"}
    assert post(api, "invoice-lines", line)["tax"] == "6.00"  # 59.97 x 10 % = 5.997
    post(api, "invoice-lines", {**line, "item": None, "description": "Freight", "quantity": "1", "unit_price": "25",
                                "tax_code": free.pk})  # fmt: skip
    got = api.get(f"/api/v1/invoices/{draft['id']}").json()
    assert (got["net_total"], got["tax_total"], got["total"]) == ("84.97", "6.00", "90.97")
    issued = post(api, f"invoices/{draft['id']}/issue", {"issued_on": "2026-01-15"}, status=200)
    # the world issued INV-00001 and INV-00002; ACME pays end of month + 30: 2026-01-31 + 30 days
    assert (issued["number"], issued["status"], issued["due_date"]) == ("INV-00003", "issued", "2026-03-02")
    assert issued["display_status"] == "overdue"  # 2026-03-02 has passed
    changed = api.patch(f"/api/v1/invoices/{draft['id']}", {"notes": "late"}, content_type="application/json")
    assert changed.status_code == 409 and changed.json()["code"] == "locked"
    assert api.delete(f"/api/v1/invoices/{draft['id']}").status_code == 409
    again = post(api, f"invoices/{draft['id']}/issue", {}, status=409)
    assert again["code"] == "transition_not_allowed"


def test_an_empty_draft_cannot_be_issued_and_a_supplier_cannot_be_invoiced(api, world):
    empty = post(api, "invoices", {"partner": world.pk("partners.partner")})
    refused = post(api, f"invoices/{empty['id']}/issue", {}, status=400)
    assert refused["errors"][0]["field"] == "lines" and refused["code"] == "book_document_without_lines"
    supplier = post(api, "invoices", {"partner": world.pk("partners.partner#supplier")}, status=400)
    assert supplier["errors"][0] == {
        "field": "partner",
        "message": "BLUE is not a customer: mark it as one to invoice it.",
        "code": "invoice_partner_not_customer",
    }
    dates = {"partner": world.pk("partners.partner"), "issued_on": "2026-03-01", "due_date": "2026-02-01"}
    assert post(api, "invoices", dates, status=400)["errors"][0]["field"] == "due_date"


def test_void_only_while_nothing_is_paid_and_a_credit_note_reverses_the_rest(api, world):
    issued, part_paid = world.pk("books.invoice#issued"), world.pk("books.invoice#part_paid")
    assert post(api, f"invoices/{part_paid}/void", {}, status=409)["code"] == "transition_not_allowed"
    note = post(api, "invoices", {"partner": world.pk("partners.partner"), "kind": "credit_note",
                                  "credited_invoice": issued})  # fmt: skip
    post(api, "invoice-lines", {"invoice": note["id"], "description": "Returned bracket", "quantity": "1",
                                "unit_price": "45"})  # fmt: skip
    note = post(api, f"invoices/{note['id']}/issue", {}, status=200)
    # 99.00 invoice, 49.50 credit note (45 + GST): the note is used up, the invoice is half paid
    assert (note["number"], note["status"], note["amount_paid"]) == ("CN-00001", "paid", "49.50")
    invoice = api.get(f"/api/v1/invoices/{issued}").json()
    assert (invoice["status"], invoice["amount_paid"], invoice["balance"]) == ("part_paid", "49.50", "49.50")
    assert post(api, f"invoices/{issued}/void", {}, status=409)["code"] == "transition_not_allowed"
    fresh = issued_invoice(world, [("1", "10", "GST")])
    assert post(api, f"invoices/{fresh.pk}/void", {}, status=200)["status"] == "void"


def test_a_credit_note_only_credits_an_issued_invoice_of_its_customer(api, world):
    other = post(api, "invoices", {"partner": world.pk("partners.partner#both"), "kind": "credit_note",
                                   "credited_invoice": world.pk("books.invoice#issued")}, status=400)  # fmt: skip
    assert other["code"] == "credit_note_target" and other["errors"][0]["field"] == "credited_invoice"
    draft = post(api, "invoices", {"partner": world.pk("partners.partner"), "kind": "credit_note",
                                   "credited_invoice": world.pk("books.invoice")}, status=400)  # fmt: skip
    assert draft["code"] == "credit_note_target"
    on_invoice = post(api, "invoices", {"partner": world.pk("partners.partner"),
                                        "credited_invoice": world.pk("books.invoice#issued")}, status=400)  # fmt: skip
    assert on_invoice["code"] == "credit_note_target"


def test_overdue_is_derived_from_the_due_date_not_stored(api, world):
    late = issued_invoice(world, [("1", "100", "FRE")], issued_on=TODAY - timedelta(days=40),
                          due_date=TODAY - timedelta(days=10))  # fmt: skip
    assert late.status == "issued" and late.display_status == "overdue"
    overdue = api.get("/api/v1/invoices?status=overdue").json()
    assert [row["id"] for row in overdue["items"]] == [late.pk] and overdue["items"][0]["status"] == "issued"
    assert late.pk in [row["id"] for row in api.get("/api/v1/invoices?status=issued").json()["items"]]
    assert refreshed(world, "books.invoice#issued").display_status == "issued"  # due in 30 days


def test_an_invoice_from_a_sales_order_takes_what_is_not_invoiced(api, world):
    confirmed, shipped = world.objects["sales.salesorder#confirmed"], world.objects["sales.salesorder#shipped"]
    nothing_shipped = post(api, "invoices/from-order", {"order": confirmed.pk, "shipped_only": True}, status=400)
    assert nothing_shipped["code"] == "nothing_to_invoice"
    invoice = post(api, "invoices/from-order", {"order": shipped.pk, "shipped_only": True})
    lines = api.get(f"/api/v1/invoice-lines?invoice={invoice['id']}").json()["items"]
    assert [(line["quantity"], line["unit_price"], line["gross"]) for line in lines] == [
        ("1.000000", "45.0000", "49.50")
    ]
    assert invoice["reference"] == "PO-7781" and invoice["total"] == "49.50"
    again = post(api, "invoices/from-order", {"order": shipped.pk}, status=400)
    assert again["code"] == "nothing_to_invoice"  # the draft counts: it will be issued
    post(api, f"invoices/{invoice['id']}/void", {}, status=409)  # a draft is deleted, not voided
    assert api.delete(f"/api/v1/invoices/{invoice['id']}").status_code == 204
    assert post(api, "invoices/from-order", {"order": shipped.pk})["total"] == "49.50"
    draft = post(api, "invoices/from-order", {"order": world.pk("sales.salesorder")}, status=400)
    assert draft["code"] == "order_not_invoiceable"


def test_an_invoice_from_a_shipment_takes_what_it_carried_once(api, world):
    shipped = world.objects["shipping.shipment#shipped"]  # 2 brackets of a 45.00 order line
    invoice = post(api, "invoices/from-shipment", {"shipment": shipped.pk})
    lines = api.get(f"/api/v1/invoice-lines?invoice={invoice['id']}").json()["items"]
    shipment_line = world.objects["shipping.shipmentline#shipped"]
    assert [(line["quantity"], line["shipment_line_id"]) for line in lines] == [("2.000000", shipment_line.pk)]
    assert invoice["total"] == "99.00"
    again = post(api, "invoices/from-shipment", {"shipment": shipped.pk}, status=400)
    assert again["code"] == "nothing_to_invoice"
    picking = post(api, "invoices/from-shipment", {"shipment": world.pk("shipping.shipment")}, status=400)
    assert picking["errors"][0]["field"] == "shipment"


def test_an_order_line_is_not_invoiced_past_its_quantity(api, world):
    order_line = world.objects["sales.salesorderline#confirmed"]  # 1 ordered
    draft = post(api, "invoices", {"partner": world.pk("partners.partner")})
    over = post(api, "invoice-lines", {"invoice": draft["id"], "order_line": order_line.pk, "quantity": "2"}, 400)
    assert over["errors"][0] == {
        "field": "quantity",
        "message": f"Only 1 of Bracket 100 is left to invoice on {world.objects['sales.salesorder#confirmed'].number}.",
        "code": "over_invoiced",
    }
    line = post(api, "invoice-lines", {"invoice": draft["id"], "order_line": order_line.pk, "quantity": "1"})
    assert (line["unit_price"], line["description"], line["order_line_id"]) == ("45.0000", "Bracket 100", order_line.pk)


# -- payments ------------------------------------------------------------------------------------------------------
def test_a_payment_settles_several_invoices_partly_or_fully(api, world):
    issued, part_paid = world.pk("books.invoice#issued"), world.pk("books.invoice#part_paid")  # 99.00; 70.00 open
    payment = post(api, "payments", {
        "direction": "in", "partner": world.pk("partners.partner"), "amount": "150.00", "method": "bank",
        "allocations": [{"invoice": issued, "amount": "99.00"}, {"invoice": part_paid, "amount": "51.00"}],
    })  # fmt: skip
    assert (payment["number"], payment["allocated"], payment["unallocated"]) == ("RCPT-00002", "150.00", "0.00")
    assert api.get(f"/api/v1/invoices/{issued}").json()["status"] == "paid"
    second = api.get(f"/api/v1/invoices/{part_paid}").json()
    assert (second["status"], second["amount_paid"], second["balance"]) == ("part_paid", "91.00", "19.00")
    allocations = api.get(f"/api/v1/payment-allocations?payment={payment['id']}").json()
    assert [(a["amount"], a["fx_difference"]) for a in allocations["items"]] == [("99.00", "0.00"), ("51.00", "0.00")]


def test_allocations_never_pass_the_payment_or_the_document(api, world):
    world_payment, part_paid = world.pk("books.payment"), world.pk("books.invoice#part_paid")  # 20.00 left; 70 open
    over = post(api, f"payments/{world_payment}/allocate", {"allocations": [{"invoice": part_paid, "amount": "20.01"}]},
                status=400)  # fmt: skip
    assert over["code"] == "over_allocated"
    small = post(api, "payments", {"direction": "in", "partner": world.pk("partners.partner"), "amount": "500"})
    past = post(api, f"payments/{small['id']}/allocate", {"allocations": [{"invoice": part_paid, "amount": "70.01"}]},
                status=400)  # fmt: skip
    assert past["errors"][0] == {
        "field": "amount",
        "message": f"{refreshed(world, 'books.invoice#part_paid').number} has 70 open; 70.01 is more.",
        "code": "allocation_over_balance",
    }
    twice = [{"invoice": part_paid, "amount": "40"}, {"invoice": part_paid, "amount": "40"}]
    assert post(api, f"payments/{small['id']}/allocate", {"allocations": twice}, status=400)["code"] == (
        "allocation_over_balance"
    )
    draft = post(api, f"payments/{small['id']}/allocate", {"allocations": [{"invoice": world.pk("books.invoice"),
                                                                             "amount": "1"}]}, status=400)  # fmt: skip
    assert draft["code"] == "allocation_document_not_open"
    bill = post(api, f"payments/{small['id']}/allocate", {"allocations": [{"bill": world.pk("books.bill"),
                                                                            "amount": "1"}]}, status=400)  # fmt: skip
    assert bill["code"] == "allocation_wrong_document"
    other = issued_invoice(world, [("1", "10", "GST")], partner="partners.partner#both")
    foreign = post(api, f"payments/{small['id']}/allocate", {"allocations": [{"invoice": other.pk, "amount": "1"}]},
                   status=400)  # fmt: skip
    assert foreign["code"] == "allocation_other_partner"
    assert api.get(f"/api/v1/payments/{small['id']}").json()["allocated"] == "0.00"  # nothing half-written
    assert refreshed(world, "books.invoice#part_paid").amount_paid == D("40.00")


def test_the_realised_exchange_difference_is_stored_and_posted(api, world, dollars):
    invoice = issued_invoice(world, [("1", "100", "FRE")], partner="partners.partner#usd")
    assert (invoice.currency, invoice.exchange_rate, invoice.total) == ("USD", D("1.5"), D("100.00"))
    paid = post(api, "payments", {"direction": "in", "partner": dollars.pk, "amount": "100", "exchange_rate": "1.6",
                                  "allocations": [{"invoice": invoice.pk, "amount": "100"}]})  # fmt: skip
    allocation = api.get(f"/api/v1/payment-allocations?payment={paid['id']}").json()["items"][0]
    assert allocation["fx_difference"] == "10.00"  # (1.60 - 1.50) x 100: a gain of 10 AUD
    with org_scope(world.org):
        entries = {e.document: e for e in selectors.journal_entries(date_from=TODAY, date_to=TODAY)}
        codes = services.accounts()
    assert entries[invoice.number].lines == [(codes.receivables, D("150.00"), 0), (codes.revenue, 0, D("150.00"))]
    assert entries[paid["number"]].lines == [
        ("1010", D("160.00"), 0),  # the world's bank account code
        (codes.receivables, 0, D("150.00")),
        (codes.fx_gain_loss, 0, D("10.00")),
    ]
    # a bill paid at a higher rate is a loss
    with org_scope(world.org):
        bill = services.bill_create(actor=world.owner, partner=dollars)
        services.bill_line_create(actor=world.owner, bill=bill, description="Tooling", quantity=D("1"),
                                  unit_price=D("200"), tax_code=tax(world, "FRE"))  # fmt: skip
        bill = services.bill_approve(actor=world.owner, obj=bill)
    out = post(api, "payments", {"direction": "out", "partner": dollars.pk, "amount": "200", "exchange_rate": "1.55",
                                 "allocations": [{"bill": bill.pk, "amount": "200"}]})  # fmt: skip
    assert api.get(f"/api/v1/payment-allocations?payment={out['id']}").json()["items"][0]["fx_difference"] == "10.00"
    with org_scope(world.org):
        entry = {e.document: e for e in selectors.journal_entries(date_from=TODAY, date_to=TODAY)}[out["number"]]
    assert out["number"] == "PAY-00001" and entry.lines == [
        ("1010", 0, D("310.00")),
        (codes.payables, D("300.00"), 0),
        (codes.fx_gain_loss, D("10.00"), 0),
    ]
    assert api.get(f"/api/v1/bills/{bill.pk}").json()["status"] == "paid"


def test_a_payment_in_another_currency_than_the_document_is_refused(api, world, dollars):
    invoice = issued_invoice(world, [("1", "100", "FRE")], partner="partners.partner#usd")
    aud = post(api, "payments", {"direction": "in", "partner": dollars.pk, "amount": "100", "currency": "AUD"})
    refused = post(api, f"payments/{aud['id']}/allocate", {"allocations": [{"invoice": invoice.pk, "amount": "10"}]},
                   status=400)  # fmt: skip
    assert refused["code"] == "allocation_other_currency"


# -- credit exposure -----------------------------------------------------------------------------------------------
def test_sales_asks_the_book_what_a_customer_owes(world):
    customer = world.objects["partners.partner"]
    with org_scope(world.org):
        assert credit.exposure(customer) == (D("169.00"), False)  # 99.00 + 110.00 - 40.00 paid
    issued_invoice(world, [("1", "10", "FRE")], kind="credit_note")
    late = issued_invoice(world, [("1", "20", "FRE")], issued_on=TODAY - timedelta(days=60),
                          due_date=TODAY - timedelta(days=1))  # fmt: skip
    with org_scope(world.org):
        assert credit.exposure(customer) == (D("179.00"), True)  # - 10 credit + 20 overdue
        services.payment_create(actor=world.owner, direction="in", partner=customer, amount=D("20"),
                                allocations=[{"invoice": late, "amount": D("20")}])  # fmt: skip
        assert credit.exposure(customer) == (D("159.00"), False)


# -- supplier bills and the three-way match ------------------------------------------------------------------------
def test_a_bill_from_an_order_bills_what_was_received_and_approving_counts_it(api, world):
    order, po_line = purchase_order(world)
    bill = post(api, "bills/from-order", {"order": order.pk})
    lines = api.get(f"/api/v1/bill-lines?bill={bill['id']}").json()["items"]
    assert [(line["quantity"], line["match_status"]) for line in lines] == [("8.000000", "matched")]
    assert (bill["match_status"], bill["total"]) == ("matched", "105.60")  # 8 x 12.00 + 10 % GST
    approved = post(api, f"bills/{bill['id']}/approve", {"bill_date": "2026-11-02"}, status=200)
    assert (approved["number"], approved["status"], approved["due_date"]) == ("BILL-00001", "approved", "2026-12-17")
    assert refreshed(world, po_line).billed == D("8")
    assert post(api, "bills/from-order", {"order": order.pk}, status=400)["code"] == "nothing_to_bill"
    post(api, f"bills/{bill['id']}/void", {}, status=200)
    assert refreshed(world, po_line).billed == D("0")


def test_a_mismatch_is_flagged_per_line_and_needs_the_approve_permission(api, world):
    order, po_line = purchase_order(world)
    bill = post(api, "bills", {"partner": world.pk("partners.partner#supplier"), "supplier_reference": "BS-1"})
    line = post(api, "bill-lines", {"bill": bill["id"], "po_line": po_line.pk, "quantity": "9", "unit_price": "12.50"})
    assert line["match_status"] == "mismatch"
    assert line["match_reason"] == (
        "Billed 9, received and not billed 8 (tolerance 0 %). Unit price 12.50 against 12.00 on PO-T1 (tolerance 2 %)."
    )
    with org_scope(world.org):
        clerk = Membership.objects.create(
            org=world.org, user=make_user(), role="",
            custom_role=core_services.role_create(actor=world.owner, name="Clerk",
                                                  permissions=["finance.view", "finance.edit"]),
        )  # fmt: skip
    refused = post(login_client(clerk.user, world.org), f"bills/{bill['id']}/approve", {}, status=403)
    assert refused["code"] == "bill_mismatch_needs_approval" and "Bracket 100: Billed 9" in refused["detail"]
    assert api.get(f"/api/v1/bills/{bill['id']}").json()["status"] == "draft"
    approved = post(api, f"bills/{bill['id']}/approve", {}, status=200)  # the owner may approve
    assert approved["approved_by_id"] == world.owner.user_id and approved["match_status"] == "mismatch"
    with org_scope(world.org):
        event = AuditEvent.objects.filter(object_type="books.bill", object_id=str(bill["id"])).order_by("-seq").first()
    assert event.metadata["approved_despite_mismatch"] is True


def test_tolerances_let_small_differences_pass(api, world):
    order, po_line = purchase_order(world)
    api.patch("/api/v1/books/settings", {"qty_tolerance_pct": "25", "price_tolerance_pct": "5"},
              content_type="application/json")  # fmt: skip
    bill = post(api, "bills", {"partner": world.pk("partners.partner#supplier")})
    # 9 <= 8 x 1.25; 12.50 is within 5 % of 12.00
    line = post(api, "bill-lines", {"bill": bill["id"], "po_line": po_line.pk, "quantity": "9", "unit_price": "12.50"})
    assert (line["match_status"], line["match_reason"]) == ("matched", "")
    freight = post(
        api, "bill-lines", {"bill": bill["id"], "description": "Freight", "quantity": "1", "unit_price": "30"}
    )
    assert (freight["match_status"], freight["match_reason"]) == ("mismatch", "Not on a purchase order.")
    assert api.get(f"/api/v1/bills/{bill['id']}").json()["match_status"] == "mismatch"
    api.delete(f"/api/v1/bill-lines/{freight['id']}")
    assert api.get(f"/api/v1/bills/{bill['id']}").json()["match_status"] == "matched"


def test_a_second_bill_of_the_same_order_line_is_matched_against_what_is_left(api, world):
    order, po_line = purchase_order(world)
    first = post(api, "bills", {"partner": world.pk("partners.partner#supplier")})
    post(api, "bill-lines", {"bill": first["id"], "po_line": po_line.pk, "quantity": "5"})
    post(api, f"bills/{first['id']}/approve", {}, status=200)
    second = post(api, "bills", {"partner": world.pk("partners.partner#supplier")})
    line = post(api, "bill-lines", {"bill": second["id"], "po_line": po_line.pk})
    assert (line["quantity"], line["match_status"]) == ("3.000000", "matched")  # 8 received - 5 billed
    more = post(api, "bill-lines", {"bill": second["id"], "po_line": po_line.pk, "quantity": "1"})
    assert more["match_reason"].startswith("Billed 1, received and not billed 0 ")


def test_a_bill_line_names_only_its_suppliers_order(api, world):
    order, po_line = purchase_order(world)
    bill = post(api, "bills", {"partner": world.pk("partners.partner#both")})
    refused = post(api, "bill-lines", {"bill": bill["id"], "po_line": po_line.pk}, status=400)
    assert refused["code"] == "order_line_of_other_supplier" and refused["errors"][0]["field"] == "po_line"
    assert (
        post(api, "bills", {"partner": world.pk("partners.partner")}, status=400)["code"] == "bill_partner_not_supplier"
    )


def test_an_approved_bill_with_payments_cannot_be_voided(world):
    with org_scope(world.org):
        bill = services.bill_approve(actor=world.owner, obj=world.objects["books.bill"])
        assert (bill.number, bill.total) == ("BILL-00001", D("132.00"))
        services.payment_create(actor=world.owner, direction="out", partner=bill.partner, amount=D("32"),
                                allocations=[{"bill": bill, "amount": D("32")}])  # fmt: skip
        bill.refresh_from_db()
        assert (bill.status, bill.balance) == ("part_paid", D("100.00"))
        with pytest.raises(ConflictError):
            services.bill_void(actor=world.owner, obj=bill)


def test_numbers_are_taken_in_the_documents_transaction(world):
    """A draft that fails to issue gives its number back: the next one issued takes it."""
    with org_scope(world.org):
        draft = services.invoice_create(actor=world.owner, partner=world.objects["partners.partner"])
        with pytest.raises(DomainError):
            services.invoice_issue(actor=world.owner, obj=draft)
        issued = services.invoice_issue(actor=world.owner, obj=world.objects["books.invoice"])
    assert issued.number == "INV-00003"


def test_the_world_is_consistent(world):
    with org_scope(world.org):
        assert Invoice.objects.count() == 3 and Bill.objects.count() == 1 and Payment.objects.count() == 1
        for invoice in Invoice.objects.all():
            lines = InvoiceLine.objects.filter(invoice=invoice)
            assert invoice.total == sum((line.gross for line in lines), D(0))
