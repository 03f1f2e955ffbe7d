"""Organization, tax identifiers, members, invitations and roles. Thin: parse, check, call a service."""

from typing import Literal

from ninja import Query, Router
from ninja.responses import Status

from factoryos.core import selectors, services
from factoryos.core.filters import InvitationFilterSet, MemberFilterSet
from factoryos.core.models import Invitation, Membership, Role
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
from factoryos.kernel.api import PageParams, page_of
from factoryos.kernel.events import Action
from factoryos.kernel.filters import query_schema
from factoryos.kernel.permissions import ROLE_PERMISSIONS, BuiltinRole
from factoryos.kernel.reads import LIST, VIEW, reads
from factoryos.kernel.resources import PathId, paged

router = Router(tags=["organization"])
MemberParams = query_schema(MemberFilterSet)
InvitationParams = query_schema(InvitationFilterSet)


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
@reads(VIEW)
def organization_get(request):
    events.record(action=Action.VIEW, actor=request.membership, obj=request.org)
    return request.org


@router.patch("/organization", response=OrganizationOut)
@requires("org.edit")
def organization_patch(request, payload: OrganizationPatch):
    return services.organization_update(
        actor=request.membership, org=request.org, **payload.model_dump(exclude_unset=True, exclude_none=True)
    )


@router.get("/organization/tax-ids", response=list[TaxIdOut])
@requires("org.view")
@reads(LIST)
def tax_id_list(request):
    listing = selectors.tax_ids.filter({})
    rows = list(listing.queryset)
    listing.record(count=len(rows), actor=request.membership)
    return rows


@router.post("/organization/tax-ids", response={201: TaxIdOut})
@requires("org.edit")
def tax_id_create(request, payload: TaxIdIn):
    return Status(201, services.tax_id_create(actor=request.membership, **payload.model_dump()))


@router.get("/organization/tax-ids/{tax_id_id}", response=TaxIdOut)
@requires("org.view")
@reads(VIEW)
def tax_id_get(request, tax_id_id: PathId):
    return selectors.tax_ids.get(tax_id_id, actor=request.membership)


@router.patch("/organization/tax-ids/{tax_id_id}", response=TaxIdOut)
@requires("org.edit")
def tax_id_patch(request, tax_id_id: PathId, payload: TaxIdPatch):
    tax_id = selectors.tax_ids.fetch(tax_id_id)
    return services.tax_id_update(actor=request.membership, tax_id=tax_id, **payload.model_dump(exclude_none=True))


@router.delete("/organization/tax-ids/{tax_id_id}", response={204: None})
@requires("org.edit")
def tax_id_delete(request, tax_id_id: PathId):
    services.tax_id_delete(actor=request.membership, tax_id=selectors.tax_ids.fetch(tax_id_id))
    return Status(204, None)


# -- members -----------------------------------------------------------------------------------------------------
@router.get("/members", response=page_of(MemberOut), tags=["members"])
@requires("members.view")
@reads(LIST)
def member_list(
    request,
    page: Query[PageParams],
    params: Query[MemberParams],
    ordering: Literal["email", "-email", "joined_at", "-joined_at"] | None = None,
):
    return paged(
        request,
        selectors.members,
        params,
        page,
        ordering=ordering and ordering.replace("email", "user__email"),
        allowed={"user__email", "joined_at"},
        out=member_out,
    )


@router.get("/members/{member_id}", response=MemberOut, tags=["members"])
@requires("members.view")
@reads(VIEW)
def member_get(request, member_id: PathId):
    return member_out(selectors.members.get(member_id, actor=request.membership))


@router.patch("/members/{member_id}", response=MemberOut, tags=["members"])
@requires("members.manage")
def member_patch(request, member_id: PathId, payload: MemberPatch):
    member = selectors.members.fetch(member_id)
    return member_out(services.membership_change_role(actor=request.membership, membership=member, role=payload.role))


@router.delete("/members/{member_id}", response={204: None}, tags=["members"])
@requires("members.manage")
def member_delete(request, member_id: PathId):
    member = selectors.members.fetch(member_id)
    services.membership_remove(actor=request.membership, membership=member)
    return Status(204, None)


# -- invitations -------------------------------------------------------------------------------------------------
@router.get("/invitations", response=page_of(InvitationOut), tags=["members"])
@requires("members.view")
@reads(LIST)
def invitation_list(
    request,
    page: Query[PageParams],
    params: Query[InvitationParams],
    ordering: Literal["created_at", "-created_at", "email", "-email"] | None = None,
):
    return paged(
        request,
        selectors.invitations,
        params,
        page,
        ordering=ordering,
        allowed={"created_at", "email"},
        out=invitation_out,
    )


@router.post("/invitations", response={201: InvitationOut}, tags=["members"])
@requires("members.manage")
def invitation_create(request, payload: InvitationIn):
    invitation = services.invitation_create(
        actor=request.membership, email=payload.email, role=payload.role, base_url=request.build_absolute_uri("/")
    )
    return Status(201, invitation_out(invitation))


@router.get("/invitations/{invitation_id}", response=InvitationOut, tags=["members"])
@requires("members.view")
@reads(VIEW)
def invitation_get(request, invitation_id: PathId):
    return invitation_out(selectors.invitations.get(invitation_id, actor=request.membership))


@router.delete("/invitations/{invitation_id}", response={204: None}, tags=["members"])
@requires("members.manage")
def invitation_delete(request, invitation_id: PathId):
    services.invitation_revoke(actor=request.membership, invitation=selectors.invitations.fetch(invitation_id))
    return Status(204, None)


# -- roles -------------------------------------------------------------------------------------------------------
@router.get("/roles", response=list[RoleOut], tags=["members"])
@requires("members.view")
@reads(LIST)
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
    listing = selectors.roles.filter({})
    custom = [role_out(r) for r in listing.queryset]
    listing.record(count=len(custom), actor=request.membership, builtin=len(builtin))
    return builtin + custom


@router.post("/roles", response={201: RoleOut}, tags=["members"])
@requires("members.manage")
def role_create(request, payload: RoleIn):
    return Status(201, role_out(services.role_create(actor=request.membership, **payload.model_dump())))


@router.get("/roles/{role_id}", response=RoleOut, tags=["members"])
@requires("members.view")
@reads(VIEW)
def role_get(request, role_id: PathId):
    return role_out(selectors.roles.get(role_id, actor=request.membership))


@router.patch("/roles/{role_id}", response=RoleOut, tags=["members"])
@requires("members.manage")
def role_patch(request, role_id: PathId, payload: RolePatch):
    role = selectors.roles.fetch(role_id)
    return role_out(services.role_update(actor=request.membership, role=role, **payload.model_dump(exclude_none=True)))


@router.delete("/roles/{role_id}", response={204: None}, tags=["members"])
@requires("members.manage")
def role_delete(request, role_id: PathId):
    services.role_delete(actor=request.membership, role=selectors.roles.fetch(role_id))
    return Status(204, None)
