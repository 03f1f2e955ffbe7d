"""Reading the audit trail: one filter for the admin page, the CSV export and the API."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from factoryos.audit.models import ACCOUNT_ACTIONS, AuditEvent

EXPORT_COLUMNS = (
    "seq",
    "created_at",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "metadata",
    "ip",
    "browser",
    "browser_version",
    "os",
    "device",
    "request_id",
    "referrer",
    "path",
    "method",
    "hash",
)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def events(
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("actor_user", "actor_api_key")
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to and date_to < date.max:  # the last representable day has no "next day": it bounds nothing
        qs = qs.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    return qs.order_by("-seq")


def account_activity(user_id: int) -> QuerySet[AuditEvent]:
    """A person's own logins, failures, password and MFA changes (in the current organization's chain)."""
    return AuditEvent.objects.filter(
        object_type="accounts.user", object_id=str(user_id), action__in=ACCOUNT_ACTIONS
    ).order_by("-seq")


def object_types() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct())


def to_csv(qs: QuerySet[AuditEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for event in qs.iterator(chunk_size=2000):
        writer.writerow([getattr(event, c) for c in EXPORT_COLUMNS])
    return out.getvalue()
