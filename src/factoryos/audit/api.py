"""The audit trail, read-only. Reading and exporting it is itself audited."""

import re
from datetime import date, datetime, timedelta
from typing import Annotated

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from factoryos.audit import selectors
from factoryos.audit.models import AuditEvent
from factoryos.kernel import events
from factoryos.kernel.access import requires
from factoryos.kernel.api import PageParams, page_of, paginate
from factoryos.kernel.events import Action

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
    prev_hash: str
    hash: str


# A day's bounds are computed in the active time zone (and date_to's next midnight), which must stay within datetime.
FIRST_DAY, LAST_DAY = date.min + timedelta(days=1), date.max - timedelta(days=1)


def _iso_date(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        # pydantic would also read "0" or "1700000000" as a Unix time; the schema says format: date
        raise PydanticCustomError("date_format", "Use a date as YYYY-MM-DD.")
    return value


def _in_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("date_range", f"Use a date from {FIRST_DAY} to {LAST_DAY}.")
    return value


Day = Annotated[date, BeforeValidator(_iso_date), AfterValidator(_in_range)]


class AuditFilter(Schema):
    actor: str = ""
    action: Action | None = None
    object_type: str = ""
    date_from: Day | None = None
    date_to: Day | None = None


@router.get("/audit-events", response=page_of(AuditEventOut))
@requires("audit.view")
def audit_event_list(request, filters: Query[AuditFilter], page: Query[PageParams]):
    criteria = filters.model_dump(exclude_none=True)
    result = paginate(selectors.events(**criteria), limit=page.limit, offset=page.offset, ordering=None, allowed=set())
    events.record_list(
        object_type="audit.auditevent", criteria={k: v for k, v in criteria.items() if v}, count=result["count"]
    )
    return result


@router.get(
    "/audit-events/export.csv",
    response={200: str},
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
@requires("audit.view")
def audit_event_export(request, filters: Query[AuditFilter]):
    criteria = filters.model_dump(exclude_none=True)
    qs = selectors.events(**criteria)
    body = selectors.to_csv(qs)
    events.record_list(
        action=Action.EXPORT,
        object_type="audit.auditevent",
        criteria={k: v for k, v in criteria.items() if v},
        count=qs.count(),
        format="csv",
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
    return response


@router.get("/audit-events/{event_id}", response=AuditEventOut)
@requires("audit.view")
def audit_event_get(request, event_id: int):
    return get_object_or_404(AuditEvent.objects, pk=event_id)
