"""The audit trail, read-only. Reading and exporting it is itself audited."""

from datetime import datetime

from ninja import Query, Router, Schema

from factoryos.audit import selectors
from factoryos.audit.filters import AuditEventFilterSet
from factoryos.audit.views import csv_response
from factoryos.kernel.access import requires
from factoryos.kernel.api import PageParams, page_of
from factoryos.kernel.filters import query_schema
from factoryos.kernel.reads import EXPORT, LIST, VIEW, reads
from factoryos.kernel.resources import PathId, paged

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    seq: int
    created_at: datetime
    actor_user_id: int | None
    actor_api_key_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict
    metadata: dict
    ip: str | None
    browser: str
    browser_version: str
    os: str
    device: str
    request_id: str
    referrer: str
    path: str
    method: str
    prev_mac: str
    mac: str
    mac_key: str
    erased: bool


EventParams = query_schema(AuditEventFilterSet)


@router.get("/audit-events", response=page_of(AuditEventOut))
@requires("audit.view")
@reads(LIST)
def audit_event_list(request, params: Query[EventParams], page: Query[PageParams]):  # type: ignore[valid-type]
    return paged(request, selectors.events, params, page)


@router.get(
    "/audit-events/export.csv",
    response={200: str},
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
@requires("audit.view")
@reads(EXPORT)
def audit_event_export(request, params: Query[EventParams]):  # type: ignore[valid-type]
    return csv_response(request, "audit-events.csv", params.model_dump(exclude_none=True))


@router.get("/audit-events/{event_id}", response=AuditEventOut)
@requires("audit.view")
@reads(VIEW)
def audit_event_get(request, event_id: PathId):
    return selectors.events.get(event_id, actor=request.membership)
