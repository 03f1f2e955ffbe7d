"""Every route, classified. The isolation sweep and the role matrix fail on any route missing here.

When you add a route (web URL pattern or API operation), add it here:
- PUBLIC: serves no organization data (health, login pages, API docs).
- ACCOUNT: the acting person's own data, never another organization's (profile, allauth pages, invitation links).
- ORG: the current organization's data, but no object id in the path (lists, create forms).
- OBJECT: the path names one object of a tenant model; give the model label. The sweep requests org B's object
  as an admin of org A with every method and expects 404 and an unchanged row.
API writes that need a body to reach the object lookup get a valid one in API_PAYLOADS.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.core import world as core_world


@dataclass(frozen=True)
class Route:
    kind: str  # PUBLIC | ACCOUNT | ORG | OBJECT
    model: str | None = None


PUBLIC, ACCOUNT, ORG = Route("PUBLIC"), Route("ACCOUNT"), Route("ORG")


def OBJECT(model: str) -> Route:  # noqa: N802 - reads as a constant like its siblings
    """``model`` is a world object's label: the model's, or ``<model>#<variant>`` for another object of it."""
    return Route("OBJECT", model)


# Web routes by URL name (namespace:name). allauth's own pages are ACCOUNT by the module rule below.
WEB: dict[str, Route] = {
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:api-root": PUBLIC,  # ninja's index of the API
    "accounts:profile": ACCOUNT,
    "accounts:photo_upload": ACCOUNT,
    "accounts:photo": ACCOUNT,
    "accounts:activity": ACCOUNT,
    "accounts:invitation_accept": ACCOUNT,  # the signed token names the organization; tested in test_invitations
    "core:home": ORG,
    "core:org_switch": ORG,
    "core:org_settings": ORG,
    "core:tax_id_add": ORG,
    "core:org_logo_upload": ORG,
    "core:org_logo_remove": ORG,
    "core:org_logo": ORG,
    "core:tax_id_delete": OBJECT("core.taxidentifier"),
    "core:member_list": ORG,
    "core:invitation_create": ORG,
    "core:member_role": OBJECT("core.membership"),
    "core:member_remove": OBJECT("core.membership"),
    "core:invitation_revoke": OBJECT("core.invitation"),
    "core:role_list": ORG,
    "core:role_detail": OBJECT("core.role"),
    "core:role_delete": OBJECT("core.role"),
    "accounts:api_key_list": ORG,
    "accounts:api_key_revoke": OBJECT("accounts.apikey"),
    "audit:audit_list": ORG,
    "audit:audit_export": ORG,
    "audit:audit_detail": OBJECT("audit.auditevent"),
}
# allauth's views (login, sign-up, email, password, MFA) act on the logged-in person only.
ACCOUNT_MODULE_PREFIXES = ("allauth.",)

# API operations by path (relative to /api/v1/).
API: dict[str, Route] = {
    "me": ACCOUNT,
    "organization": ORG,
    "organization/tax-ids": ORG,
    "organization/logo": ORG,
    "roles": ORG,
    "audit-events": ORG,
    "audit-events/export.csv": ORG,
    "audit-events/{event_id}": OBJECT("audit.auditevent"),
    "boms/{id}/release": OBJECT("catalog.bom"),
    "boms/{id}/obsolete": OBJECT("catalog.bom#released"),  # a draft cannot be made obsolete
    "items/{id}/explosion": OBJECT("catalog.item"),
    "items/{id}/where-used": OBJECT("catalog.item"),
    "items/{id}/cost": OBJECT("catalog.item"),
}

# A valid body for each API write that really changes something, so that validation passes and the object lookup
# (or the permission) decides; a no-op update records no event.
API_PAYLOADS: dict[tuple[str, str], dict] = {
    ("PATCH", "me"): {"job_title": "Welding supervisor"},
    ("PATCH", "organization"): {"city": "Newcastle"},
    ("POST", "organization/tax-ids"): {"kind": "VAT", "country": "GB", "value": "GB999999973"},
    ("PATCH", "organization/tax-ids/{id}"): {"country": "NZ"},
    ("PATCH", "members/{id}"): {"role": "planner"},
    ("POST", "invitations"): {"email": "new.person@example.com", "role": "operator"},
    ("POST", "roles"): {"name": "Quality inspector", "permissions": ["catalog.view"]},
    ("PATCH", "roles/{id}"): {"description": "Checks parts"},
    ("POST", "api-keys"): {"name": "MES bridge", "scopes": {"production": "read"}},
}


