"""The kernel's port to the audit trail.

The kernel's mechanisms (crud, transitions, readers) record an event for every change, view, list and export, in
the transaction of what they record. They record through this port so that the kernel imports nothing above it:
``factoryos.audit`` installs its recorder when Django starts (``AuditConfig.ready``). Until a recorder is
installed every call raises, so nothing can be written unrecorded because the audit app is missing.

Everything above the kernel records through this module too: one way to write an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypedDict, Unpack

from django.db import models


class Action(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    VIEW = "view", "Viewed"
    LIST = "list", "Listed / searched"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"
    LOGIN = "login", "Logged in"
    LOGOUT = "logout", "Logged out"
    LOGIN_FAILED = "login_failed", "Failed login"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset"
    MFA_ENABLED = "mfa_enabled", "MFA enabled"
    MFA_DISABLED = "mfa_disabled", "MFA disabled"
    RECOVERY_CODES = "recovery_codes", "Recovery codes generated"
    MEMBER_JOINED = "member_joined", "Member joined"
    MEMBER_REMOVED = "member_removed", "Member removed"
    ROLE_CHANGED = "role_changed", "Role changed"
    INVITATION_SENT = "invitation_sent", "Invitation sent"
    INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
    API_KEY_CREATED = "api_key_created", "API key created"
    API_KEY_REVOKED = "api_key_revoked", "API key revoked"
    PERSON_ERASED = "person_erased", "Person erased"


class Actor(Protocol):
    """Who acts: a member of the organization (``core.Membership``), perhaps through one of its API keys."""

    @property
    def pk(self) -> Any: ...

    @property
    def user_id(self) -> Any: ...


class Event(TypedDict, total=False):
    """What an event says besides its action. ``obj`` names the object (else ``object_type``, ``object_id`` and
    ``object_repr`` do, e.g. for a list); ``org`` defaults to the object's, else the current organization."""

    actor: Actor | None
    obj: models.Model | None
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any] | None
    metadata: dict[str, Any] | None
    org: Any


class Recorder(Protocol):
    def __call__(self, *, action: str, **event: Unpack[Event]) -> Any: ...


_recorder: Recorder | None = None


def install(recorder: Recorder) -> None:
    """Called once by the audit app: from now on every event goes to ``recorder``."""
    global _recorder
    _recorder = recorder


def record(*, action: str, **event: Unpack[Event]) -> Any:
    """Append one event in the current transaction. ``actor`` is who acts (the request's facts come from the
    audit context); without it the event names whoever the context names (a login, a system job)."""
    if _recorder is None:
        raise RuntimeError("No audit recorder is installed: add factoryos.audit to INSTALLED_APPS")
    return _recorder(action=action, **event)


def record_list(
    *,
    object_type: str,
    criteria: Mapping[str, Any],
    count: int,
    action: str = Action.LIST,
    actor: Actor | None = None,
    **extra: Any,
) -> Any:
    """A list, search or export: what was asked for (the filter, values as text) and how many rows it gave."""
    metadata = {"filter": {k: str(v) for k, v in criteria.items()}, "count": count, **extra}
    return record(action=action, actor=actor, object_type=object_type, metadata=metadata)
