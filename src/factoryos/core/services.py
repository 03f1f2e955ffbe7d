"""Writes to organizations, their members, roles, invitations and tax identifiers. One transaction each."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from factoryos.core.errors import OrgError
from factoryos.core.models import TIME_ZONES, Invitation, Membership, Organization, Role, TaxIdentifier, TaxIdType
from factoryos.kernel import crud, diffs, events, images, mail
from factoryos.kernel.errors import (
    CommonError,
    ConflictError,
    DomainError,
    FieldError,
    PermissionDeniedError,
    field_errors,
)
from factoryos.kernel.events import Action
from factoryos.kernel.permissions import ROLE_RANK, BuiltinRole, validate_permissions
from factoryos.kernel.tenancy import org_scope
from factoryos.kernel.validators import validate_abn, validate_ein

if TYPE_CHECKING:
    from factoryos.accounts.models import User

INVITATION_TTL = timedelta(days=7)
INVITATION_SALT = "factoryos.invitation"


class OrganizationDetails(TypedDict, total=False):
    """An organization's fields but its legal name (which creating one requires)."""

    trading_name: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    postcode: str
    country: str
    data_region: str
    time_zone: str
    currency: str
    allow_negative_stock: bool


class OrganizationFields(OrganizationDetails, total=False):
    legal_name: str


class TaxIdFields(TypedDict, total=False):
    kind: str
    country: str
    value: str


class RoleFields(TypedDict, total=False):
    name: str
    description: str
    permissions: list[str]


ORG_FIELDS = crud.field_names(OrganizationFields)


def _given(fields: Any) -> Any:
    """The fields a change names; a null leaves the value as it is (none of these may be empty)."""
    return {name: value for name, value in fields.items() if value is not None}


# -- organization ------------------------------------------------------------------------------------------------
def _clean_org(org: Organization) -> None:
    errors = []
    if not org.legal_name.strip():
        errors.append(FieldError("legal_name", "The legal name is required.", CommonError.REQUIRED))
    if org.time_zone not in TIME_ZONES:
        errors.append(FieldError("time_zone", f"Unknown time zone {org.time_zone!r}.", OrgError.UNKNOWN_TIME_ZONE))
    if len(org.country) != 2 or not org.country.isalpha():
        errors.append(
            FieldError("country", "Use the two-letter ISO country code, e.g. AU or US.", OrgError.BAD_COUNTRY)
        )
    if len(org.currency) != 3 or not org.currency.isalpha():
        errors.append(
            FieldError("currency", "Use the three-letter ISO currency code, e.g. AUD or USD.", OrgError.BAD_CURRENCY)
        )
    if errors:
        raise DomainError.of(errors)
    org.country, org.currency = org.country.upper(), org.currency.upper()
    org.full_clean(exclude=["uid"])


@transaction.atomic
def organization_create(
    *, owner: User, legal_name: str, **fields: Unpack[OrganizationDetails]
) -> tuple[Organization, Membership]:
    """A new organization with ``owner`` as its owner (sign-up, or a user creating a second organization)."""
    crud.refuse_unknown(fields, OrganizationDetails)
    org = Organization(legal_name=legal_name, **fields)
    _clean_org(org)
    org.save()
    with org_scope(org):
        membership = Membership.objects.create(org=org, user=owner, role=BuiltinRole.OWNER)
        events.record(action=Action.CREATE, actor=membership, obj=org, org=org, changes=diffs.created_fields(org))
        events.record(
            action=Action.MEMBER_JOINED, actor=membership, obj=membership, metadata={"role": BuiltinRole.OWNER}
        )
    return org, membership


@transaction.atomic
def organization_update(*, actor: Membership, org: Organization, **fields: Unpack[OrganizationFields]) -> Organization:
    org = Organization.objects.select_for_update(of=("self",)).get(pk=org.pk)
    before = diffs.snapshot(org, list(ORG_FIELDS))
    crud.refuse_unknown(fields, OrganizationFields)
    for name, value in fields.items():
        setattr(org, name, value.strip() if isinstance(value, str) else value)
    _clean_org(org)
    changes = diffs.diff(before, org)
    if changes:
        org.save(update_fields=list(changes))
        events.record(action=Action.UPDATE, actor=actor, obj=org, org=org, changes=changes)
    return org


LOGO_MAX_SIDE = 1200  # pixels: sharp at the 55 mm a letterhead prints it, small in every PDF


