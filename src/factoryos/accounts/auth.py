"""How the API knows who calls: an API key (``Authorization: Bearer fos_...``) or the browser's session."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from ninja.security import HttpBearer, SessionAuth

from factoryos.accounts.models import ApiKey
from factoryos.accounts.services import API_KEY_PREFIX, hash_api_token
from factoryos.audit import context as audit_context
from factoryos.core.models import Membership
from factoryos.kernel import tenancy
from factoryos.kernel.permissions import PERMISSIONS


class ApiKeyAuth(HttpBearer):
    """``Authorization: Bearer fos_<prefix>_<secret>``. Activates the key's organization for the request."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
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
        membership.acting_key = key  # the audit trail names the key, not its creator
        ip = audit_context.client_ip(request)
        now = timezone.now()
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60 or key.last_used_ip != ip:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now, last_used_ip=ip)
        request.membership, request.api_key, request.org = membership, key, key.org
        audit_context.update(
            actor_user_id=None,
            actor_api_key_id=key.pk,
            actor_label=audit_context.key_label(key),
            person_id=membership.user_id,
            permissions=frozenset(p for p in PERMISSIONS if key.allows(p)),
        )
        return membership


class MemberSessionAuth(SessionAuth):
    """The browser's session (CSRF-checked for writes), for a user with an active membership."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Membership | None:
        if request.user.is_authenticated and getattr(request, "membership", None) is not None:
            request.api_key = None
            return request.membership
        return None
