from __future__ import annotations

import uuid
import zoneinfo
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models

from factoryos.audit import sealing
from factoryos.kernel.fields import EncryptedTextField
from factoryos.kernel.permissions import ROLE_PERMISSIONS, BuiltinRole
from factoryos.kernel.tenancy import GUC_USER, TenantModel

if TYPE_CHECKING:
    from factoryos.accounts.models import ApiKey


class DataRegion(models.TextChoices):
    AU = "AU", "Australia"
    US = "US", "United States"


TIME_ZONES = sorted(zoneinfo.available_timezones())


class Organization(models.Model):
    """A manufacturer: the tenant. Every tenant model points here."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    legal_name = models.CharField(max_length=200)
    trading_name = models.CharField(max_length=200, blank=True)
    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField("state / region", max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    country = models.CharField(
        max_length=2, default="AU", validators=[MinLengthValidator(2)], help_text="ISO 3166 two-letter code"
    )
    data_region = models.CharField(max_length=2, choices=DataRegion.choices, default=DataRegion.AU)
    time_zone = models.CharField(max_length=64, choices=[(z, z) for z in TIME_ZONES], default="Australia/Sydney")
    currency = models.CharField(
        max_length=3, default="AUD", validators=[MinLengthValidator(3)], help_text="ISO 4217 code"
    )
    allow_negative_stock = models.BooleanField(
        default=False, help_text="Let stock go below zero (back-flushing shops); off means an issue needs stock on hand"
    )
    logo = models.CharField(
        max_length=255, blank=True, editable=False, help_text="storage name of the encrypted logo (kernel.images)"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.trading_name or self.legal_name

    @property
    def has_logo(self) -> bool:
        return bool(self.logo)


class TaxIdType(models.TextChoices):
    ABN = "ABN", "ABN (Australian Business Number)"
    ACN = "ACN", "ACN (Australian Company Number)"
    EIN = "EIN", "EIN (US Employer Identification Number)"
    VAT = "VAT", "VAT number"
    GST = "GST", "GST number"
    OTHER = "OTHER", "Other"


class TaxIdentifier(TenantModel):
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField("type", max_length=8, choices=TaxIdType.choices)
    country = models.CharField(max_length=2, validators=[MinLengthValidator(2)])
    value = EncryptedTextField(max_length=64, help_text="Stored encrypted.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "uid"], name="taxid_org_uid")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.country})"


class Role(TenantModel):
    """A custom role: a named set of permissions defined by one organization."""

    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    permissions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="role_org_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        """How forms and the API name a custom role (built-in ones go by their value)."""
        return f"custom:{self.pk}"


class HoldsRole:
    """A built-in role or a custom one (members and invitations): how to name it and how to show it."""

    role: str
    custom_role: Any
    custom_role_id: int | None

    @property
    def role_key(self) -> str:
        """'owner' ... 'viewer', or 'custom:<id>': how forms and the API name a role."""
        return f"custom:{self.custom_role_id}" if self.custom_role_id else self.role

    @property
    def role_label(self) -> str:
        return self.custom_role.name if self.custom_role_id else BuiltinRole(self.role).label


class Membership(HoldsRole, TenantModel):
    """A user's place in an organization. Removing a member deactivates it; their sessions and keys stop."""

    # A user's own memberships are readable before an organization is chosen (org switcher, login).
    rls_extra_predicate = f"user_id = NULLIF(current_setting('{GUC_USER}', true), '')::bigint"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=BuiltinRole.choices, blank=True, default=BuiltinRole.VIEWER)
    custom_role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    # Set for a request authenticated by one of this member's API keys: the key acts, with the member's rights cut
    # down to its scopes, and the audit trail names the key (see accounts.auth and audit.services).
    acting_key: ApiKey | None = None

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["org", "user"], name="membership_org_user"),
            models.CheckConstraint(
                condition=(models.Q(role="") & models.Q(custom_role__isnull=False))
                | (~models.Q(role="") & models.Q(custom_role__isnull=True)),
                name="membership_one_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.org_id} as {self.role_label}"

    @property
    def audit_subject(self) -> str:
        """The person its audit events are about: their title (an email) is sealed under the member's key."""
        return sealing.user_subject(self.user_id)

    @property
    def permissions(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        if self.custom_role_id:
            return frozenset(self.custom_role.permissions)
        return ROLE_PERMISSIONS[self.role]

    def has_perm(self, permission: str) -> bool:
        return permission in self.permissions

    def may(self, permission: str) -> bool:
        """Whether the member may do it now: through the API key it acts by (its scopes, within the member's
        rights), else by its role. What services ask when a rule depends on who acts (an approval)."""
        return self.acting_key.allows(permission) if self.acting_key is not None else self.has_perm(permission)


class Invitation(HoldsRole, TenantModel):
    """An emailed invitation with a role: signed, expiring, single use."""

    email = models.EmailField()
    role = models.CharField(max_length=20, choices=BuiltinRole.choices, blank=True, default=BuiltinRole.VIEWER)
    custom_role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email}"

    @property
    def audit_subject(self) -> str:
        """An invitee may have no account yet: their events are sealed under a key named by their address."""
        return sealing.email_subject(self.email)

    @property
    def status(self) -> str:
        from django.utils import timezone

        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
