"""The quote and the order confirmation as PDFs (totals read back from the PDF's text), the quote mailed to its
contact through the task queue."""

from __future__ import annotations

import io

import pypdf
from django.core import mail as django_mail
from django.urls import reverse

from factoryos.documents import selectors as documents
from factoryos.kernel.tenancy import org_scope
from tests.factories import api_post as post
from tests.factories import page_text
from tests.worker import run_tasks


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_a_quote_prints_with_its_lines_lead_times_and_totals(api, world):
    quote = world.objects["sales.quote"]
    kept = post(api, f"quotes/{quote.pk}/pdf", {})
    assert (kept["kind"], kept["number"], kept["version"], kept["filename"]) == (
        "quote",
        quote.number,
        1,
        f"quote-{quote.number}.pdf",
    )
    text = pdf_text(api.get(f"/api/v1/documents/{kept['id']}/pdf").content)
    assert "Quote" in text and quote.number in text and "Acme Switchgear Pty Ltd" in text
    assert "Attn: Dana Whitfield" in text and "12 Foundry Road" in text and text.count("ABN 51 824 753 556") == 2
    assert "Bracket 100" in text and "10 days" in text and "Powder coat, RAL 7035" in text
    assert "170.00" in text and "17.00" in text and "187.00" in text  # net, GST 10 %, total
    assert post(api, f"quotes/{quote.pk}/pdf", {})["version"] == 2


def test_an_order_confirmation_prints_the_promised_dates(api, world):
    order = world.objects["sales.salesorder#confirmed"]
    kept = post(api, f"sales-orders/{order.pk}/pdf", {})
    text = pdf_text(api.get(f"/api/v1/documents/{kept['id']}/pdf").content)
    with org_scope(world.org):
        line = order.lines.get()
    assert "Order confirmation" in text and order.number in text and "Your order PO-7781" in text
    assert f"{line.promised_on:%-d %b %Y}" in text and "49.50" in text
    page = page_text(api.get(reverse("sales:salesorder_detail", args=[order.pk])))
    assert f"order-confirmation-{order.number}.pdf" in page


def test_a_quote_is_mailed_to_its_contact_once_the_request_commits(api, world, django_capture_on_commit_callbacks):
    quote = world.objects["sales.quote"]
    with django_capture_on_commit_callbacks(execute=True):
        kept = post(api, f"quotes/{quote.pk}/email", {})
    assert django_mail.outbox == [] and run_tasks("email") == 1
    [message] = django_mail.outbox
    assert message.to == ["dana.whitfield@acme.example"] and message.subject.startswith(f"Quote {quote.number} from")
    assert message.body.startswith("Dear Dana Whitfield,") and message.attachments[0][0] == kept["filename"]
    with org_scope(world.org):
        assert [r.pk for r in documents.for_record(quote)] == [kept["id"]]


def test_a_quote_without_a_contact_needs_an_address(api, world):
    bare = post(api, "quotes", {"partner": world.pk("partners.partner#both")})  # MCL has no contact
    refused = post(api, f"quotes/{bare['id']}/email", {}, status=400)
    assert refused["code"] == "quote_without_recipient" and refused["errors"][0]["field"] == "to"
    bad = post(api, f"quotes/{bare['id']}/email", {"to": "not-an-address"}, status=400)
    assert bad["errors"][0]["field"] == "to"
