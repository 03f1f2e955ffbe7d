"""Reading the audit trail: one reader (and one filter) for its page, the CSV export and the API."""

from __future__ import annotations

import io

from django.db.models import QuerySet

from factoryos.audit.filters import AuditEventFilterSet
from factoryos.audit.models import ACCOUNT_ACTIONS, AuditEvent
from factoryos.kernel import spreadsheets
from factoryos.kernel.reads import Reader

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


events = Reader(
    AuditEvent,
    queryset=lambda: AuditEvent.objects.select_related("actor_user", "actor_api_key").order_by("-seq"),
    filterset=AuditEventFilterSet,
)


def account_activity(user_id: int) -> QuerySet[AuditEvent]:
    """A person's own logins, failures, password and MFA changes (in the current organization's chain)."""
    return AuditEvent.objects.filter(
        object_type="accounts.user", object_id=str(user_id), action__in=ACCOUNT_ACTIONS
    ).order_by("-seq")


def object_types() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct())


def to_csv(qs: QuerySet[AuditEvent]) -> tuple[str, int]:
    """The events as CSV text, and how many rows it holds."""
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out)  # attacker-chosen text (a Referer, an email) stays inert
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for event in qs.iterator(chunk_size=2000):
        writer.writerow([getattr(event, c) for c in EXPORT_COLUMNS])
        count += 1
    return out.getvalue(), count
