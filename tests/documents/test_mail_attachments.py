"""kernel.mail carries attachments: sealed in the task's arguments like the body, sent as they were attached."""

from __future__ import annotations

import base64
from email.mime.base import MIMEBase

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives

from factoryos.kernel import mail

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF"


def _message() -> EmailMessage:
    message = EmailMultiAlternatives("Invoice INV-7", "Attached.", "shop@example.com", ["pat@example.com"])
    message.attach_alternative("<p>Attached.</p>", "text/html")
    message.attach("invoice-INV-7.pdf", PDF, "application/pdf")
    message.attach("lines.csv", "sku,qty\nBRK-100,2\n", "text/csv")
    return message


def test_attachments_survive_packing_unchanged():
    opened = mail.unpack(mail.pack(_message()))
    assert opened.attachments == [
        ("invoice-INV-7.pdf", PDF, "application/pdf"),
        ("lines.csv", "sku,qty\nBRK-100,2\n", "text/csv"),
    ]
    assert opened.alternatives[0][0] == "<p>Attached.</p>" and opened.body == "Attached."
    sent = opened.message().as_bytes()
    assert b"Content-Type: application/pdf" in sent and b'filename="invoice-INV-7.pdf"' in sent


def test_the_packed_message_shows_nothing_of_its_attachments():
    packed = mail.pack(_message())
    assert packed.startswith("fos1:")
    assert base64.b64encode(PDF).decode()[:40] not in packed and "BRK-100" not in packed


def test_a_message_packed_without_attachments_still_opens():
    opened = mail.unpack(mail.pack(EmailMessage("Hi", "Body", "a@example.com", ["b@example.com"])))
    assert opened.attachments == [] and opened.subject == "Hi"


def test_a_ready_made_mime_part_is_refused():
    message = EmailMessage("Hi", "Body", "a@example.com", ["b@example.com"])
    message.attach(MIMEBase("application", "octet-stream"))
    with pytest.raises(ValueError, match="MIME parts"):
        mail.pack(message)


def test_attachments_over_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(mail, "MAX_ATTACHMENT_BYTES", 100)
    with pytest.raises(ValueError, match="larger than"):
        mail.pack(_message())
