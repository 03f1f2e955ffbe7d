"""What the documents' page and API operations share: the guarded fetch and the PDF response."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from factoryos.documents import selectors
from factoryos.documents.models import Rendered
from factoryos.kernel.access import check

# The mark of a view whose guard is the object's own permission: ``required_permission_of`` names the attribute of
# the object that holds it (the role matrix reads it from the world's object, as it reads ``required_permission``).
OBJECT_PERMISSION = "view_permission"


def readable(request: HttpRequest, pk: int) -> Rendered:
    """The current organization's document ``pk`` (else Http404), if the caller may read it: the document's own
    ``view_permission`` (else PermissionDenied, a 403)."""
    rendered = selectors.documents.fetch(pk)
    check(request, rendered.view_permission)
    return rendered


def pdf_response(rendered: Rendered, pdf: bytes, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{rendered.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