@transaction.atomic
def organization_logo_set(*, actor: Membership, org: Organization, upload, field: str = "logo") -> Organization:
    """The logo printed on the organization's documents: checked by its content, re-encoded without metadata and
    stored sealed (kernel.images); the one it replaces is deleted once this commits. A refusal names ``field``."""
    name = images.store(
        upload,
        folder=f"logos/{org.uid}",
        field=field,
        max_bytes=settings.ORG_LOGO_MAX_BYTES,
        max_side=LOGO_MAX_SIDE,
        noun="logo",
    )
    org = Organization.objects.select_for_update(of=("self",)).get(pk=org.pk)
    old, org.logo = org.logo, name
    org.save(update_fields=["logo"])
    if old:
        transaction.on_commit(lambda: default_storage.delete(old))
    events.record(
        action=Action.UPDATE, actor=actor, obj=org, org=org, changes={"logo": ["(logo)" if old else "", "(new logo)"]}
    )
    return org


@transaction.atomic
def organization_logo_remove(*, actor: Membership, org: Organization) -> Organization:
    org = Organization.objects.select_for_update(of=("self",)).get(pk=org.pk)
    if org.logo:
        old, org.logo = org.logo, ""
        org.save(update_fields=["logo"])
        transaction.on_commit(lambda: default_storage.delete(old))
        events.record(action=Action.UPDATE, actor=actor, obj=org, org=org, changes={"logo": ["(logo)", ""]})
    return org


def organization_logo(org: Organization) -> tuple[bytes, str] | None:
    """The organization's logo opened (bytes, content type), or None when it has none."""
    return images.read(org.logo) if org.logo else None


