"""The API's shared parts: authentication, the one error shape, pagination and ordering."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth
from pydantic import create_model

from factoryos.audit import context as audit_context
from factoryos.core import tenancy
from factoryos.core.errors import DomainError, field_errors
from factoryos.core.models import Membership


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


class ApiKeyAuth(HttpBearer):
    """``Authorization: Bearer fos_<prefix>_<secret>``. Activates the key's organization for the request."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        from factoryos.accounts.models import ApiKey
        from factoryos.accounts.services import API_KEY_PREFIX, hash_api_token

        if not token.startswith(API_KEY_PREFIX) or token.count("_") < 2:
            return None
        prefix = token[len(API_KEY_PREFIX) :].split("_", 1)[0]
        tenancy.set_db_setting(tenancy.GUC_API_KEY_PREFIX, prefix)
        try:
            candidates = list(ApiKey.all_tenants.filter(prefix=prefix).select_related("org"))
        finally:
            tenancy.set_db_setting(tenancy.GUC_API_KEY_PREFIX, None)
        digest = hash_api_token(token)
        key = next((k for k in candidates if constant_time_compare(k.key_hash, digest)), None)
        if key is None or not key.is_usable:
            return None
        tenancy.activate(key.org)  # reset by TenantMiddleware at the end of the request
        membership = Membership.objects.select_related("user", "org").filter(pk=key.created_by_id).first()
        if membership is None or not membership.is_active:
            return None
        key.created_by = membership
        ip = audit_context.client_ip(request)
        now = timezone.now()
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60 or key.last_used_ip != ip:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now, last_used_ip=ip)
        request.membership, request.api_key, request.org = membership, key, key.org
        audit_context.update(actor_user_id=None, actor_api_key_id=key.pk, actor_label=f"API key {key.name}")
        return membership


class MemberSessionAuth(SessionAuth):
    """The browser's session (CSRF-checked for writes), for a user with an active membership."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Membership | None:
        if request.user.is_authenticated and getattr(request, "membership", None) is not None:
            request.api_key = None
            return request.membership
        return None


def _error(api: NinjaAPI, request: HttpRequest, status: int, detail: str, errors: list[dict] | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Every 4xx has the same body: {"detail": "...", "errors": [{"field": "...", "message": "..."}]}."""

    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc):
        errors = []
        for err in exc.errors:
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload", "header")]
            errors.append({"field": ".".join(loc), "message": err.get("msg", "invalid")})
        return _error(api, request, 422, "The request has invalid fields.", errors)

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request, exc):
        return _error(api, request, 400, "The request has invalid fields.", field_errors(exc))

    @api.exception_handler(DomainError)
    def _domain(request, exc):
        return _error(api, request, exc.status, exc.message, field_errors(exc))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return _error(api, request, 401, "Authentication required: a session or 'Authorization: Bearer fos_...'.")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return _error(api, request, 403, str(exc) or "You do not have permission for this.")

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return _error(api, request, 404, "Not found.")

    @api.exception_handler(ObjectDoesNotExist)
    def _does_not_exist(request, exc):
        return _error(api, request, 404, "Not found.")

    @api.exception_handler(HttpError)
    def _http(request, exc):
        return _error(api, request, exc.status_code, str(exc))


# -- lists -------------------------------------------------------------------------------------------------------
_page_models: dict[type, type] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The paginated response schema for ``item``: {items, count, limit, offset}."""
    if item not in _page_models:
        _page_models[item] = create_model(
            f"{item.__name__}Page",
            __base__=Schema,
            items=(list[item], ...),
            count=(int, ...),
            limit=(int, ...),
            offset=(int, ...),
        )
    return _page_models[item]


class PageParams(Schema):
    limit: int = 50
    offset: int = 0


def paginate(
    qs: models.QuerySet, *, limit: int, offset: int, ordering: str | None, allowed: set[str]
) -> dict[str, Any]:
    """A page of ``qs``; the page size is capped at API_MAX_PAGE_SIZE; ordering only on ``allowed`` fields."""
    if limit < 1 or limit > settings.API_MAX_PAGE_SIZE:
        raise DomainError(f"limit must be between 1 and {settings.API_MAX_PAGE_SIZE}.", field="limit")
    if offset < 0:
        raise DomainError("offset cannot be negative.", field="offset")
    if ordering:
        if ordering.lstrip("-") not in allowed:
            raise DomainError(
                f"ordering must be one of {', '.join(sorted(allowed))} (prefix - to reverse).", field="ordering"
            )
        qs = qs.order_by(ordering, "pk")
    count = qs.count()
    return {"items": list(qs[offset : offset + limit]), "count": count, "limit": limit, "offset": offset}
