"""Every email leaves through a background task: a request never waits on (or fails with) the mail server.

``send_later(message)`` (or ``send_mail_later(subject, body, to)``) packs the rendered message (subject, bodies,
sender, recipients, headers, attachments) into the task's arguments, sealed with the keyring (a password-reset link
is a credential, an address personal data, an attached invoice the customer's business, and the task table keeps its
rows), and enqueues ``deliver`` on the "email"
queue when the transaction commits: a request that rolls back sends nothing. ``deliver`` hands the message to the
configured backend; when the server cannot be reached or answers "try later" (4xx) it tries again with exponential
backoff (``kernel.tasks.retrying``: 30 s, 1 min, 2 min ... eight attempts over about an hour), and logs the final
failure. A refusal (5xx: no such mailbox, bad credentials) is not retried.

``check_email_transport`` is the deploy check (``manage.py check --deploy``) that production mail is encrypted.
"""

from __future__ import annotations

import base64
import json
import smtplib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.mail import EmailMessage, EmailMultiAlternatives

from factoryos.kernel import crypto
from factoryos.kernel.tasks import enqueue_on_commit, retrying

QUEUE = "email"
ATTEMPTS = 8
FIRST_DELAY = 30.0  # seconds
_AAD = b"factoryos.kernel.mail"  # what the sealed message is: it opens as nothing else
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # all of a message's attachments together: they travel in the task's row


def _attachments(message: EmailMessage) -> list[list[str]]:
    """[file name, base64 of the content, MIME type] of each attachment added with ``message.attach(name, content,
    type)`` (text content as UTF-8); a ready-made MIME part cannot be packed and is refused."""
    packed, total = [], 0
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise ValueError("send_later() packs attachments given as (file name, content, type), not MIME parts")
        filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else bytes(content)
        total += len(raw)
        packed.append([str(filename), base64.b64encode(raw).decode(), mimetype or "application/octet-stream"])
    if total > MAX_ATTACHMENT_BYTES:
        raise ValueError(f"the attachments are larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB")
    return packed


def pack(message: EmailMessage) -> str:
    """The message as one sealed, JSON-safe string, attachments included."""
    parts = {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": _attachments(message),
    }
    return crypto.keyring().seal(json.dumps(parts).encode(), _AAD)


def unpack(sealed: str) -> EmailMultiAlternatives:
    parts = json.loads(crypto.keyring().open(sealed, _AAD))
    alternatives = parts.pop("alternatives")
    attachments = parts.pop("attachments", [])  # a message queued before attachments were packed has none
    message = EmailMultiAlternatives(**parts)
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    for filename, encoded, mimetype in attachments:
        message.attach(filename, base64.b64decode(encoded), mimetype)  # text/* bytes: Django decodes UTF-8 itself
    return message


def is_transient(exc: BaseException) -> bool:
    """Worth trying again later: the server unreachable, gone, timed out, or answering 4xx; not a 5xx refusal."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _ in exc.recipients.values())
    return isinstance(exc, OSError)  # connection refused or reset, DNS, TLS, timeouts (SMTPException is one too)


@retrying(attempts=ATTEMPTS, first_delay=FIRST_DELAY, transient=is_transient, queue_name=QUEUE, priority=10)
def deliver(sealed: str) -> int:
    """Send one packed message; the number of messages sent (1)."""
    return unpack(sealed).send()


def send_later(message: EmailMessage) -> None:
    """Send ``message`` from the worker, once the current transaction commits."""
    enqueue_on_commit(deliver, pack(message))


def send_mail_later(subject: str, body: str, to: Sequence[str], *, from_email: str | None = None) -> None:
    send_later(EmailMessage(subject, body, from_email or settings.DEFAULT_FROM_EMAIL, list(to)))


def check_email_transport(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Deploy check: SMTP without TLS or SSL sends sign-in links and password resets in the clear."""
    if settings.EMAIL_BACKEND != SMTP_BACKEND:
        return []
    if settings.EMAIL_USE_TLS or settings.EMAIL_USE_SSL:
        return []
    return [
        checks.Error(
            "Email is sent over SMTP without encryption: EMAIL_USE_TLS and EMAIL_USE_SSL are both off.",
            hint="Set EMAIL_USE_TLS=true (STARTTLS, port 587; the production default) or EMAIL_USE_SSL=true "
            "(port 465).",
            id="factoryos.E031",
        )
    ]
