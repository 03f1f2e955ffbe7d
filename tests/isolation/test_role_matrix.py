"""Role matrix: every built-in role against every permission-guarded route, web and API.

The permission a route needs is read from the guard itself (``@requires`` marks the view), so the matrix
cannot drift from the code; the expected status comes from the one permission map.
"""

import json

import pytest
from django.urls import reverse

from factoryos.kernel.permissions import ROLE_PERMISSIONS, BuiltinRole
from tests.factories import add_member, login_client, rolled_back
from tests.isolation.routes import API, WEB, api_operations, api_url, payload_for, web_routes

ALLOWED_STATUSES = {200, 201, 202, 204, 302, 400, 409}  # 202: a job started (MRP, an import)


def _guard(view):
    """The permission a view needs: ``required_permission``, or, for a guard that is the object's own permission
    (documents: ``required_permission_of = "view_permission"``), ``("of", attribute)`` resolved on the world."""
    permission = getattr(view, "required_permission", None)
    of = getattr(view, "required_permission_of", None)
    return permission or (("of", of) if of else None)


def _resolved(permission, spec, world):
    return getattr(world.objects[spec.model], permission[1]) if isinstance(permission, tuple) else permission


def guarded_web_routes():
    for route, name, callback in web_routes():
        permission = _guard(callback)
        if permission:
            yield name, route, permission, getattr(callback, "hidden_from_others", False)


def guarded_api_operations():
    for method, path, view in api_operations():
        permission = _guard(view)
        if permission:
            yield method, path, permission, getattr(view, "hidden_from_others", False)


def test_every_org_route_is_guarded_by_a_permission_or_is_the_dashboard():
    unguarded = {
        name for _, name, cb in web_routes() if WEB.get(name) and WEB[name].kind in {"ORG", "OBJECT"} and not _guard(cb)
    }
    assert unguarded == {"core:home", "core:org_switch"}  # any member may see the dashboard and switch orgs


def _url(world, name, route):
    spec = WEB[name]
    return reverse(name, args=[world.pk(spec.model)]) if spec.kind == "OBJECT" else reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in BuiltinRole])
def test_role_matrix(world, role):
    member = world.owner if role == "owner" else add_member(world.org, role=role)
    client = login_client(member.user, world.org)
    rows = []
    for name, route, permission, hidden in guarded_web_routes():
        permission = _resolved(permission, WEB[name], world)
        with rolled_back():  # an allowed write must not change what the next route sees
            url = _url(world, name, route)
            response = client.get(url)
            method = "GET"
            if response.status_code == 405:
                method, response = "POST", client.post(url, {})
        rows.append((method, route, permission, hidden, response.status_code))
    for method, path, permission, hidden in guarded_api_operations():
        permission = _resolved(permission, API[path], world)
        with rolled_back():
            body = payload_for(method, path, world.objects)
            url = api_url(path, world.objects)
            if method == "GET":
                response = client.get(url)
            else:
                response = client.generic(method, url, json.dumps(body or {}), content_type="application/json")
        rows.append((method, "api/v1/" + path, permission, hidden, response.status_code))

    mismatches = []
    for method, route, permission, hidden, status in rows:
        allowed = permission in ROLE_PERMISSIONS[role]
        # Routes marked hidden_from_others (people/access.py: employee records) answer a role without the
        # permission 404, not 403, so that it cannot learn the records exist; all others answer 403.
        ok = status in ALLOWED_STATUSES if allowed else status == (404 if hidden else 403)
        if not ok:
            mismatches.append(f"{role:<10} {method:<6} {route:<45} needs {permission:<15} -> {status}")
    print(
        f"\nrole matrix [{role}]: {len(rows)} guarded routes, "
        f"{sum(1 for *_, h, s in rows if s != (404 if h else 403))} allowed, "
        f"{sum(1 for *_, h, s in rows if s == (404 if h else 403))} forbidden (403, or 404 where hidden)"
    )
    assert mismatches == [], "\n".join(mismatches)
    assert len(rows) >= 25
