"""Writes to people: profile, photo, invited sign-up, API keys, and the account events of logins."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from typing import Any, TypedDict, Unpack

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.signing import get_cookie_signer
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from factoryos.accounts.errors import AccountError
from factoryos.accounts.models import ApiKey, ApiKeyScope, KnownDevice, User
from factoryos.audit import context as audit_context
from factoryos.core.models import Membership
from factoryos.kernel import crud, diffs, events, images, mail
from factoryos.kernel.errors import CommonError, ConflictError, DomainError, FieldError
from factoryos.kernel.events import Action
from factoryos.kernel.permissions import Module
from factoryos.kernel.tenancy import org_scope, user_scope


class ProfileFields(TypedDict, total=False):
    first_name: str
    last_name: str
    phone: str
    job_title: str
    department: str


PROFILE_FIELDS = crud.field_names(ProfileFields)
PHOTO_MAX_PIXELS = 4096
API_KEY_PREFIX = "fos_"


@transaction.atomic
def record_for_user(user: User, **event: Any) -> None:
    """An account-level event goes into the chain of every organization the user is an active member of."""
    with user_scope(user.pk):
        orgs = [m.org for m in Membership.all_tenants.filter(user=user, is_active=True).select_related("org")]
    for org in orgs:
        with org_scope(org):
            events.record(org=org, **event)


# -- profile -----------------------------------------------------------------------------------------------------
@transaction.atomic
def profile_update(*, user: User, **fields: Unpack[ProfileFields]) -> User:
    """The person's own profile (not tied to an organization: the event goes into each of theirs)."""
    crud.refuse_unknown(fields, ProfileFields)
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    before = diffs.snapshot(user, sorted(PROFILE_FIELDS))
    errors = []
    for name, value in fields.items():
        value = str(value or "").strip()
        limit = crud.concrete_field(User, name).max_length or 40
        if len(value) > limit:
            errors.append(FieldError(name, f"At most {limit} characters.", CommonError.TOO_LONG))
        setattr(user, name, value)
    if user.phone and not all(c.isdigit() or c in "+-() ." for c in user.phone):
        errors.append(
            FieldError("phone", "A phone number has digits, spaces and + - ( ) only.", AccountError.BAD_PHONE)
        )
    if "first_name" in fields and not user.first_name:
        errors.append(FieldError("first_name", "Your first name is required.", CommonError.REQUIRED))
    if errors:
        raise DomainError.of(errors)
    changes = diffs.diff(before, user)
    if changes:
        user.save()
        record_for_user(user, action=Action.UPDATE, obj=user, changes=changes)
    return user


@transaction.atomic
def profile_photo_set(*, user: User, upload) -> User:
    """A new profile photo: checked by its content and re-encoded (kernel.images), stored sealed; the old one goes."""
    name = images.store(
        upload,
        folder=f"photos/{user.uid}",
        field="photo",
        max_bytes=settings.PROFILE_PHOTO_MAX_BYTES,
        max_side=PHOTO_MAX_PIXELS,
        noun="photo",
    )
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    old = user.photo
    user.photo = name
    user.save(update_fields=["photo"])
    if old:
        transaction.on_commit(lambda: default_storage.delete(old))
    record_for_user(
        user,
        action=Action.UPDATE,
        obj=user,
        changes={"photo": ["", "(new photo)"] if not old else ["(photo)", "(new photo)"]},
    )
    return user


def profile_photo_read(user: User) -> tuple[bytes, str]:
    return images.read(user.photo)


