"""Reading the audit trail: one reader (and one filter) for its page, the CSV export and the API."""

from __future__ import annotations

import io

from django.db.models import QuerySet

from factoryos.audit import context as audit_context
from factoryos.audit.filters import AuditEventFilterSet
from factoryos.audit.models import ACCOUNT_ACTIONS, AuditEvent, restricted_types
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
    "mac",
)


def hidden_object_types(permissions: frozenset[str]) -> list[str]:
    """The records whose events the acting member may not see: a model with ``audit_permission`` (employee records:
    ``people.view``) shows its events, titles and search filters only to those who may see the records."""
    return sorted(label for label, needed in restricted_types().items() if needed not in permissions)


def visible() -> QuerySet[AuditEvent]:
    """The current organization's events the acting member (or key) may see, with the keys that open them."""
    qs = AuditEvent.objects.select_related("actor_user", "actor_api_key", "actor_key", "subject_key")
    hidden = hidden_object_types(audit_context.get().permissions)
    return (qs.exclude(object_type__in=hidden) if hidden else qs).order_by("-seq")


events = Reader(AuditEvent, queryset=visible, filterset=AuditEventFilterSet)


def account_activity(user_id: int) -> QuerySet[AuditEvent]:
    """A person's own logins, failures, password and MFA changes (in the current organization's chain)."""
    return (
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user_id), action__in=ACCOUNT_ACTIONS)
        .select_related("actor_key", "subject_key")
        .order_by("-seq")
    )


def object_types() -> list[str]:
    hidden = hidden_object_types(audit_context.get().permissions)
    types = AuditEvent.objects.exclude(object_type__in=hidden).order_by().values_list("object_type", flat=True)
    return list(types.distinct())


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
