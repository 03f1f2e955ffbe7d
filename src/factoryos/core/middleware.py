"""Request id, then the tenant middleware: one transaction per request carrying the RLS settings."""

from __future__ import annotations

import re
import uuid

from django.db import transaction
from django.http import HttpResponseBadRequest

from factoryos.audit import context as audit_context
from factoryos.audit import services as audit
from factoryos.core.models import Membership
from factoryos.kernel import tenancy
from factoryos.kernel.validators import UNSTORABLE, UNSTORABLE_MESSAGE

SESSION_ORG_KEY = "factoryos_org_id"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Take a sane X-Request-ID from the proxy or make one; echo it on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


def active_memberships(user) -> list[Membership]:
    """The user's active memberships across organizations (readable through the user RLS predicate)."""
    return list(
        Membership.all_tenants.filter(user=user, is_active=True).select_related("org").order_by("org__legal_name")
    )


def resolve_membership(request) -> Membership | None:
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = active_memberships(user)
    wanted = request.session.get(SESSION_ORG_KEY)
    chosen = next((m for m in memberships if m.org_id == wanted), None) or (memberships[0] if memberships else None)
    if chosen and chosen.org_id != wanted:
        request.session[SESSION_ORG_KEY] = chosen.org_id
    request.memberships = memberships
    return chosen


class TenantMiddleware:
    """Open the request's transaction, then set the user and organization for the ORM and for RLS.

    Every query of the request runs inside this transaction, so ``set_config(..., true)`` (SET LOCAL) covers them
    all and is gone when it ends. A removed member's session finds no active membership at the next request.
    API-key requests have no session: the API authenticator activates the key's organization later, inside the
    same transaction. A 5xx response rolls the transaction back, as ATOMIC_REQUESTS would.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with transaction.atomic():
            user_token = tenancy.set_user(request.user.pk if request.user.is_authenticated else None)
            request.memberships = []
            request.membership = resolve_membership(request)
            request.org = request.membership.org if request.membership else None
            org_token = tenancy.activate(request.org)
            audit_token = audit_context.activate(audit_context.from_request(request))
            try:
                with audit.linked_at_commit() as drafted:
                    response = self.get_response(request)
                    if response.status_code >= 500:
                        transaction.set_rollback(True)
                    elif not transaction.get_rollback():
                        audit.link_pending(drafted)  # the request's events join the chain as it commits
            finally:
                audit_context.deactivate(audit_token)
                tenancy.deactivate(org_token)
                tenancy.reset_user(user_token)
        cookie = getattr(request, "_factoryos_device_cookie", None)
        if cookie:
            response.set_cookie(**cookie)
        return response


class UnstorableInputMiddleware:
    """Refuse (400) web query or form values that no database column can store, before any view sees them.

    The API's parser does the same for its query strings and JSON bodies, answering with the API's error body.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            fields = list(request.GET.lists())
            if request.method == "POST" and request.content_type in self.FORM_TYPES:
                fields += list(request.POST.lists())
            for name, values in fields:
                if UNSTORABLE.search(name) or any(UNSTORABLE.search(v) for v in values if isinstance(v, str)):
                    return HttpResponseBadRequest(f"{name}: {UNSTORABLE_MESSAGE}", content_type="text/plain")
        return self.get_response(request)
