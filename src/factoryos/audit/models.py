from __future__ import annotations

from django.conf import settings
from django.db import models

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


class AuditEvent(TenantModel):
    """One access to or change of data. Append-only and hash-chained per organization (see services.record)."""

    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_api_key = models.ForeignKey("accounts.ApiKey", null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    browser = models.CharField(max_length=64, blank=True)
    browser_version = models.CharField(max_length=32, blank=True)
    os = models.CharField(max_length=64, blank=True)
    device = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    referrer = models.CharField(max_length=512, blank=True)
    path = models.CharField(max_length=512, blank=True)
    method = models.CharField(max_length=10, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

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
