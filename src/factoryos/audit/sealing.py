"""The audit trail's cryptography: the keyed MAC that chains events, and the per-person keys that seal their
personal details so that erasing a person is destroying one key (crypto-shredding).

- MAC: HMAC-SHA256 under a key derived (HKDF) from a keyring key. Each event names the keyring key (``mac_key``), so
  rotating the keyring does not break old links; without the keyring, a rewrite cannot be re-chained.
- Person keys: a random 256-bit data key per person (``PersonKey``), stored wrapped by the keyring. Sealed facts are
  AES-256-GCM with the organization, sequence number and part as associated data (a sealed blob copied to another
  event does not open).
- Subjects: ``user:<id>``, ``employee:<uuid>``, ``contact:<uuid>`` (a partner's contact person), ``email:<keyed hash of
  the address>`` (an invitation or an emailed document to someone with no account yet), ``org:<id>`` (requests by
  nobody in particular).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.utils import timezone

from factoryos.kernel.crypto import DecryptionError, keyring

if TYPE_CHECKING:
    from factoryos.audit.models import AuditEvent, PersonKey

ERASED = "(erased)"
ERASED_FACTS: dict[str, Any] = {
    "erased": True,
    "label": ERASED,
    "ip": None,
    "repr": ERASED,
    "changes": {},
    "metadata": {},
}
SEALED_PREFIX = "p1:"


@lru_cache(maxsize=16)
def _derived(key_id: str, raw: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"factoryos audit " + purpose).derive(raw)


def derived_key(purpose: bytes, key_id: str | None = None) -> tuple[str, bytes]:
    """(keyring key id, a key for ``purpose`` derived from it): the newest keyring key unless ``key_id`` is given."""
    ring = keyring()
    kid = key_id or ring.current_id
    return kid, _derived(kid, ring.key(kid), purpose)


# -- the chain's MAC ---------------------------------------------------------------------------------------------------
def mac_payload(values: dict[str, Any]) -> bytes:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str).encode()


def mac_of(values: dict[str, Any], key_id: str) -> str:
    _, key = derived_key(b"chain mac v2", key_id)
    return hmac.new(key, mac_payload(values), hashlib.sha256).hexdigest()


def chain_values(event: Any) -> dict[str, Any]:
    """What the MAC covers: every stored column but the MAC itself, personal details as their sealed bytes."""
    return {
        "org": event.org_id,
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "actor_user": event.actor_user_id,
        "actor_api_key": event.actor_api_key_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr_plain,
        "changes": event.changes_plain,
        "metadata": event.metadata_plain,
        "actor_key": event.actor_key_id,
        "actor_sealed": event.actor_sealed,
        "subject_key": event.subject_key_id,
        "subject_sealed": event.subject_sealed,
        "request_id": event.request_id,
        "path": event.path,
        "method": event.method,
        "mac_key": event.mac_key,
        "prev_mac": event.prev_mac,
    }


def sign(values: dict[str, Any], key_id: str | None = None) -> tuple[str, str]:
    """(key id, MAC) of a checkpoint or any other record kept outside the database."""
    kid, key = derived_key(b"checkpoint v1", key_id)
    return kid, hmac.new(key, mac_payload(values), hashlib.sha256).hexdigest()


def signature_ok(values: dict[str, Any], key_id: str, signature: str) -> bool:
    try:
        _, expected = sign(values, key_id)
    except DecryptionError:  # a key no longer in the keyring
        return False
    return hmac.compare_digest(expected, signature)


# -- subjects ----------------------------------------------------------------------------------------------------------
def user_subject(user_id: int) -> str:
    return f"user:{user_id}"


def email_subject(email: str) -> str:
    """An address with no account behind it (yet), named by a keyed hash so the subject itself says nothing."""
    _, key = derived_key(b"email subject v1", keyring().keys[-1][0])  # the oldest key: stable across rotations
    digest = hmac.new(key, email.strip().lower().encode(), hashlib.sha256).digest()
    return "email:" + base64.urlsafe_b64encode(digest[:18]).decode()


# -- person keys -------------------------------------------------------------------------------------------------------
def _aad(subject: str) -> bytes:
    return f"person key|{subject}".encode()


def new_wrapped_key(subject: str) -> str:
    """A fresh data key for ``subject``, wrapped by the keyring (what ``PersonKey.wrapped`` stores)."""
    return keyring().seal(os.urandom(32), _aad(subject))


def unwrap_key(subject: str, wrapped: str) -> bytes:
    return keyring().open(wrapped, _aad(subject))


def person_keys(subjects: Iterable[str]) -> dict[str, tuple[PersonKey, bytes]]:
    """Each subject's key row and raw data key, made on first use (two concurrent first uses agree on one)."""
    from factoryos.audit.models import PersonKey

    wanted = sorted(set(subjects))
    found = {k.subject: k for k in PersonKey.objects.filter(subject__in=wanted)}
    for subject in wanted:
        if subject not in found:
            found[subject], _ = PersonKey.objects.get_or_create(
                subject=subject, defaults={"wrapped": new_wrapped_key(subject)}
            )
    return {s: (k, unwrap_key(s, k.wrapped)) for s, k in found.items() if k.wrapped}


