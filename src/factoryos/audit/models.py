from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from factoryos.kernel.events import Action
from factoryos.kernel.tenancy import TenantModel

ACCOUNT_ACTIONS = frozenset(
    {
        Action.LOGIN,
        Action.LOGOUT,
        Action.LOGIN_FAILED,
        Action.PASSWORD_CHANGED,
        Action.PASSWORD_RESET,
        Action.MFA_ENABLED,
        Action.MFA_DISABLED,
        Action.RECOVERY_CODES,
    }
)


@functools.cache
def restricted_types() -> dict[str, str]:
    """Object type (a model's label) -> the permission needed to see its events: the models that declare
    ``audit_permission`` (employee records: ``people.view``). The model registry is fixed once Django has started."""
    return {m._meta.label_lower: m.audit_permission for m in apps.get_models() if getattr(m, "audit_permission", "")}


class Fact:
    """One readable fact of an event, opened from its sealed part: "actor" (who acted, from where) or "subject" (what
    the event says about its object); ``empty`` makes the value of a fact the event does not hold."""

    def __init__(self, part: str, key: str, empty: Callable[[], Any]):
        self.part, self.key, self.empty = part, key, empty

    def __get__(self, event: AuditEvent | None, owner: type | None = None) -> Any:
        if event is None:
            return self
        facts = event.actor_facts if self.part == "actor" else event.subject_facts
        return facts[self.key] if self.key in facts else self.empty()


class PersonKey(models.Model):
    """A person's data key: it seals the personal details of the audit events about or by them (email, IP, browser,
    referrer, names). Erasing the person destroys the key (crypto-shredding): their events stay in the chain and keep
    verifying, since the MAC covers the sealed bytes, but nothing about them can be read back.

    Not tenant-scoped: one person, one key, across every organization they belong to. ``subject`` names them
    (``user:<id>``, ``employee:<uuid>``, ``email:<keyed hash>``, ``org:<id>`` for requests by nobody in particular).
    """

    subject = models.CharField(max_length=100, unique=True)
    wrapped = models.TextField(blank=True, help_text="the data key sealed under the keyring; empty once erased")
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.subject


class AuditEvent(TenantModel):
    """One access to or change of data. Append-only and MAC-chained per organization (see services.record).

    Who acted from where (``actor_sealed``) and, for an object that is a person, what the event says about them
    (``subject_sealed``: its title, changes and metadata) are sealed under the person's key (``PersonKey``). The
    readable values are the properties below; an erased person's read as ``ERASED``.
    """

    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    # Plain ids, no foreign-key constraint: deleting a person or a key must not rewrite (or be refused by) the
    # append-only trail. A deleted row reads as None.
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    actor_api_key = models.ForeignKey(
        "accounts.ApiKey", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr_plain = models.CharField(max_length=200, blank=True, db_column="object_repr")
    changes_plain = models.JSONField(default=dict, blank=True, db_column="changes")
    metadata_plain = models.JSONField(default=dict, blank=True, db_column="metadata")
    actor_key = models.ForeignKey(PersonKey, null=True, on_delete=models.PROTECT, related_name="+")
    actor_sealed = models.TextField(blank=True)
    subject_key = models.ForeignKey(PersonKey, null=True, on_delete=models.PROTECT, related_name="+")
    subject_sealed = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=512, blank=True)
    method = models.CharField(max_length=10, blank=True)
    mac_key = models.CharField(max_length=32, help_text="the keyring key the MAC was made with")
    prev_mac = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        constraints = [models.UniqueConstraint(fields=["org", "seq"], name="audit_org_seq")]
        indexes = [
            models.Index(fields=["org", "created_at"], name="audit_org_time"),
            models.Index(fields=["org", "actor_user", "created_at"], name="audit_org_actor"),
            models.Index(fields=["org", "object_type", "object_id"], name="audit_org_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_id}"

    # -- the readable event ------------------------------------------------------------------------------------------
    @cached_property
    def actor_facts(self) -> dict[str, Any]:
        from factoryos.audit import sealing

        return sealing.open_facts(self, "actor")

    @cached_property
    def subject_facts(self) -> dict[str, Any]:
        from factoryos.audit import sealing

        if not self.subject_sealed:
            return {"repr": self.object_repr_plain, "changes": self.changes_plain, "metadata": self.metadata_plain}
        return sealing.open_facts(self, "subject")

    @property
    def erased(self) -> bool:
        return bool(self.actor_facts.get("erased") or self.subject_facts.get("erased"))

    object_repr = Fact("subject", "repr", str)
    changes = Fact("subject", "changes", dict)
    metadata = Fact("subject", "metadata", dict)
    actor_label = Fact("actor", "label", str)
    ip = Fact("actor", "ip", lambda: None)
    user_agent = Fact("actor", "user_agent", str)
    browser = Fact("actor", "browser", str)
    browser_version = Fact("actor", "browser_version", str)
    os = Fact("actor", "os", str)
    device = Fact("actor", "device", str)
    referrer = Fact("actor", "referrer", str)
