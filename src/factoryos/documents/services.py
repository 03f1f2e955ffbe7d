"""Writing documents: store a rendered PDF with its record (sealed, versioned, audited), and mail one.

- ``store_pdf(actor=, record=, kind=, number=, pdf=)``: the next version of ``record``'s document of ``kind``, its
  PDF sealed with the keyring's envelope format (as ``jobs.Job.upload``), its SHA-256 and size kept in the clear; a
  CREATE event in the caller's transaction. Who may open it (``view_permission``) is the record's module's view
  permission ("sales.view"; books records: "finance.view"), fixed now.
- ``render_and_store(..., template=, context=)``: ``render.render_pdf`` then ``store_pdf``.
- ``email_pdf(actor=, rendered=, to=, subject=, body=, contact_id=)``: the mail with the PDF attached leaves through
  the task queue (``kernel.mail.send_later``: sealed in the task's arguments, sent once the transaction commits).
  One EXPORT event per recipient records who sent which document to whom. A recipient's address is personal data:
  the event is made *about* the recipient (audit subject ``email:<keyed hash>``, as an invitation's), so audit v2
  seals its title and metadata, the address included, under that person's key. An auditor reads the address while
  the key exists; erasing the person (``audit.sealing.erase([email_subject(address)])``, which
  ``accounts.services.user_erase`` already does for a user's address) makes it unreadable, and the chain still
  verifies. A plain hash alone would have said nothing useful to an auditor ("sent to whom?"), and the address in
  the clear could not be erased.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import models, transaction

from factoryos.audit.sealing import email_subject
from factoryos.core.models import Membership
from factoryos.documents import selectors
from factoryos.documents.errors import DocumentError
from factoryos.documents.models import DocumentKind, Rendered
from factoryos.documents.render import render_pdf
from factoryos.kernel import crypto, diffs, events, mail
from factoryos.kernel.errors import CommonError, DomainError, field_errors
from factoryos.kernel.events import Action
from factoryos.kernel.permissions import PERMISSIONS, is_read

MAX_PDF_BYTES = 20 * 1024 * 1024  # a document of a few hundred pages; a mail server takes about this much
MAX_RECIPIENTS = 10
# Apps whose records have no permission module of their own name.
MODULE_OF_APP = {"books": "finance", "core": "org"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def view_permission_of(record: models.Model) -> str:
    """The permission that lets a member see ``record``: its app's module's view permission."""
    app = record._meta.app_label
    permission = f"{MODULE_OF_APP.get(app, app)}.view"
    if permission not in PERMISSIONS:
        raise DomainError(
            f"Records of {app} have no view permission: name one for their documents.",
            code=DocumentError.NO_VIEW_PERMISSION,
            field="view_permission",
        )
    return permission


def filename_for(kind: str, number: str, version: int) -> str:
    """``quote-QU-00012.pdf``; from version 2 on, ``quote-QU-00012-v2.pdf``."""
    stem = _UNSAFE.sub("-", f"{kind.replace('_', '-')}-{number}").strip("-.")[:180] or kind
    return f"{stem}{'' if version == 1 else f'-v{version}'}.pdf"


def _check_pdf(pdf: bytes) -> None:
    if not pdf.startswith(b"%PDF-"):
        raise DomainError("This is not a PDF.", code=DocumentError.NOT_A_PDF, field="pdf")
    if len(pdf) > MAX_PDF_BYTES:
        raise DomainError(
            f"The PDF is larger than {MAX_PDF_BYTES // (1024 * 1024)} MB.", code=DocumentError.TOO_LARGE, field="pdf"
        )


def seal(pdf: bytes) -> bytes:
    return b"".join(crypto.encrypt_stream([pdf]))


@transaction.atomic
def store_pdf(
    *,
    actor: Membership,
    record: models.Model,
    kind: str,
    number: str,
    pdf: bytes,
    view_permission: str | None = None,
) -> Rendered:
    """Keep ``pdf`` as the next version of ``record``'s document of ``kind`` (sealed); one CREATE event."""
    _check_pdf(pdf)
    permission = view_permission or view_permission_of(record)
    if permission not in PERMISSIONS or not is_read(permission):
        raise DomainError(
            f"{permission!r} is not a view permission.", code=DocumentError.NO_VIEW_PERMISSION, field="view_permission"
        )
    record_type = selectors.record_label(record)
    # The record's row is the lock two renderings of it queue on, so that each takes the next version.
    list(type(record)._base_manager.select_for_update(of=("self",)).filter(pk=record.pk).values_list("pk"))
    previous = (
        Rendered.objects.filter(record_type=record_type, record_id=record.pk, kind=kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    version = (previous or 0) + 1
    rendered = Rendered(
        org=actor.org,
        kind=kind,
        record_type=record_type,
        record_id=record.pk,
        number=number,
        version=version,
        filename=filename_for(kind, number, version),
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        view_permission=permission,
        created_by=actor.user,
    )
    try:
        rendered.full_clean(exclude=["org", "uid", "content", "created_by"])
    except ValidationError as exc:  # a number too long, an unknown kind: errors on those fields, with their codes
        raise DomainError.of(field_errors(exc)) from exc
    changes = diffs.created_fields(rendered)  # before the sealed PDF is set: it has no place in a diff
    rendered.content = seal(pdf)
    rendered.save(force_insert=True)
    changes["content"] = [None, f"(sealed PDF, {len(pdf)} bytes)"]
    events.record(action=Action.CREATE, actor=actor, obj=rendered, changes=changes)
    return rendered


def render_and_store(
    *,
    actor: Membership,
    record: models.Model,
    kind: str,
    number: str,
    template: str,
    context: dict[str, Any],
    view_permission: str | None = None,
) -> Rendered:
    """Render ``template`` (extending documents/base.html) with ``context`` and keep it as ``store_pdf`` does."""
    if kind not in DocumentKind.values:
        raise DomainError(f"Unknown document kind {kind!r}.", code=CommonError.INVALID_CHOICE, field="kind")
    pdf = render_pdf(template, context)
    return store_pdf(actor=actor, record=record, kind=kind, number=number, pdf=pdf, view_permission=view_permission)


def _recipients(to: str | Sequence[str]) -> list[str]:
    addresses = [to] if isinstance(to, str) else list(to)
    addresses = list(dict.fromkeys(a.strip() for a in addresses if a and a.strip()))
    if not addresses:
        raise DomainError("Give at least one address to send it to.", code=DocumentError.NO_RECIPIENT, field="to")
    if len(addresses) > MAX_RECIPIENTS:
        raise DomainError(f"At most {MAX_RECIPIENTS} addresses at once.", code=CommonError.OUT_OF_RANGE, field="to")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise DomainError(
                f"{address[:80]!r} is not an email address.", code=CommonError.INVALID, field="to"
            ) from exc
    return addresses


def _about(rendered: Rendered, address: str) -> Rendered:
    """The document as the event of its sending names it: about the person it went to (their audit subject), so
    that what the event says, their address included, is sealed under their key."""
    about = copy.copy(rendered)
    about.audit_subject = email_subject(address)  # type: ignore[attr-defined]  # read by audit.services.record
    return about


@transaction.atomic
def email_pdf(
    *,
    actor: Membership,
    rendered: Rendered,
    to: str | Sequence[str],
    subject: str,
    body: str,
    contact_id: int | None = None,
) -> None:
    """Mail ``rendered`` (attached) to ``to`` through the task queue, once this transaction commits."""
    if not selectors.may_open(actor, rendered):
        raise PermissionDenied(f"You need the '{rendered.view_permission}' permission to send this document.")
    addresses = _recipients(to)
    subject = " ".join(subject.split())[:200]
    if not subject:
        raise DomainError("Give the mail a subject.", code=CommonError.REQUIRED, field="subject")
    message = EmailMessage(subject, body[:20000], settings.DEFAULT_FROM_EMAIL, addresses)
    message.attach(rendered.filename, selectors.pdf_of(rendered), "application/pdf")
    mail.send_later(message)
    for address in addresses:
        events.record(
            action=Action.EXPORT,
            actor=actor,
            obj=_about(rendered, address),
            metadata={
                "channel": "email",
                "to": address,
                "contact": contact_id,
                "subject": subject,
                "record": f"{rendered.record_type}:{rendered.record_id}",
                "kind": rendered.kind,
                "number": rendered.number,
                "version": rendered.version,
                "sha256": rendered.sha256,
            },
        )
