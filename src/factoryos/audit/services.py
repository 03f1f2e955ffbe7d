"""Record audit events in the caller's transaction, MAC-chained per organization; verify chains and checkpoints."""

from __future__ import annotations

import contextlib
import functools
import hmac
import json
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Unpack
from urllib.parse import urlsplit, urlunsplit

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from factoryos.audit import context as audit_context
from factoryos.audit import sealing
from factoryos.audit.models import AuditEvent, PersonKey, restricted_types
from factoryos.kernel.crypto import DecryptionError, keyring
from factoryos.kernel.events import Actor, Event
from factoryos.kernel.tenancy import current_org, org_scope

if TYPE_CHECKING:
    from factoryos.core.models import Organization

GENESIS = "0" * 64
_LOCK_NAMESPACE = 0x464F53  # "FOS": advisory-lock namespace for per-organization audit chains


def _lock_chain(org_id: int) -> None:
    """Serialize inserts into one organization's chain until the transaction ends (no forks)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, org_id])
    # SQLite: transactions are IMMEDIATE (settings), so writers are already serialized.


def _identity(actor: Actor | None, ctx: audit_context.AuditContext) -> tuple[int | None, int | None, str, int | None]:
    """(user id, API key id, label, the person behind them) of who acts."""
    if actor is None:
        return ctx.actor_user_id, ctx.actor_api_key_id, ctx.actor_label or "system", ctx.person_id
    key = getattr(actor, "acting_key", None)
    if key is not None:
        return None, key.pk, audit_context.key_label(key), actor.user_id
    return actor.user_id, None, actor.user.email, actor.user_id  # type: ignore[attr-defined]


def object_label(obj: models.Model) -> tuple[str, str, str]:
    return obj._meta.label_lower, str(obj.pk), str(obj)[:200]


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value or {}, default=str))


def _referrer(value: str) -> str:
    """Where the request came from, without its query string or fragment (they carry search terms and tokens)."""
    if not value:
        return ""
    parts = urlsplit(value)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))[:512]


@dataclass
class _Draft:
    """An event with everything but its place in the chain (sequence, link, MAC) and its sealing."""

    event: AuditEvent
    actor_subject: str
    actor_facts: dict[str, Any]
    subject: str | None
    about: dict[str, Any]
    marker: Callable[[], None] | None = None  # its on_commit marker: gone when its savepoint is rolled back


_pending: ContextVar[list[_Draft] | None] = ContextVar("factoryos_audit_pending", default=None)


def _marker() -> None:
    """Does nothing after commit; while the transaction runs, its presence says the event's savepoint survives."""


def record(*, action: str, **given: Unpack[Event]) -> AuditEvent:
    """Append one event to the organization's chain. Must run inside the transaction of the change it records.

    Who acted is ``actor`` when given (a member, or a member acting through an API key), else whoever the request's
    audit context names; where from (IP, browser, request id) always comes from the context. Who acted and from where
    are sealed under the acting person's key; an object that is a person (``audit_subject``) has its title, changes
    and metadata sealed under theirs. Inside a request, a read waits for the end of the request's transaction to be
    linked (see ``linked_at_commit``); everything else is linked at once."""
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
    subject = getattr(obj, "audit_subject", None) if obj is not None else _private_list_subject(object_type, org)
    ctx = audit_context.get()
    actor_user_id, actor_api_key_id, actor_label, person_id = _identity(given.get("actor"), ctx)
    agent = audit_context.parse_agent(ctx.user_agent)
    draft = _Draft(
        event=AuditEvent(
            org=org,
            created_at=timezone.now(),
            actor_user_id=actor_user_id,
            actor_api_key_id=actor_api_key_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            request_id=ctx.request_id,
            path=ctx.path,
            method=ctx.method,
        ),
        # Nobody signed in (a failed login, say): the request's details belong with the person the event is about.
        actor_subject=sealing.user_subject(person_id) if person_id else (subject or f"org:{org.pk}"),
        actor_facts={
            "label": actor_label,
            "ip": clean_ipv6_address(ctx.ip) if ctx.ip and ":" in ctx.ip else ctx.ip,
            "user_agent": ctx.user_agent,
            "browser": agent.browser,
            "browser_version": agent.browser_version,
            "os": agent.os,
            "device": agent.device,
            "referrer": _referrer(ctx.referrer),
        },
        subject=subject,
        about={"repr": object_repr, "changes": _plain(given.get("changes")), "metadata": _plain(given.get("metadata"))},
    )
    pending = _pending.get()
    if pending is None:
        _link([draft])
    else:  # linked as the request's (or job's) transaction commits; dropped if its savepoint is rolled back
        draft.marker = functools.partial(_marker)
        transaction.on_commit(draft.marker)
        pending.append(draft)
    return draft.event


