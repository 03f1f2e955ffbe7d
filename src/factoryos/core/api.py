"""Organization, tax identifiers, members, invitations and roles. Thin: parse, check, call a service."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.responses import Status

from factoryos.core import selectors, services
from factoryos.core.models import Invitation, Membership, Role, TaxIdentifier
from factoryos.core.schemas import (
    InvitationIn,
    InvitationOut,
    MemberOut,
    MemberPatch,
    OrganizationOut,
    OrganizationPatch,
    RoleIn,
    RoleOut,
    RolePatch,
    TaxIdIn,
    TaxIdOut,
    TaxIdPatch,
)
from factoryos.kernel import events
from factoryos.kernel.access import requires
from factoryos.kernel.api import PageParams, page_of, paginate
from factoryos.kernel.events import Action
from factoryos.kernel.permissions import ROLE_PERMISSIONS, BuiltinRole

router = Router(tags=["organization"])


def member_out(m: Membership) -> dict:
    return {
        "id": m.pk,
        "user_id": m.user_id,
        "email": m.user.email,
        "first_name": m.user.first_name,
        "last_name": m.user.last_name,
        "role": m.role_key,
        "role_label": m.role_label,
        "joined_at": m.joined_at,
    }


def invitation_out(i: Invitation) -> dict:
    return {
        "id": i.pk,
        "email": i.email,
        "role": i.role_key,
        "role_label": i.role_label,
        "status": i.status,
        "created_at": i.created_at,
        "expires_at": i.expires_at,
    }


def role_out(role: Role) -> dict:
    return {
        "key": f"custom:{role.pk}",
        "id": role.pk,
        "name": role.name,
        "description": role.description,
        "permissions": role.permissions,
        "builtin": False,
    }


# -- organization ------------------------------------------------------------------------------------------------
@router.get("/organization", response=OrganizationOut)
@requires("org.view")
def organization_get(request):
    return request.org


@router.patch("/organization", response=OrganizationOut)
@requires("org.edit")
def organization_patch(request, payload: OrganizationPatch):
    return services.organization_update(
        actor=request.membership, org=request.org, **payload.model_dump(exclude_unset=True, exclude_none=True)
    )


@router.get("/organization/tax-ids", response=list[TaxIdOut])
@requires("org.view")
def tax_id_list(request):
    return list(TaxIdentifier.objects.all())


@router.post("/organization/tax-ids", response={201: TaxIdOut})
@requires("org.edit")
def tax_id_create(request, payload: TaxIdIn):
    return Status(201, services.tax_id_create(actor=request.membership, **payload.model_dump()))


@router.get("/organization/tax-ids/{tax_id_id}", response=TaxIdOut)
@requires("org.view")
def tax_id_get(request, tax_id_id: int):
    tax_id = get_object_or_404(TaxIdentifier.objects, pk=tax_id_id)
    events.record(action=Action.VIEW, obj=tax_id)
    return tax_id


@router.patch("/organization/tax-ids/{tax_id_id}", response=TaxIdOut)
@requires("org.edit")
def tax_id_patch(request, tax_id_id: int, payload: TaxIdPatch):
    tax_id = get_object_or_404(TaxIdentifier.objects, pk=tax_id_id)
    return services.tax_id_update(actor=request.membership, tax_id=tax_id, **payload.model_dump(exclude_none=True))


@router.delete("/organization/tax-ids/{tax_id_id}", response={204: None})
@requires("org.edit")
def tax_id_delete(request, tax_id_id: int):
    services.tax_id_delete(actor=request.membership, tax_id=get_object_or_404(TaxIdentifier.objects, pk=tax_id_id))
    return Status(204, None)


# -- members -----------------------------------------------------------------------------------------------------
@router.get("/members", response=page_of(MemberOut), tags=["members"])
@requires("members.view")
def member_list(
    request,
    page: Query[PageParams],
    q: str = "",
    role: str = "",
    ordering: Literal["email", "-email", "joined_at", "-joined_at"] | None = None,
):
    qs = selectors.members(q)
    if role:
        custom_id = role.removeprefix("custom:")
        if custom_id != role and custom_id.isascii() and custom_id.isdigit():
            # through Role's pk, whose lookup turns an id beyond the column's range into "no such role", not a 500
            qs = qs.filter(custom_role__in=Role.objects.filter(pk=int(custom_id)))
        else:
            qs = qs.filter(role=role)
    result = paginate(
        qs.order_by("joined_at"),
        limit=page.limit,
        offset=page.offset,
        ordering=ordering and ordering.replace("email", "user__email"),
        allowed={"user__email", "joined_at"},
    )
    events.record_list(object_type="core.membership", criteria={"q": q, "role": role}, count=result["count"])
    result["items"] = [member_out(m) for m in result["items"]]
    return result


@router.get("/members/{member_id}", response=MemberOut, tags=["members"])
@requires("members.view")
def member_get(request, member_id: int):
    member = get_object_or_404(Membership.objects.select_related("user", "custom_role"), pk=member_id, is_active=True)
    events.record(action=Action.VIEW, obj=member)
    return member_out(member)


@router.patch("/members/{member_id}", response=MemberOut, tags=["members"])
@requires("members.manage")
def member_patch(request, member_id: int, payload: MemberPatch):
    member = get_object_or_404(Membership.objects, pk=member_id, is_active=True)
    return member_out(services.membership_change_role(actor=request.membership, membership=member, role=payload.role))


@router.delete("/members/{member_id}", response={204: None}, tags=["members"])
@requires("members.manage")
def member_delete(request, member_id: int):
    member = get_object_or_404(Membership.objects, pk=member_id, is_active=True)
    services.membership_remove(actor=request.membership, membership=member)
    return Status(204, None)


# -- invitations -------------------------------------------------------------------------------------------------
@router.get("/invitations", response=page_of(InvitationOut), tags=["members"])
@requires("members.view")
def invitation_list(
    request,
    page: Query[PageParams],
    email: str = "",
    ordering: Literal["created_at", "-created_at", "email", "-email"] | None = None,
):
    qs = Invitation.objects.select_related("custom_role")
    if email:
        qs = qs.filter(email__icontains=email)
    result = paginate(qs, limit=page.limit, offset=page.offset, ordering=ordering, allowed={"created_at", "email"})
    result["items"] = [invitation_out(i) for i in result["items"]]
    return result


@router.post("/invitations", response={201: InvitationOut}, tags=["members"])
@requires("members.manage")
def invitation_create(request, payload: InvitationIn):
    invitation = services.invitation_create(
        actor=request.membership, email=payload.email, role=payload.role, base_url=request.build_absolute_uri("/")
    )
    return Status(201, invitation_out(invitation))


@router.get("/invitations/{invitation_id}", response=InvitationOut, tags=["members"])
@requires("members.view")
def invitation_get(request, invitation_id: int):
    return invitation_out(get_object_or_404(Invitation.objects.select_related("custom_role"), pk=invitation_id))


@router.delete("/invitations/{invitation_id}", response={204: None}, tags=["members"])
@requires("members.manage")
def invitation_delete(request, invitation_id: int):
    services.invitation_revoke(
        actor=request.membership, invitation=get_object_or_404(Invitation.objects, pk=invitation_id)
    )
    return Status(204, None)


# -- roles -------------------------------------------------------------------------------------------------------
@router.get("/roles", response=list[RoleOut], tags=["members"])
@requires("members.view")
def role_list(request):
    builtin = [
        {
            "key": r.value,
            "id": None,
            "name": r.label,
            "description": "Built-in role",
            "permissions": sorted(ROLE_PERMISSIONS[r]),
            "builtin": True,
        }
        for r in BuiltinRole
    ]
    return builtin + [role_out(r) for r in Role.objects.all()]


@router.post("/roles", response={201: RoleOut}, tags=["members"])
@requires("members.manage")
def role_create(request, payload: RoleIn):
    return Status(201, role_out(services.role_create(actor=request.membership, **payload.model_dump())))


@router.get("/roles/{role_id}", response=RoleOut, tags=["members"])
@requires("members.view")
def role_get(request, role_id: int):
    return role_out(get_object_or_404(Role.objects, pk=role_id))


@router.patch("/roles/{role_id}", response=RoleOut, tags=["members"])
@requires("members.manage")
def role_patch(request, role_id: int, payload: RolePatch):
    role = get_object_or_404(Role.objects, pk=role_id)
    return role_out(services.role_update(actor=request.membership, role=role, **payload.model_dump(exclude_none=True)))


@router.delete("/roles/{role_id}", response={204: None}, tags=["members"])
@requires("members.manage")
def role_delete(request, role_id: int):
    services.role_delete(actor=request.membership, role=get_object_or_404(Role.objects, pk=role_id))
    return Status(204, None)
