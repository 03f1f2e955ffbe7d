"""The audit trail's pages: the filtered list, one event, and the CSV export (each read is itself audited)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from factoryos.audit import selectors
from factoryos.kernel.events import Action
from factoryos.kernel.reads import EXPORT
from factoryos.web.pages import DetailPage, ListPage, Page, route
from factoryos.web.tables import Column


@route("control/audit/", "audit_list", menu=("Control", "Audit trail", "shield"))
class AuditList(ListPage):
    noun, reader = "event", selectors.events
    columns = [
        Column("seq", "#"),
        Column("when", "When"),
        Column("who", "Who"),
        Column("action", "Action"),
        Column("object", "Object"),
        Column("from", "From"),
    ]

    def get_context(self, listing: Any) -> dict[str, Any]:
        return {"object_types": selectors.object_types(), "previous_label": "Newer", "next_label": "Older"}


@route("control/audit/<int:pk>/", "audit_detail")
class AuditDetail(DetailPage):
    noun, reader = "event", selectors.events


@route("control/audit/export.csv", "audit_export")
class AuditExport(Page):
    """The filtered trail as CSV (the export is one EXPORT event)."""

    reads = EXPORT

    def get(self, request: HttpRequest) -> HttpResponse:
        return csv_response(request, "audit-trail.csv")


def csv_response(request: HttpRequest, filename: str, params: Any = None) -> HttpResponse:
    """The audit events matching ``params`` (default: the request's query) as a CSV download, recorded."""
    listing = selectors.events.filter(request.GET if params is None else params)
    body, count = selectors.to_csv(listing.queryset)
    listing.record(count=count, actor=request.membership, action=Action.EXPORT, format="csv")  # type: ignore[attr-defined]
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