# -- tax identifiers ---------------------------------------------------------------------------------------------
def clean_tax_id(kind: str, country: str, value: str) -> tuple[str, str, str]:
    """A tax identifier normalized (kind, country, value), or field errors: the rules of the organization's own and
    of its partners' (partners.services)."""
    errors = []
    if kind not in TaxIdType.values:
        errors.append(FieldError("kind", f"Choose one of {', '.join(TaxIdType.values)}.", OrgError.UNKNOWN_TAX_ID_TYPE))
    country = (country or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        errors.append(FieldError("country", "Use the two-letter ISO country code.", OrgError.BAD_COUNTRY))
    value = (value or "").strip()
    if not value:
        errors.append(FieldError("value", "The identifier is required.", CommonError.REQUIRED))
    elif kind in (TaxIdType.ABN, TaxIdType.EIN):
        try:
            value = validate_abn(value) if kind == TaxIdType.ABN else validate_ein(value)
        except ValidationError as exc:
            errors += [FieldError("value", e.message, e.code) for e in field_errors(exc)]
    elif len(value) > 64:
        errors.append(FieldError("value", "At most 64 characters.", CommonError.TOO_LONG))
    if errors:
        raise DomainError.of(errors)
    return kind, country, value


@transaction.atomic
def tax_id_create(*, actor: Membership, kind: str, country: str, value: str) -> TaxIdentifier:
    kind, country, value = clean_tax_id(kind, country, value)
    values = {"kind": kind, "country": country, "value": value}
    return crud.create(TaxIdentifier, actor=actor, values=values, allowed=TaxIdFields)


@transaction.atomic
def tax_id_update(*, actor: Membership, obj: TaxIdentifier, **fields: Unpack[TaxIdFields]) -> TaxIdentifier:
    tax_id = TaxIdentifier.objects.select_for_update(of=("self",)).get(pk=obj.pk)  # checked as a whole
    fields = _given(fields)
    kind, country, value = clean_tax_id(
        fields.get("kind", tax_id.kind), fields.get("country", tax_id.country), fields.get("value", tax_id.value)
    )
    changes = {"kind": kind, "country": country, "value": value}
    return crud.update(tax_id, actor=actor, changes=changes, allowed=TaxIdFields)


@transaction.atomic
def tax_id_delete(*, actor: Membership, obj: TaxIdentifier) -> None:
    events.record(action=Action.DELETE, actor=actor, obj=obj)
    obj.delete()


# -- roles -------------------------------------------------------------------------------------------------------
def _clean_role(name: str, permissions: list[str]) -> tuple[str, list[str]]:
    name = (name or "").strip()
    errors = []
    if not name:
        errors.append(FieldError("name", "A role needs a name.", CommonError.REQUIRED))
    elif name.lower() in {r.value for r in BuiltinRole} | {r.label.lower() for r in BuiltinRole}:
        errors.append(FieldError("name", "That name belongs to a built-in role.", OrgError.ROLE_NAME_RESERVED))
    try:
        permissions = validate_permissions(permissions)
    except ValueError as exc:
        errors.append(FieldError("permissions", str(exc), OrgError.UNKNOWN_PERMISSION))
    if errors:
        raise DomainError.of(errors)
    return name, permissions


@transaction.atomic
def role_create(*, actor: Membership, name: str, permissions: list[str], description: str = "") -> Role:
    name, permissions = _clean_role(name, permissions)
    if Role.objects.filter(name__iexact=name).exists():
        raise DomainError("A role with this name exists.", code=OrgError.ROLE_NAME_TAKEN, field="name")
    values = {"name": name, "permissions": permissions, "description": description.strip()}
    return crud.create(Role, actor=actor, values=values, allowed=RoleFields)


@transaction.atomic
def role_update(*, actor: Membership, obj: Role, **fields: Unpack[RoleFields]) -> Role:
    role = Role.objects.select_for_update(of=("self",)).get(pk=obj.pk)  # checked as a whole
    fields = _given(fields)
    name, permissions = _clean_role(fields.get("name", role.name), fields.get("permissions", role.permissions))
    if Role.objects.filter(name__iexact=name).exclude(pk=role.pk).exists():
        raise DomainError("A role with this name exists.", code=OrgError.ROLE_NAME_TAKEN, field="name")
    description = fields.get("description", role.description).strip()
    changes = {"name": name, "permissions": permissions, "description": description}
    return crud.update(role, actor=actor, changes=changes, allowed=RoleFields)


@transaction.atomic
def role_delete(*, actor: Membership, obj: Role) -> None:
    role = obj
    if Membership.objects.filter(custom_role=role, is_active=True).exists():
        raise ConflictError(
            "Members still hold this role: give them another role first.", code=OrgError.ROLE_IN_USE, field="role"
        )
    events.record(action=Action.DELETE, actor=actor, obj=role)
    Membership.objects.filter(custom_role=role).update(custom_role=None, role=BuiltinRole.VIEWER)
    role.delete()


# -- members -----------------------------------------------------------------------------------------------------
def _resolve_role(role: str) -> tuple[str, Role | None]:
    """'owner' ... 'viewer' for a built-in role, or 'custom:<id>' for a custom one."""
    if role in BuiltinRole.values:
        return role, None
    if role.startswith("custom:") and role[7:].isascii() and role[7:].isdigit() and len(role) <= 25:
        custom = Role.objects.filter(pk=int(role[7:])).first()
        if custom:
            return "", custom
    raise DomainError(f"Unknown role {role!r}.", code=OrgError.UNKNOWN_ROLE, field="role")


def _rank(role: str) -> int:
    return ROLE_RANK.get(BuiltinRole(role), 0) if role in BuiltinRole.values else 0


def _guard_rank(actor: Membership, *, target_role: str, new_role: str | None = None) -> None:
    """Only owners touch owners, and nobody hands out more power than they hold."""
    if _rank(target_role) > _rank(actor.role) or (new_role and _rank(new_role) > _rank(actor.role)):
        raise PermissionDeniedError(
            "Only an owner can grant, change or remove the owner role.", code=OrgError.OWNER_ONLY, field="role"
        )


def _other_owners(membership: Membership) -> bool:
    return Membership.objects.filter(role=BuiltinRole.OWNER, is_active=True).exclude(pk=membership.pk).exists()


@transaction.atomic
def membership_change_role(*, actor: Membership, obj: Membership, role: str) -> Membership:
    membership = Membership.objects.select_for_update(of=("self",)).get(pk=obj.pk, is_active=True)
    new_role, custom = _resolve_role(role)
    _guard_rank(actor, target_role=membership.role, new_role=new_role)
    if membership.role == BuiltinRole.OWNER and new_role != BuiltinRole.OWNER and not _other_owners(membership):
        raise ConflictError("An organization keeps at least one owner.", code=OrgError.LAST_OWNER, field="role")
    old_label = membership.role_label
    membership.role, membership.custom_role = new_role, custom
    membership.save(update_fields=["role", "custom_role"])
    if old_label != membership.role_label:
        events.record(
            action=Action.ROLE_CHANGED,
            actor=actor,
            obj=membership,
            changes={"role": [old_label, membership.role_label]},
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: Membership, obj: Membership) -> None:
    membership = Membership.objects.select_for_update(of=("self",)).get(pk=obj.pk, is_active=True)
    _guard_rank(actor, target_role=membership.role)
    if membership.role == BuiltinRole.OWNER and not _other_owners(membership):
        raise ConflictError("An organization keeps at least one owner.", code=OrgError.LAST_OWNER, field="member")
    membership.is_active = False
    membership.removed_at = timezone.now()
    membership.save(update_fields=["is_active", "removed_at"])
    from factoryos.accounts.models import ApiKey

    ApiKey.objects.filter(created_by=membership, revoked_at__isnull=True).update(revoked_at=membership.removed_at)
    events.record(action=Action.MEMBER_REMOVED, actor=actor, obj=membership, metadata={"email": membership.user.email})


# -- invitations -------------------------------------------------------------------------------------------------
def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "o": invitation.org_id}, salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names. Raises DomainError for a bad, expired, used or revoked link."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_TTL)
    except signing.SignatureExpired as exc:
        raise DomainError("This invitation has expired. Ask for a new one.", code=OrgError.INVITATION_EXPIRED) from exc
    except signing.BadSignature as exc:
        raise DomainError("This invitation link is not valid.", code=OrgError.INVITATION_INVALID) from exc
    org = Organization.objects.filter(pk=data.get("o")).first()
    if org is None:
        raise DomainError("This invitation link is not valid.", code=OrgError.INVITATION_INVALID)
    with org_scope(org):
        invitation = Invitation.objects.select_related("org", "custom_role").filter(pk=data.get("i")).first()
    if invitation is None or invitation.status != "pending":
        status = invitation.status if invitation else "invalid"
        raise DomainError(f"This invitation is {status}.", code=OrgError.INVITATION_NOT_PENDING)
    return invitation