def _private_list_subject(object_type: str, org: Organization) -> str | None:
    """A list or search of admin-only records (``audit_permission``) names people in its filter (a name searched
    for): its metadata is sealed under the organization's key, never stored plain."""
    return f"org:{org.pk}" if object_type in restricted_types() else None


@contextlib.contextmanager
def linked_at_commit() -> Iterator[list[_Draft]]:
    """Around a request's (or a job's) work, inside its transaction: the events it records are drafted where they
    happen (who, what, when, from where) and linked into the chain by ``link_pending``, which the caller runs just
    before the transaction commits. An event drafted inside a savepoint that is rolled back is dropped with it.

    The chain's per-organization lock is held from an event's insert until its transaction ends. Linked at the end,
    it covers an insert and a commit rather than a whole page or import: see docs/decisions/0010."""
    drafts: list[_Draft] = []
    token = _pending.set(drafts)
    try:
        yield drafts
    finally:
        _pending.reset(token)


def link_pending(drafts: list[_Draft]) -> None:
    """Chain the drafts that survived (their savepoints were not rolled back), in the order they were recorded."""
    if not drafts:
        return
    alive = {id(entry[1]) for entry in connection.run_on_commit}  # (savepoint ids, callback, robust)
    kept = [d for d in drafts if d.marker is None or id(d.marker) in alive]
    drafts.clear()
    if kept:
        _link(kept)


def _link(drafts: list[_Draft]) -> None:
    """Give each draft its place in its organization's chain (in order), seal it, MAC it and insert it."""
    keys = sealing.person_keys({d.actor_subject for d in drafts} | {d.subject for d in drafts if d.subject})
    mac_key = keyring().current_id
    for org_id in dict.fromkeys(d.event.org_id for d in drafts):
        mine = [d for d in drafts if d.event.org_id == org_id]
        with org_scope(mine[0].event.org):
            _lock_chain(org_id)
            last = AuditEvent.all_tenants.filter(org_id=org_id).order_by("-seq").values_list("seq", "mac").first()
            seq, prev_mac = last if last else (0, GENESIS)
            for draft in mine:
                event = draft.event
                seq += 1
                event.seq, event.prev_mac, event.mac_key = seq, prev_mac, mac_key
                _seal(event, "actor", keys.get(draft.actor_subject), draft.actor_facts)
                if draft.subject:
                    _seal(event, "subject", keys.get(draft.subject), draft.about)
                else:
                    about = draft.about
                    event.object_repr_plain, event.changes_plain = about["repr"], about["changes"]
                    event.metadata_plain = about["metadata"]
                event.mac = prev_mac = sealing.mac_of(sealing.chain_values(event), mac_key)
            AuditEvent.all_tenants.bulk_create([d.event for d in mine])  # one insert, each event given its id


def _seal(event: AuditEvent, part: str, key: tuple[PersonKey, bytes] | None, facts: dict[str, Any]) -> None:
    """Seal ``facts`` under the person's key; a person already erased gets nothing readable recorded at all."""
    if key is None:
        setattr(event, f"{part}_sealed", sealing.ERASED)
        return
    row, raw = key
    setattr(event, f"{part}_key", row)
    setattr(event, f"{part}_sealed", sealing.seal_facts(raw, facts, org_id=event.org_id, seq=event.seq, part=part))


# -- verification -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChainBreak:
    org_id: int
    seq: int
    event_id: int
    reason: str


