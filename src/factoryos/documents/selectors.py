"""Reading documents: one reader, the latest version of a record's document, and opening one (the recorded read).

The rows (``documents``) carry what a list or a page shows; their sealed PDF (``content``) is deferred and read only
by ``opened``. Opening a document's PDF hands the whole record out (a download, an attachment), so it is recorded
as an EXPORT of the document (which record, kind, number, version), under who opens it, as ``jobs.selectors
.made_file`` records a job's file. Who may open one is fixed on the row (``view_permission``: the record's module's
view permission); ``may_open`` checks it for a member (or the API key they act through).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import QuerySet

from factoryos.documents.filters import RenderedFilterSet
from factoryos.documents.models import Rendered
from factoryos.kernel import crypto, events
from factoryos.kernel.events import Action, Actor
from factoryos.kernel.permissions import PERMISSIONS, is_read
from factoryos.kernel.reads import Reader

documents = Reader(
    Rendered,
    queryset=lambda: Rendered.objects.defer("content").select_related("created_by"),
    filterset=RenderedFilterSet,
)
READ_PERMISSIONS = tuple(p for p in PERMISSIONS if is_read(p))


def record_label(record: models.Model) -> str:
    return record._meta.label_lower


def for_record(record: models.Model, kind: str | None = None) -> QuerySet[Rendered]:
    """Every version of ``record``'s documents (of ``kind``), newest first; no event (a page lists its record's
    documents beside the record it has already recorded viewing)."""
    rows = documents.all().filter(record_type=record_label(record), record_id=record.pk)
    return (rows if kind is None else rows.filter(kind=kind)).order_by("-version", "-id")


def latest_for(record: models.Model, kind: str) -> Rendered | None:
    """The newest version of ``record``'s document of ``kind``, or None."""
    return for_record(record, kind).first()


def may_open(actor: Any, rendered: Rendered) -> bool:
    """Whether ``actor`` (a member, perhaps acting through an API key) may open ``rendered``."""
    return bool(actor.may(rendered.view_permission))


def visible(allowed: Callable[[str], bool], queryset: QuerySet[Rendered] | None = None) -> QuerySet[Rendered]:
    """The documents whose ``view_permission`` passes ``allowed`` (e.g. ``lambda p: has_perm(request, p)``)."""
    permitted = [p for p in READ_PERMISSIONS if allowed(p)]
    return (documents.all() if queryset is None else queryset).filter(view_permission__in=permitted)


def pdf_of(rendered: Rendered) -> bytes:
    """The PDF as it was stored, opened and checked against its SHA-256 (no event: see ``opened``)."""
    sealed = Rendered.objects.filter(pk=rendered.pk).values_list("content", flat=True).get()
    pdf = b"".join(crypto.decrypt_stream(io.BytesIO(bytes(sealed))))
    if hashlib.sha256(pdf).hexdigest() != rendered.sha256:
        raise crypto.DecryptionError(f"document {rendered.pk} does not match its SHA-256")
    return pdf


def opened(rendered: Rendered, *, actor: Actor | None, **metadata: Any) -> bytes:
    """The PDF, for its download: recorded as an EXPORT of the document by ``actor``."""
    pdf = pdf_of(rendered)
    events.record(
        action=Action.EXPORT,
        actor=actor,
        obj=rendered,
        metadata={
            "record": f"{rendered.record_type}:{rendered.record_id}",
            "kind": rendered.kind,
            "number": rendered.number,
            "version": rendered.version,
            "size": rendered.size,
            **metadata,
        },
    )
    return pdf