# API writes that take a file: (method, path) -> objects -> (file name, content), sent as multipart "file".
API_FILES: dict[tuple[str, str], object] = {
    ("POST", "organization/logo"): lambda objects: ("logo.png", core_world.LOGO_PNG),
}

# API writes that change more than one row record one event per row (the default is one).
API_EVENTS: dict[tuple[str, str], int] = {
    ("POST", "boms/{id}/release"): 2,  # the draft becomes released, the released one before it obsolete
}


def _add_app_modules() -> None:
    """Apps classify their own web routes in tests/isolation/routes_<app>.py (WEB, API, API_PAYLOADS, API_FILES and
    API_EVENTS dicts)."""
    import importlib
    import pkgutil

    import tests.isolation as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("routes_"):
            module = importlib.import_module(f"tests.isolation.{info.name}")
            WEB.update(getattr(module, "WEB", {}))
            API.update(getattr(module, "API", {}))
            API_PAYLOADS.update(getattr(module, "API_PAYLOADS", {}))
            API_FILES.update(getattr(module, "API_FILES", {}))
            API_EVENTS.update(getattr(module, "API_EVENTS", {}))


_add_app_modules()


def _add_resources() -> None:
    """Resources declared with kernel.resources classify themselves (their example bodies are in API_PAYLOADS)."""
    import factoryos.api  # noqa: F401 - registers every router, hence every resource
    from factoryos.kernel.resources import RESOURCES

    for res in RESOURCES:
        API.setdefault(res.path, ORG)
        API.setdefault(res.detail_path, OBJECT(res.label))


def payload_for(method: str, path: str, objects: dict) -> dict | None:
    """The example body of an API write; resources compute theirs from a world's objects."""
    payload = API_PAYLOADS.get((method, path))
    return payload(objects) if callable(payload) else payload


def api_url(path: str, objects: dict) -> str:
    """The URL of an API path, its {id} filled with the id of that route's model object in ``objects``."""
    spec = API[path]
    if spec.kind != "OBJECT":
        return "/api/v1/" + path
    param = path[path.index("{") : path.index("}") + 1]
    return "/api/v1/" + path.replace(param, str(objects[spec.model].pk))


def api_operations():
    """(method, path relative to /api/v1/, view function) for every API operation."""
    from factoryos.api import api

    _add_resources()
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, path.lstrip("/"), operation.view_func


def web_routes():
    """(full route, namespaced name, callback) for every URL pattern except the API's operations."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else "", p.callback

    operation_views = {"PathView.get_view.<locals>.sync_view_wrapper"}
    for route, name, callback in walk(get_resolver().url_patterns):
        if getattr(callback, "__qualname__", "") in operation_views:
            continue  # an API operation: classified in API
        yield route, name, callback


def classify_web(name: str, callback) -> Route | None:
    if name in WEB:
        return WEB[name]
    module = getattr(callback, "__module__", "") or ""
    if module.startswith(ACCOUNT_MODULE_PREFIXES):
        return ACCOUNT
    return None


def org_gets(objects: dict) -> list[tuple[str, str, object]]:
    """(label, URL, declared read) for every GET of the organization's data, web page and API operation alike, its
    object the world's. The read sweep and the query-count pins walk this list, so a route added later is in both."""
    from django.urls import reverse

    gets = []
    for _route, name, callback in web_routes():
        spec = classify_web(name, callback)
        if spec is not None and spec.kind in ("ORG", "OBJECT"):
            args = [objects[spec.model].pk] if spec.kind == "OBJECT" else []
            gets.append((f"web {name}", reverse(name, args=args), getattr(callback, "reads", None)))
    for method, path, view in api_operations():
        if method == "GET" and API[path].kind in ("ORG", "OBJECT"):
            gets.append((f"API {path}", api_url(path, objects), view.reads))
    return gets