def verify_chain(org: Organization, checkpoint: Checkpoint | None = None) -> ChainBreak | None:
    """Walk one organization's chain in order; return the first broken event, or None.

    Each event must follow the previous one (sequence and MAC link) and match its own MAC under the keyring key it
    names. With a checkpoint (the head as it was, kept outside the database), the chain must still reach the
    checkpoint's event, unchanged: so a cut or rewritten tail, up to the checkpoint, is found too."""
    expected_prev, expected_seq = GENESIS, 1
    seen_checkpoint = checkpoint is None or checkpoint.seq == 0
    last_id = 0
    with transaction.atomic(), org_scope(org):
        for event in AuditEvent.all_tenants.filter(org=org).order_by("seq").iterator(chunk_size=2000):
            last_id = event.pk
            if event.seq != expected_seq:
                return ChainBreak(org.pk, expected_seq, event.pk, f"event #{expected_seq} is missing")
            if event.prev_mac != expected_prev:
                return ChainBreak(org.pk, event.seq, event.pk, "its link does not match the previous event's MAC")
            try:
                mac = sealing.mac_of(sealing.chain_values(event), event.mac_key)
            except DecryptionError:
                return ChainBreak(org.pk, event.seq, event.pk, f"its MAC key {event.mac_key!r} is not in the keyring")
            if not hmac.compare_digest(mac, event.mac):
                return ChainBreak(org.pk, event.seq, event.pk, "content does not match its MAC (altered)")
            if checkpoint is not None and event.seq == checkpoint.seq:
                if event.mac != checkpoint.mac:
                    return ChainBreak(
                        org.pk, event.seq, event.pk, f"differs from the checkpoint of {checkpoint.taken_at} (rewritten)"
                    )
                seen_checkpoint = True
            expected_prev, expected_seq = event.mac, expected_seq + 1
    if not seen_checkpoint:
        assert checkpoint is not None
        return ChainBreak(
            org.pk,
            expected_seq,
            last_id,
            f"events #{expected_seq} to #{checkpoint.seq} are missing: the checkpoint of {checkpoint.taken_at} "
            f"saw the chain reach #{checkpoint.seq} (tail cut)",
        )
    return None


# -- checkpoints: each chain's head, signed, kept outside the database ---------------------------------------------
@dataclass(frozen=True)
class Checkpoint:
    org_id: int
    seq: int
    event_id: int
    mac: str
    count: int
    taken_at: str

    def values(self) -> dict[str, Any]:
        return {
            "org": self.org_id,
            "seq": self.seq,
            "event_id": self.event_id,
            "mac": self.mac,
            "count": self.count,
            "taken_at": self.taken_at,
        }


class CheckpointError(Exception):
    pass


def checkpoint_storage() -> Storage:
    """Where checkpoints go: the ``audit_checkpoints`` storage (a directory locally, the object store in production)."""
    return storages["audit_checkpoints"]


def checkpoint_write(org: Organization) -> Checkpoint:
    """Write the organization's chain head, signed with a key from the keyring, to the checkpoint storage."""
    with transaction.atomic(), org_scope(org):
        events = AuditEvent.all_tenants.filter(org=org)
        head = events.order_by("-seq").values_list("seq", "pk", "mac").first() or (0, 0, GENESIS)
        count = events.count()
    taken = timezone.now()
    point = Checkpoint(org.pk, head[0], head[1], head[2], count, taken.isoformat())
    key_id, signature = sealing.sign(point.values())
    body = json.dumps({**point.values(), "key": key_id, "signature": signature}, indent=1).encode()
    name = f"{_folder(org)}/{taken.strftime('%Y%m%dT%H%M%S.%fZ')}.json"
    checkpoint_storage().save(name, ContentFile(body))
    return point


def _folder(org: Organization) -> str:
    """One folder per organization, named by its uid: a database restored elsewhere cannot collide with another's."""
    return f"org-{org.uid}"


def checkpoint_latest(org: Organization) -> Checkpoint | None:
    """The organization's newest checkpoint, its signature checked (CheckpointError when forged or unreadable)."""
    storage = checkpoint_storage()
    folder = _folder(org)
    try:
        _, files = storage.listdir(folder)
    except FileNotFoundError:
        return None
    names = sorted(f for f in files if f.endswith(".json"))
    if not names:
        return None
    with storage.open(f"{folder}/{names[-1]}") as fh:
        try:
            data = json.loads(fh.read())
            key_id, signature = data.pop("key"), data.pop("signature")
            point = Checkpoint(
                org_id=data["org"],
                seq=data["seq"],
                event_id=data["event_id"],
                mac=data["mac"],
                count=data["count"],
                taken_at=data["taken_at"],
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(f"checkpoint {names[-1]} is unreadable") from exc
    if point.org_id != org.pk or not sealing.signature_ok(point.values(), key_id, signature):
        raise CheckpointError(f"checkpoint {names[-1]} has a bad signature (forged or altered)")
    return point
