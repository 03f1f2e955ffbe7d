"""The purchase order's PDF (totals read back from it) and its mail to the supplier's contact."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest
from django.core import mail as django_mail

from factoryos.documents import selectors as documents
from factoryos.kernel.errors import DomainError
from factoryos.partners import services as partners
from factoryos.purchasing import services
from factoryos.purchasing.models import POStatus
from tests.worker import run_tasks

D = Decimal


def pdf_text(rendered) -> str:
    pdf = documents.pdf_of(rendered)
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_prints_the_supplier_lines_and_totals(shop):
    order = shop.order("200", "1.2995", discount="10", supplier_reference="Q-991")  # 233.91 net, 23.39 GST
    rendered = services.purchase_order_pdf(actor=shop.owner, obj=order)
    assert (rendered.kind, rendered.number, rendered.view_permission) == (
        "purchase_order",
        "PO-00001",
        "purchasing.view",
    )
    text = pdf_text(rendered)
    for expected in ("Purchase order", "PO-00001", "Blue Pty Ltd", "BLT-10", "Bolt M10", "Your reference Q-991"):
        assert expected in text, expected
    assert "233.91" in text and "23.39" in text and "257.30" in text
    assert order.total == D("257.30")


def test_emailing_an_approved_order_sends_it_to_the_primary_contact(shop, django_capture_on_commit_callbacks):
    partners.contact_create(actor=shop.owner, partner=shop.supplier, name="Kim Lee", email="kim@blue.example")
    order = services.purchase_order_submit(actor=shop.owner, obj=shop.order())
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.purchase_order_email(actor=shop.owner, obj=order)
    assert sent.status == POStatus.SENT and sent.sent_by_id == shop.owner.user_id
    assert run_tasks("email") == 1
    [message] = django_mail.outbox
    assert message.to == ["kim@blue.example"] and message.subject.startswith("Purchase order PO-00001 from ")
    [(filename, _content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("purchase-order-PO-00001.pdf", "application/pdf")


def test_an_order_without_an_address_or_not_approved_is_not_mailed(shop):
    draft = shop.order()
    response = shop.client().post(f"/api/v1/purchase-orders/{draft.pk}/email", {}, "application/json")
    assert response.status_code == 409
    order = services.purchase_order_submit(actor=shop.owner, obj=draft)
    with pytest.raises(DomainError) as refused:
        services.purchase_order_email(actor=shop.owner, obj=order)
    assert (refused.value.code, refused.value.field) == ("no_email", "to")
