"""Record audit events in the caller's transaction, hash-chained per organization."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Unpack

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from factoryos.audit import context as audit_context
from factoryos.audit.models import AuditEvent
from factoryos.kernel.events import Actor, Event
from factoryos.kernel.tenancy import current_org, org_scope

if TYPE_CHECKING:
    from factoryos.core.models import Organization

GENESIS = "0" * 64
_LOCK_NAMESPACE = 0x464F53  # "FOS": advisory-lock namespace for per-organization audit chains


def _hash_payload(event: AuditEvent) -> str:
    payload = {
        "org": event.org_id,
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "actor_user": event.actor_user_id,
        "actor_api_key": event.actor_api_key_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "metadata": event.metadata,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "request_id": event.request_id,
        "referrer": event.referrer,
        "path": event.path,
        "method": event.method,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lock_chain(org_id: int) -> None:
    """Serialize inserts into one organization's chain until the transaction ends (no forks)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, org_id])
    # SQLite: transactions are IMMEDIATE (settings), so writers are already serialized.


def _identity(actor: Actor | None, ctx: audit_context.AuditContext) -> tuple[int | None, int | None, str]:
    """(user id, API key id, label) of who acts."""
    if actor is None:
        return ctx.actor_user_id, ctx.actor_api_key_id, ctx.actor_label or "system"
    key = getattr(actor, "acting_key", None)
    if key is not None:
        return None, key.pk, f"API key {key.name}"
    return actor.user_id, None, actor.user.email  # type: ignore[attr-defined]


def object_label(obj: models.Model) -> tuple[str, str, str]:
    return obj._meta.label_lower, str(obj.pk), str(obj)[:200]


def record(*, action: str, **given: Unpack[Event]) -> AuditEvent:
    """Append one event to the organization's chain. Must run inside the transaction of the change it records.

    Who acted is ``actor`` when given (a member, or a member acting through an API key), else whoever the request's
    audit context names; where from (IP, browser, request id) always comes from the context."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    obj = given.get("obj")
    org = given.get("org") or getattr(obj, "org", None) or current_org()
    if org is None:
        raise RuntimeError("audit.record needs an organization")
    if obj is not None:
        object_type, object_id, object_repr = object_label(obj)
    else:
        object_type, object_id = given.get("object_type", ""), given.get("object_id", "")
        object_repr = given.get("object_repr", "")
    changes, metadata = given.get("changes"), given.get("metadata")
    ctx = audit_context.get()
    actor_user_id, actor_api_key_id, actor_label = _identity(given.get("actor"), ctx)
    agent = audit_context.parse_agent(ctx.user_agent)
    with org_scope(org):
        _lock_chain(org.pk)
        last = AuditEvent.all_tenants.filter(org=org).order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        event = AuditEvent(
            org=org,
            seq=seq,
            created_at=timezone.now(),
            actor_user_id=actor_user_id,
            actor_api_key_id=actor_api_key_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            changes=json.loads(json.dumps(changes or {}, default=str)),
            metadata=json.loads(json.dumps(metadata or {}, default=str)),
            ip=clean_ipv6_address(ctx.ip) if ctx.ip and ":" in ctx.ip else ctx.ip,
            user_agent=ctx.user_agent,
            browser=agent.browser,
            browser_version=agent.browser_version,
            os=agent.os,
            device=agent.device,
            request_id=ctx.request_id,
            referrer=ctx.referrer,
            path=ctx.path,
            method=ctx.method,
            prev_hash=prev_hash,
        )
        event.hash = _hash_payload(event)
        event.save(force_insert=True)
    return event


# -- verification -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChainBreak:
    org_id: int
    seq: int
    event_id: int
    reason: str


def verify_chain(org: Organization) -> ChainBreak | None:
    """Walk one organization's chain in order; return the first broken event, or None."""
    expected_prev = GENESIS
    expected_seq = 1
    with transaction.atomic(), org_scope(org):
        for event in AuditEvent.all_tenants.filter(org=org).order_by("seq").iterator(chunk_size=2000):
            if event.seq != expected_seq:
                return ChainBreak(org.pk, expected_seq, event.pk, f"event #{expected_seq} is missing")
            if event.prev_hash != expected_prev:
                return ChainBreak(org.pk, event.seq, event.pk, "prev_hash does not match the previous event")
            if _hash_payload(event) != event.hash:
                return ChainBreak(org.pk, event.seq, event.pk, "content does not match its hash (altered)")
            expected_prev, expected_seq = event.hash, expected_seq + 1
    return None
