"""Organization, tax identifiers, members, invitations and roles. Thin: parse, check, call a service."""

from ninja import Router

from factoryos.core import selectors, services
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
from factoryos.kernel.events import Action
from factoryos.kernel.permissions import ROLE_PERMISSIONS, BuiltinRole
from factoryos.kernel.reads import LIST, VIEW, reads
from factoryos.kernel.resources import Resource, add_resource

router = Router(tags=["organization"])
MEMBERS = ("members.view", "members.manage")


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
    """Every tax identifier of the organization (a few: not paginated)."""
    listing = selectors.tax_ids.filter({})
    rows = list(listing.queryset)
    listing.record(count=len(rows), actor=request.membership)
    return rows


add_resource(
    router,
    Resource(
        path="organization/tax-ids",
        reader=selectors.tax_ids,
        out=TaxIdOut,
        create_in=TaxIdIn,
        patch_in=TaxIdPatch,
        create=services.tax_id_create,
        update=services.tax_id_update,
        delete=services.tax_id_delete,
        module="org",
        listed=False,
    ),
)


# -- members and invitations ---------------------------------------------------------------------------------------
add_resource(
    router,
    Resource(
        path="members",
        reader=selectors.members,
        out=MemberOut,
        patch_in=MemberPatch,
        update=services.membership_change_role,
        delete=services.membership_remove,
        ordering={"email": "user__email", "joined_at": "joined_at"},
        permissions=MEMBERS,
        tags=("members",),
    ),
)
add_resource(
    router,
    Resource(
        path="invitations",
        reader=selectors.invitations,
        out=InvitationOut,
        create_in=InvitationIn,
        create=services.invitation_create,
        delete=services.invitation_revoke,
        ordering=("created_at", "email"),
        from_request=lambda request: {"base_url": request.build_absolute_uri("/")},  # for the link in the email
        permissions=MEMBERS,
        tags=("members",),
    ),
)


# -- roles -------------------------------------------------------------------------------------------------------
@router.get("/roles", response=list[RoleOut], tags=["members"])
@requires("members.view")
@reads(LIST)
def role_list(request):
    """The built-in roles, then the custom ones (a LIST of those)."""
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
    custom = list(listing.queryset)
    listing.record(count=len(custom), actor=request.membership, builtin=len(builtin))
    return builtin + custom


add_resource(
    router,
    Resource(
        path="roles",
        reader=selectors.roles,
        out=RoleOut,
        create_in=RoleIn,
        patch_in=RolePatch,
        create=services.role_create,
        update=services.role_update,
        delete=services.role_delete,
        permissions=MEMBERS,
        listed=False,
        tags=("members",),
    ),
)