@transaction.atomic
def invited_user_create(*, email: str, password: str, first_name: str, last_name: str) -> User:
    """A person who arrived by an invitation link: the link proved the address, so it starts verified."""
    from allauth.account.models import EmailAddress

    if User.objects.filter(email__iexact=email).exists():
        raise ConflictError(
            "An account with this email exists: log in to accept.", code=AccountError.ACCOUNT_EXISTS, field="email"
        )
    user = User.objects.create_user(
        email, password, first_name=first_name.strip(), last_name=last_name.strip(), age_confirmed_at=timezone.now()
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


# -- API keys ----------------------------------------------------------------------------------------------------
def _clean_scopes(scopes: dict[str, str]) -> dict[str, str]:
    if not isinstance(scopes, dict) or not scopes:
        raise DomainError(
            'Give the key at least one module scope, e.g. {"audit": "read"}.',
            code=AccountError.BAD_SCOPES,
            field="scopes",
        )
    bad = [m for m in scopes if m not in Module.values]
    if bad:
        raise DomainError(f"Unknown module(s): {', '.join(sorted(bad))}.", code=AccountError.BAD_SCOPES, field="scopes")
    wrong = [m for m, s in scopes.items() if s not in ApiKeyScope.values]
    if wrong:
        raise DomainError(
            f"Scope must be 'read' or 'write' (see {', '.join(sorted(wrong))}).",
            code=AccountError.BAD_SCOPES,
            field="scopes",
        )
    return dict(sorted(scopes.items()))


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, actor: Membership, name: str, scopes: dict[str, str], expires_at=None) -> tuple[ApiKey, str]:
    """Create a key; the token is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(
            "Name the key after the integration that will use it.", code=CommonError.REQUIRED, field="name"
        )
    if len(name) > 100:
        raise DomainError("At most 100 characters.", code=CommonError.TOO_LONG, field="name")
    if expires_at is not None and timezone.is_naive(expires_at):
        raise DomainError(
            "Give the expiry with its time zone, e.g. 2027-01-31T17:00:00+10:00.",
            code=AccountError.BAD_EXPIRY,
            field="expires_at",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError("The expiry must be in the future.", code=AccountError.BAD_EXPIRY, field="expires_at")
    scopes = _clean_scopes(scopes)
    prefix = secrets.token_hex(6)
    token = f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        org=actor.org,
        name=name,
        prefix=prefix,
        key_hash=hash_api_token(token),
        scopes=scopes,
        created_by=actor,
        expires_at=expires_at,
    )
    events.record(action=Action.API_KEY_CREATED, actor=actor, obj=key, metadata={"name": name, "scopes": scopes})
    return key, token


@transaction.atomic
def api_key_revoke(*, actor: Membership, obj: ApiKey) -> ApiKey:
    key = ApiKey.objects.select_for_update(of=("self",)).get(pk=obj.pk)
    if key.revoked_at:
        raise ConflictError("This key is already revoked.", code=AccountError.KEY_REVOKED, field="key")
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    events.record(action=Action.API_KEY_REVOKED, actor=actor, obj=key, metadata={"name": key.name})
    return key


# -- logins and devices ------------------------------------------------------------------------------------------
DEVICE_COOKIE = "fos_device"


def _device_hash(device_id: str, agent: audit_context.ParsedAgent) -> str:
    return hashlib.sha256(f"{device_id}|{agent.browser}|{agent.os}|{agent.device}".encode()).hexdigest()


@transaction.atomic
def login_recorded(*, request, user: User) -> bool:
    """Record the login in the user's organizations and remember the device; True when the device is new.

    A device is the pair (long-lived random cookie, parsed browser/OS/device). The very first login of an
    account has nothing to compare with, so it does not alert.
    """
    ctx = audit_context.from_request(request)
    agent = audit_context.parse_agent(ctx.user_agent)
    device_id = request.get_signed_cookie(DEVICE_COOKIE, default="", salt="factoryos.device")
    if not device_id:
        device_id = secrets.token_urlsafe(24)
    digest = _device_hash(device_id, agent)
    had_devices = KnownDevice.objects.filter(user=user).exists()
    device, created = KnownDevice.objects.get_or_create(
        user=user,
        device_hash=digest,
        defaults={
            "browser": f"{agent.browser} {agent.browser_version}".strip(),
            "os": agent.os,
            "device": agent.device,
            "last_ip": ctx.ip,
        },
    )
    if not created:
        device.last_ip = ctx.ip
        device.save(update_fields=["last_ip", "last_seen"])
    signed = get_cookie_signer(salt=DEVICE_COOKIE + "factoryos.device").sign(device_id)  # as get_signed_cookie reads
    request._factoryos_device_cookie = {
        "key": DEVICE_COOKIE,
        "value": signed,
        "max_age": 400 * 86400,
        "httponly": True,
        "samesite": "Lax",
        "secure": request.is_secure(),
    }
    as_user = replace(audit_context.get(), actor_user_id=user.pk, person_id=user.pk, actor_label=user.email)
    with audit_context.bind(as_user):  # only for these events: nothing leaks past the login
        record_for_user(user, action=Action.LOGIN, obj=user, metadata={"new_device": created and had_devices})
    if created and had_devices:
        context = {"user": user, "device": device, "ip": ctx.ip, "when": timezone.now()}
        body = render_to_string("accounts/email/new_device.txt", context)
        mail.send_mail_later("New sign-in to your Smart FactoryOS account", body, [user.email])  # once committed
        return True
    return False


# -- erasure -----------------------------------------------------------------------------------------------------
@transaction.atomic
def user_erase(*, user: User) -> User:
    """Erase a person (privacy policy: deletion on request, anonymization after termination).

    Their audit key is destroyed (crypto-shredding): every event by or about them keeps its place in each chain and
    keeps verifying, but their email, IP, browser, referrers and profile changes can never be read back. The account
    row stays, emptied, so that the records it touched (a stock move's "by") still resolve: to nobody."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from factoryos.audit import sealing

    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    record_for_user(user, action=Action.PERSON_ERASED, obj=user)
    with user_scope(user.pk):
        memberships = list(Membership.all_tenants.filter(user=user, is_active=True).select_related("org"))
    for membership in memberships:
        with org_scope(membership.org):
            Membership.objects.filter(pk=membership.pk).update(is_active=False)
    sealing.erase([sealing.user_subject(user.pk), sealing.email_subject(user.email)])
    photo = user.photo
    user.email = f"erased-{user.uid}@erased.invalid"
    user.first_name = user.last_name = user.job_title = user.department = user.phone = user.photo = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.devices.all().delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    if photo:
        transaction.on_commit(lambda: default_storage.delete(photo))
    return user