@transaction.atomic
def invitation_create(*, actor: Membership, email: str, role: str, base_url: str) -> Invitation:
    from django.core.validators import validate_email

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError("Enter a valid email address.", code=OrgError.BAD_EMAIL, field="email") from exc
    new_role, custom = _resolve_role(role)
    _guard_rank(actor, target_role="", new_role=new_role)
    if Membership.objects.filter(user__email__iexact=email, is_active=True).exists():
        raise DomainError("This person is already a member.", code=OrgError.ALREADY_MEMBER, field="email")
    Invitation.objects.filter(email=email, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        org=actor.org,
        email=email,
        role=new_role,
        custom_role=custom,
        invited_by=actor.user,
        expires_at=timezone.now() + INVITATION_TTL,
    )
    events.record(
        action=Action.INVITATION_SENT,
        actor=actor,
        obj=invitation,
        metadata={"email": email, "role": invitation.role_label},
    )
    link = base_url.rstrip("/") + reverse("accounts:invitation_accept", args=[invitation_token(invitation)])
    context = {"invitation": invitation, "link": link, "inviter": actor.user, "org": actor.org}
    subject = f"{actor.user.full_name} invited you to {actor.org.display_name} on Smart FactoryOS"
    body = render_to_string("core/email/invitation.txt", context)
    mail.send_mail_later(subject, body, [email])  # by the worker, once this commits
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Membership, obj: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=obj.pk)
    if invitation.status != "pending":
        raise ConflictError(
            f"This invitation is already {invitation.status}.",
            code=OrgError.INVITATION_NOT_PENDING,
            field="invitation",
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    events.record(action=Action.INVITATION_REVOKED, actor=actor, obj=invitation, metadata={"email": invitation.email})
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """``user`` (whose email matches) joins the organization. Single use; a former member is reactivated."""
    with org_scope(invitation.org):
        invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
        if invitation.status != "pending":
            raise DomainError(f"This invitation is {invitation.status}.", code=OrgError.INVITATION_NOT_PENDING)
        if user.email.lower() != invitation.email.lower():
            raise DomainError(
                f"This invitation is for {invitation.email}; you are logged in as {user.email}.",
                code=OrgError.WRONG_INVITEE,
            )
        membership = Membership.objects.filter(user=user).first()
        if membership and membership.is_active:
            raise DomainError("You are already a member of this organization.", code=OrgError.ALREADY_MEMBER)
        if membership is None:
            membership = Membership(org=invitation.org, user=user)
        membership.role, membership.custom_role = invitation.role, invitation.custom_role
        membership.is_active, membership.removed_at = True, None
        membership.save()
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        events.record(
            action=Action.MEMBER_JOINED,
            actor=membership,
            obj=membership,
            metadata={"role": membership.role_label, "invitation": invitation.pk},
        )
    return membership
