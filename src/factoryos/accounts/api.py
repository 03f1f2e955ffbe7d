"""The acting person (me) and the organization's API keys."""

from ninja import Query, Router
from ninja.responses import Status

from factoryos.accounts import selectors, services
from factoryos.accounts.filters import ApiKeyFilterSet
from factoryos.accounts.models import ApiKey
from factoryos.accounts.schemas import ApiKeyCreated, ApiKeyIn, ApiKeyOut, MeOut, MePatch
from factoryos.core.middleware import active_memberships
from factoryos.kernel.access import requires
from factoryos.kernel.api import PageParams, page_of
from factoryos.kernel.filters import query_schema
from factoryos.kernel.reads import LIST, NOTHING, VIEW, reads
from factoryos.kernel.resources import PathId, paged

router = Router(tags=["me"])
ApiKeyParams = query_schema(ApiKeyFilterSet)


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


def key_out(key: ApiKey) -> dict:
    return {
        "id": key.pk,
        "name": key.name,
        "prefix": key.prefix,
        "scopes": key.scopes,
        "created_by": key.created_by.user.email,
        "created_at": key.created_at,
        "expires_at": key.expires_at,
        "last_used_at": key.last_used_at,
        "last_used_ip": key.last_used_ip,
        "revoked_at": key.revoked_at,
    }


@router.get("/api-keys", response=page_of(ApiKeyOut), tags=["api keys"])
@requires("apikeys.manage")
@reads(LIST)
def api_key_list(request, page: Query[PageParams], params: Query[ApiKeyParams]):
    return paged(request, selectors.api_keys, params, page, out=key_out)


@router.post("/api-keys", response={201: ApiKeyCreated}, tags=["api keys"])
@requires("apikeys.manage")
def api_key_create(request, payload: ApiKeyIn):
    key, token = services.api_key_create(actor=request.membership, **payload.model_dump())
    return Status(201, {**key_out(key), "token": token})


@router.get("/api-keys/{key_id}", response=ApiKeyOut, tags=["api keys"])
@requires("apikeys.manage")
@reads(VIEW)
def api_key_get(request, key_id: PathId):
    return key_out(selectors.api_keys.get(key_id, actor=request.membership))


@router.delete("/api-keys/{key_id}", response={204: None}, tags=["api keys"])
@requires("apikeys.manage")
def api_key_delete(request, key_id: PathId):
    services.api_key_revoke(actor=request.membership, key=selectors.api_keys.fetch(key_id))
    return Status(204, None)
