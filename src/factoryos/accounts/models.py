from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from factoryos.audit import sealing
from factoryos.kernel.fields import EncryptedTextField
from factoryos.kernel.tenancy import GUC_API_KEY_PREFIX, TenantModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("A user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser):
    """A person. The email is the login; the phone is encrypted; the photo is an encrypted, re-encoded file."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    phone = EncryptedTextField(blank=True, max_length=40, help_text="Stored encrypted.")
    job_title = models.CharField(max_length=100, blank=True)
    department = models.CharField(max_length=100, blank=True)
    photo = models.CharField(max_length=255, blank=True, help_text="storage name of the encrypted photo")
    age_confirmed_at = models.DateTimeField(null=True, blank=True, help_text="when the person confirmed 18+")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def audit_subject(self) -> str:
        """What the audit trail says about this person (their email, profile changes) is sealed under their key."""
        return sealing.user_subject(self.pk)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @property
    def initials(self) -> str:
        parts = [p for p in (self.first_name, self.last_name) if p]
        return "".join(p[0] for p in parts).upper() or self.email[:1].upper()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name or self.email


class KnownDevice(models.Model):
    """A browser/device a user has logged in from; a login from one not seen before triggers an alert email."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices")
    device_hash = models.CharField(max_length=64)
    browser = models.CharField(max_length=64, blank=True)
    os = models.CharField(max_length=64, blank=True)
    device = models.CharField(max_length=64, blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)
    last_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        constraints = [models.UniqueConstraint(fields=["user", "device_hash"], name="device_user_hash")]

    def __str__(self) -> str:
        return f"{self.browser} on {self.os}"


class ApiKeyScope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Read and write"


class ApiKey(TenantModel):
    """An integration's key: ``fos_<prefix>_<secret>``, shown once, stored as a SHA-256 of the whole token.

    The secret has 256 bits of entropy, so a fast hash is right here (a slow one only slows every request).
    The key acts with the permissions of the member who created it, cut down to its scopes; removing that
    member or revoking the key stops it at the next request.
    """

    # Looking a key up by its public prefix happens before the organization is known.
    rls_extra_predicate = f"prefix = NULLIF(current_setting('{GUC_API_KEY_PREFIX}', true), '')"

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=dict, help_text='{"module": "read" | "write"}')
    created_by = models.ForeignKey("core.Membership", on_delete=models.CASCADE, related_name="api_keys")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["org", "prefix"], name="apikey_org_prefix")]

    def __str__(self) -> str:
        return f"{self.name} (fos_{self.prefix}_…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def allows(self, permission: str) -> bool:
        from factoryos.kernel.permissions import is_read, module_of

        scope = self.scopes.get(module_of(permission))
        if scope is None:
            return False
        if not is_read(permission) and scope != ApiKeyScope.WRITE:
            return False
        return self.created_by.has_perm(permission)
