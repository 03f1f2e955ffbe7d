"""Organization, tax identifiers, members, invitations and roles. Thin: parse, check, call a service."""

from ninja import Router, Status, UploadedFile

from factoryos.core import schemas, selectors, services
from factoryos.kernel import events, images
from factoryos.kernel.access import requires
from factoryos.kernel.api import OPTIONAL_FILE
from factoryos.kernel.errors import CommonError, DomainError
from factoryos.kernel.events import Action
from factoryos.kernel.permissions import ROLE_PERMISSIONS, BuiltinRole
from factoryos.kernel.reads import LIST, NOTHING, VIEW, reads
from factoryos.kernel.resources import Resource, add_resources

router = Router(tags=["organization"])
MEMBERS = ("members.view", "members.manage")


# -- organization ------------------------------------------------------------------------------------------------
@router.get("/organization", response=schemas.OrganizationOut)
@requires("org.view")
@reads(VIEW)
def organization_get(request):
    events.record(action=Action.VIEW, actor=request.membership, obj=request.org)
    return request.org


@router.patch("/organization", response=schemas.OrganizationOut)
@requires("org.edit")
def organization_patch(request, payload: schemas.OrganizationPatch):
    return services.organization_update(
        actor=request.membership, org=request.org, **payload.model_dump(exclude_unset=True, exclude_none=True)
    )


IMAGE = {kind: {"schema": {"type": "string", "format": "binary"}} for kind in ("image/png", "image/jpeg", "image/webp")}


@router.get(
    "/organization/logo",
    response={200: str},
    summary="Download the logo the documents print",
    openapi_extra={"responses": {200: {"content": IMAGE}}},
)
@requires("org.view")
@reads(NOTHING)  # the letterhead's picture: nothing about a person, nothing sealed
def organization_logo_get(request):
    return images.response(request.org.logo, missing="The organization has no logo.")


@router.post("/organization/logo", response=schemas.OrganizationOut, summary="Upload the logo the documents print")
@requires("org.edit")
def organization_logo_post(request, file: UploadedFile = OPTIONAL_FILE):
    """A JPEG, PNG or WebP image in the ``file`` field (multipart/form-data), up to 2 MB: checked by its content,
    re-encoded without metadata, stored encrypted."""
    if file is None:
        raise DomainError(
            "Upload an image in the 'file' field (multipart/form-data).", code=CommonError.REQUIRED, field="file"
        )
    return services.organization_logo_set(actor=request.membership, org=request.org, upload=file, field="file")


@router.delete("/organization/logo", response={204: None}, summary="Remove the logo")
@requires("org.edit")
def organization_logo_delete(request):
    services.organization_logo_remove(actor=request.membership, org=request.org)
    return Status(204, None)


@router.get("/organization/tax-ids", response=list[schemas.TaxIdOut])
@requires("org.view")
@reads(LIST)
def tax_id_list(request):
    """Every tax identifier of the organization (a few: not paginated)."""
    listing = selectors.tax_ids.filter({})
    rows = list(listing.queryset)
    listing.record(count=len(rows), actor=request.membership)
    return rows


# -- roles -------------------------------------------------------------------------------------------------------
@router.get("/roles", response=list[schemas.RoleOut], tags=["members"])
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


add_resources(
    router,
    Resource("organization/tax-ids", selectors.tax_ids, name="TaxId", noun="tax_id", module="org", listed=False),
    Resource(
        "members",
        selectors.members,
        name="Member",
        update=services.membership_change_role,
        delete=services.membership_remove,
        ordering={"email": "user__email", "joined_at": "joined_at"},
        permissions=MEMBERS,
        tags=("members",),
    ),
    Resource(
        "invitations",
        selectors.invitations,
        delete=services.invitation_revoke,
        ordering=("created_at", "email"),
        from_request=lambda request: {"base_url": request.build_absolute_uri("/")},  # for the link in the email
        permissions=MEMBERS,
        tags=("members",),
    ),
    Resource("roles", selectors.roles, permissions=MEMBERS, listed=False, tags=("members",)),
    schemas=schemas,
    services=services,
)
