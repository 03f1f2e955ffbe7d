"""The acting person (me) and the organization's API keys."""

from ninja import Router
from ninja.responses import Status

from factoryos.accounts import selectors, services
from factoryos.accounts.schemas import ApiKeyCreated, ApiKeyIn, ApiKeyOut, MeOut, MePatch
from factoryos.core.middleware import active_memberships
from factoryos.kernel.access import requires
from factoryos.kernel.reads import NOTHING, reads
from factoryos.kernel.resources import Resource, add_resources

router = Router(tags=["me"])


def me_out(request) -> dict:
    membership = request.membership
    user = membership.user
    others = active_memberships(user)
    permissions = membership.permissions
    if getattr(request, "api_key", None) is not None:  # a key sees what its scopes leave of its creator's role
        permissions = {p for p in permissions if request.api_key.allows(p)}
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone or "",
        "job_title": user.job_title,
        "department": user.department,
        "has_photo": bool(user.photo),
        "organization_id": membership.org_id,
        "role": membership.role_label,
        "permissions": sorted(permissions),
        "memberships": [
            {"organization_id": m.org_id, "organization": m.org.display_name, "role": m.role_label} for m in others
        ],
    }


@router.get("/me", response=MeOut)
@reads(NOTHING)
def me_get(request):
    return me_out(request)


@router.patch("/me", response=MeOut)
def me_patch(request, payload: MePatch):
    if getattr(request, "api_key", None) is not None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("An API key cannot change a person's profile.")
    services.profile_update(user=request.membership.user, **payload.model_dump(exclude_none=True))
    request.membership.user.refresh_from_db()
    return me_out(request)


@router.post("/api-keys", response={201: ApiKeyCreated}, tags=["api keys"])
@requires("apikeys.manage")
def api_key_create(request, payload: ApiKeyIn):
    key, token = services.api_key_create(actor=request.membership, **payload.model_dump())
    key.token = token  # answered once, never stored
    return Status(201, key)


add_resources(
    router,
    Resource(
        "api-keys",
        selectors.api_keys,
        out=ApiKeyOut,
        delete=services.api_key_revoke,
        module="apikeys",
        permissions=("apikeys.manage", "apikeys.manage"),
        tags=("api keys",),
    ),
)
