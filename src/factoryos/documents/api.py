"""GET /documents, /documents/{id} and /documents/{id}/pdf: the PDFs kept with their records.

Documents are made by the services of the records they print (a quote's PDF when it is sent); the API reads them.
Who may read one is on the row (``view_permission``, the record's module's view permission): the list shows the
documents the caller may read, a document of another organization is a 404, and one the caller may not read a 403.
Reading the PDF is the recorded export (documents/selectors.py).
"""

from __future__ import annotations

from ninja import Query, Router

from factoryos.documents import selectors
from factoryos.documents.filters import RenderedFilterSet
from factoryos.documents.http import OBJECT_PERMISSION, pdf_response, readable
from factoryos.documents.schemas import RenderedOut
from factoryos.kernel.access import has_perm
from factoryos.kernel.api import PageParams, page_of, paginate
from factoryos.kernel.filters import query_schema
from factoryos.kernel.reads import EXPORT, LIST, VIEW, reads
from factoryos.kernel.resources import PathId, filter_errors

router = Router(tags=["documents"])
RenderedParams = query_schema(RenderedFilterSet)
PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


@router.get("/documents", response=page_of(RenderedOut), summary="List the documents (PDFs) the caller may read")
@reads(LIST)
def document_list(request, params: Query[RenderedParams], page: Query[PageParams]):  # type: ignore[valid-type]
    visible = selectors.visible(lambda permission: has_perm(request, permission))
    listing = selectors.documents.filter(params.model_dump(exclude_none=True), queryset=visible)
    if not listing.filterset.is_valid():
        raise filter_errors(listing.filterset)
    result = paginate(listing.queryset, limit=page.limit, offset=page.offset, ordering=None, allowed=set())
    listing.record(count=result["count"], actor=request.membership)
    return result


@router.get("/documents/{id}", response=RenderedOut, url_name="document_get", summary="Read one document's details")
@reads(VIEW)
def document_get(request, id: PathId):  # noqa: A002 - the path parameter's name
    return selectors.documents.viewed(readable(request, id), actor=request.membership)


@router.get(
    "/documents/{id}/pdf",
    response={200: str},
    url_name="document_pdf",
    summary="Download one document's PDF",
    openapi_extra={"responses": {200: {"content": PDF}}},
)
@reads(EXPORT)
def document_pdf(request, id: PathId):  # noqa: A002 - the path parameter's name
    rendered = readable(request, id)
    return pdf_response(rendered, selectors.opened(rendered, actor=request.membership))


# Their guard is the document's own permission (documents/http.py).
document_get.required_permission_of = OBJECT_PERMISSION  # type: ignore[attr-defined]
document_pdf.required_permission_of = OBJECT_PERMISSION  # type: ignore[attr-defined]
