"""The book's pages: every page shows the world's data; the moves and the allocation work from the pages."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from factoryos.books.reports import REPORTS
from tests.books.helpers import refreshed
from tests.factories import assert_page_shows, page_cases, page_text

D = Decimal

PAGES = [
    ("books:dashboard", None, ["Customers owe", "169.00", "Receivables by age", '<svg class="chart"']),
    ("books:invoice_list", None, ["INV-00001", "INV-00002", "Part paid", "ACME"]),
    ("books:invoice_list", None, ["New invoice", "From a sales order"]),
    ("books:invoice_create", None, ["New invoice", "Customer"]),
    ("books:invoice_from_order", None, ["Invoice a sales order"]),
    ("books:invoice_detail", "books.invoice", ["Invoice (draft)", "Add a line", "Issue", "99.00"]),
    ("books:invoice_detail", "books.invoice#part_paid", ["INV-00002", "RCPT-00001", "40.00", "Credit note"]),
    ("books:invoice_edit", "books.invoice", ["Save"]),
    ("books:invoice_line_edit", "books.invoiceline", ["Save line"]),
    ("books:bill_list", None, ["BLUE", "BS-55120", "Mismatch"]),
    ("books:bill_create", None, ["New bill", "Supplier"]),
    ("books:bill_from_order", None, ["Bill a purchase order"]),
    ("books:bill_detail", "books.bill", ["Bill (draft)", "Not on a purchase order.", "Approve", "132.00"]),
    ("books:bill_edit", "books.bill", ["Save"]),
    ("books:bill_line_edit", "books.billline", ["Save line"]),
    ("books:payment_list", None, ["RCPT-00001", "60.00", "20.00"]),
    ("books:payment_create", None, ["New payment", "Direction"]),
    ("books:payment_detail", "books.payment", ["RCPT-00001", "INV-00002", "Allocate"]),
    ("books:payment_edit", "books.payment", ["Save"]),
    ("books:report_list", None, ["Receivables aging", "Journal export"]),
    ("books:report_ar_aging", None, ["Receivables aging", "ACME", "169.00"]),
    ("books:report_open_orders", None, ["Open orders", "To invoice"]),
    ("books:settings", None, ["Bill matching tolerances", "Price tolerance"]),
    ("books:account_mapping", None, ["Account codes", "1010"]),
]


@pytest.mark.parametrize(("name", "label", "expected"), page_cases(PAGES))
def test_owner_sees_each_page_with_the_worlds_data(world, owner, name, label, expected):
    assert_page_shows(owner, world, name, label, expected)


def test_every_report_page_and_download_answers(owner):
    for slug in REPORTS:
        name = slug.replace("-", "_")
        page = owner.get(reverse(f"books:report_{name}"))
        assert page.status_code == 200
        # One menu entry is the current page: Reports, not also the Book dashboard whose address starts the path.
        assert page_text(page).count('aria-current="page"') == 1
        assert re.search(r'<a class="nav-item active" href="/book/reports/"', page_text(page))
        download = owner.get(reverse(f"books:report_{name}_export"), {"format": "xlsx"})
        assert download.status_code == 200 and download["Content-Disposition"].endswith(f'{slug}.xlsx"')
    journal = owner.get(reverse("books:journal_export"))
    assert journal.status_code == 200 and journal.content.startswith(b"date,document,account,debit,credit")


def test_issue_from_the_page_and_allocate_a_payment(world, owner):
    invoice = world.objects["books.invoice"]
    response = owner.post(reverse("books:invoice_issue", args=[invoice.pk]), {"issue-issued_on": "2026-11-02"})
    assert response.status_code == 302
    issued = refreshed(world, "books.invoice")
    assert (issued.number, issued.status) == ("INV-00003", "issued")
    payment = world.objects["books.payment"]  # 20.00 not allocated
    url = reverse("books:payment_allocate", args=[payment.pk])
    refused = owner.post(url, {"allocate-invoice": issued.pk, "allocate-amount": "25"})
    assert refused.status_code == 400 and "more than the 20 of RCPT-00001" in page_text(refused)
    assert owner.post(url, {"allocate-invoice": issued.pk, "allocate-amount": "20"}).status_code == 302
    assert refreshed(world, "books.invoice").amount_paid == D("20.00")
    assert refreshed(world, "books.payment").unallocated == D("0.00")


def test_a_mismatched_bill_is_approved_from_the_page_by_whoever_may(world, owner, member_client):
    bill = world.objects["books.bill"]
    url = reverse("books:bill_approve", args=[bill.pk])
    viewer = member_client("viewer")
    assert viewer.post(url).status_code == 403
    assert owner.post(url, {}).status_code == 302
    approved = refreshed(world, "books.bill")
    assert (approved.status, approved.number, approved.approved_by_id) == (
        "approved",
        "BILL-00001",
        world.owner.user_id,
    )


def test_a_credit_note_from_the_invoice_page(world, owner):
    invoice = world.objects["books.invoice#issued"]
    response = owner.post(reverse("books:invoice_credit", args=[invoice.pk]))
    assert response.status_code == 302
    page = page_text(owner.get(response["Location"]))
    assert "Credit note (draft)" in page and "99.00" in page
