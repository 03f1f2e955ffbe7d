"""The tax invoice and the credit note as PDFs: printed from the issued document, its totals read back."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.db import transaction
from pypdf import PdfReader

from factoryos.books import services
from factoryos.documents import selectors as documents
from factoryos.kernel.errors import ConflictError
from factoryos.kernel.tenancy import org_scope


def _text(rendered) -> str:
    with org_scope(rendered.org):
        pdf = documents.pdf_of(rendered)
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_issued_invoice_and_its_credit_note_print_their_totals(world):
    owner = world.owner
    with transaction.atomic(), org_scope(world.org):
        invoice = services.invoice_create(actor=owner, partner=world.objects["partners.partner"])
        # 3 x 19.99 = 59.97, GST 6.00 (5.997): 65.97
        services.invoice_line_create(
            actor=owner, invoice=invoice, description="Laser cutting", quantity=D("3"), unit_price=D("19.99")
        )
        with pytest.raises(ConflictError):
            services.invoice_pdf(actor=owner, obj=invoice)  # a draft has no number yet
        invoice = services.invoice_issue(actor=owner, obj=invoice)
        printed = services.invoice_pdf(actor=owner, obj=invoice)
        credit = services.invoice_issue(actor=owner, obj=services.credit_note_for(actor=owner, obj=invoice))
        credited = services.invoice_pdf(actor=owner, obj=credit)
    text = _text(printed)
    assert "Tax invoice" in text and invoice.number in text and world.org.legal_name in text
    assert "59.97" in text and "6.00" in text and "65.97" in text and "Amount due 65.97" in text
    text = _text(credited)
    assert "Credit note" in text and credit.number in text and f"Credit for {invoice.number}" in text
    assert "65.97" in text
