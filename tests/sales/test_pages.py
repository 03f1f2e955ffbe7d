"""The Sell pages: quote and order lists (filters, sort), new documents, the document page with its lines, totals
and moves."""

from __future__ import annotations

import re

from django.urls import reverse

from factoryos.kernel.tenancy import org_scope
from factoryos.sales.models import Quote, SalesOrder
from tests.factories import HTMX, page_text


def numbers(response, kind: str) -> list[str]:
    return re.findall(rf'href="/sell/{kind}/\d+/">([A-Z]+-[0-9R-]+)</a>', response.content.decode())


def test_the_lists_filter_and_sort(world, owner):
    assert numbers(owner.get(reverse("sales:quote_list")), "quotes") == ["QU-00002", "QU-00001"]  # newest first
    sent = owner.get(reverse("sales:quote_list"), {"status": "sent"}, **HTMX)
    assert b"<html" not in sent.content and numbers(sent, "quotes") == ["QU-00002"]
    orders = owner.get(reverse("sales:salesorder_list"), {"sort": "number", "q": "PO-7781"})  # the sales world's
    assert numbers(orders, "orders") == ["SO-00001", "SO-00002", "SO-00003"]
    confirmed = owner.get(
        reverse("sales:salesorder_list"),
        {"status": "confirmed", "partner": world.pk("partners.partner"), "q": "PO-7781"},
    )
    assert numbers(confirmed, "orders") == ["SO-00002"]
    assert numbers(owner.get(reverse("sales:salesorder_list"), {"date_to": "2001-01-01"}), "orders") == []
    assert "Quotes" in page_text(owner.get(reverse("core:home"))) and "Sales orders" in page_text(orders)


def test_a_quote_is_started_filled_and_sent_from_its_page(world, owner):
    response = owner.post(reverse("sales:quote_create"), {"partner": world.pk("partners.partner"), "notes": "Rush"})
    assert response.status_code == 302
    with org_scope(world.org):
        quote = Quote.objects.get(notes="Rush")
    assert response["Location"] == reverse("sales:quote_detail", args=[quote.pk])
    add = reverse("sales:quote_line_add", args=[quote.pk])
    assert owner.post(add, {"line-item": world.pk("catalog.item"), "line-quantity": "12"}).status_code == 302
    refused = owner.post(add, {"line-quantity": "1"})  # no item, no description, no price
    assert refused.status_code == 400 and "needs a description" in page_text(refused)
    page = page_text(owner.get(reverse("sales:quote_detail", args=[quote.pk])))
    assert "BRK-100" in page and '<td class="num">41.5</td>' in page and "498.00" in page  # the break from 10
    assert '<th class="num" id="document-total">547.80</th>' in page and "Mark as sent" in page
    sent = page_text(owner.post(reverse("sales:quote_send", args=[quote.pk]), follow=True))
    assert "is sent: it can no longer change" in sent
    page = sent
    assert "Sent" in page and 'id="line-add"' not in page and 'value="revise"' in page and 'value="lose"' in page


def test_losing_a_quote_asks_why(world, owner):
    quote = world.objects["sales.quote#sent"]
    url = reverse("sales:quote_lose", args=[quote.pk])
    refused = owner.post(url, {"lose-reason": ""}, follow=True)
    assert "This field is required." in page_text(refused)
    with org_scope(world.org):
        quote.refresh_from_db()
    assert quote.status == "sent"
    assert owner.post(url, {"lose-reason": "Price"}).status_code == 302
    with org_scope(world.org):
        quote.refresh_from_db()
    assert (quote.status, quote.lost_reason) == ("lost", "Price")


def test_accepting_from_the_page_opens_the_order_and_confirming_shows_what_it_holds(world, owner):
    quote = world.objects["sales.quote#sent"]
    response = owner.post(reverse("sales:quote_accept", args=[quote.pk]), {"accept-customer_reference": "PO-1"})
    with org_scope(world.org):
        order = SalesOrder.objects.get(quote=quote)
    assert response["Location"] == reverse("sales:salesorder_detail", args=[order.pk])
    page = page_text(owner.get(response["Location"]))
    assert order.number in page and "Confirm order" in page and "Powder coat" in page
    owner.post(reverse("sales:salesorder_confirm", args=[order.pk]))
    page = page_text(owner.get(response["Location"]))
    assert "Confirmed" in page and "Confirm order" not in page and "Cancel order" in page
    assert '<th class="num">Reserved</th><th class="num">To make</th>' in page and "PO-1" in page


def test_a_credit_hold_is_a_message_on_the_page(world, member_client):
    from factoryos.sales import credit

    previous = credit.set_exposure_provider(lambda partner: (0, True))
    try:
        sales = member_client("sales")
        order = world.objects["sales.salesorder"]
        response = sales.post(reverse("sales:salesorder_confirm", args=[order.pk]), follow=True)
        assert "is on credit hold" in page_text(response) and "Draft" in page_text(response)
    finally:
        credit.set_exposure_provider(previous)