def rewrap_person_keys() -> int:
    """Re-wrap every person key still wrapped under an older keyring key (key rotation); how many were."""
    from factoryos.audit.models import PersonKey

    ring, done = keyring(), 0
    for key in PersonKey.objects.exclude(wrapped="").exclude(wrapped__startswith=f"fos1:{ring.current_id}:"):
        raw = unwrap_key(key.subject, key.wrapped)
        PersonKey.objects.filter(pk=key.pk, wrapped=key.wrapped).update(wrapped=ring.seal(raw, _aad(key.subject)))
        done += 1
    return done


def erase(subjects: Iterable[str]) -> int:
    """Destroy these people's keys: what their events say about them can never be read again. Returns how many."""
    from factoryos.audit.models import PersonKey

    return PersonKey.objects.filter(subject__in=list(subjects), erased_at__isnull=True).update(
        wrapped="", erased_at=timezone.now()
    )


# -- sealing facts -----------------------------------------------------------------------------------------------------
def _facts_aad(org_id: int, seq: int, part: str) -> bytes:
    return f"audit|{org_id}|{seq}|{part}".encode()


def seal_facts(raw_key: bytes, facts: dict[str, Any], *, org_id: int, seq: int, part: str) -> str:
    nonce = os.urandom(12)
    plaintext = json.dumps(facts, sort_keys=True, separators=(",", ":"), default=str).encode()
    sealed = AESGCM(raw_key).encrypt(nonce, plaintext, _facts_aad(org_id, seq, part))
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def open_sealed(raw_key: bytes, token: str, *, org_id: int, seq: int, part: str) -> dict[str, Any]:
    blob = base64.urlsafe_b64decode(token.removeprefix(SEALED_PREFIX))
    try:
        return json.loads(AESGCM(raw_key).decrypt(blob[:12], blob[12:], _facts_aad(org_id, seq, part)))
    except InvalidTag as exc:
        raise DecryptionError("sealed audit facts were altered or moved") from exc


def open_facts(event: AuditEvent, part: str) -> dict[str, Any]:
    """The readable facts of one part ("actor" or "subject") of an event, or ``ERASED_FACTS``."""
    token = getattr(event, f"{part}_sealed")
    if not token:
        return {}
    key = getattr(event, f"{part}_key")
    if key is None or not key.wrapped:
        return dict(ERASED_FACTS)
    try:
        return open_sealed(unwrap_key(key.subject, key.wrapped), token, org_id=event.org_id, seq=event.seq, part=part)
    except DecryptionError:
        return dict(ERASED_FACTS, altered=True)
