"""The isolation sweep: every route is classified, and no route lets org A's admin touch org B's objects.

For every route that names an object, org B's object is requested by an admin of org A with GET and every
writing method: each method the route accepts answers 404 (exactly as for an id that does not exist), and
org B's row is unchanged afterwards.
"""

import json

import pytest
from django.urls import reverse

from factoryos.kernel.tenancy import org_scope
from tests.factories import add_member, login_client
from tests.isolation.routes import API, api_operations, api_url, classify_web, payload_for, web_routes

MISSING_ID = 987654321
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def test_every_route_is_classified():
    unclassified = [f"{route} ({name})" for route, name, cb in web_routes() if classify_web(name, cb) is None]
    unclassified += [f"API {m} {path}" for m, path, _ in api_operations() if path not in API]
    assert unclassified == [], "classify these routes in tests/isolation/routes.py: " + ", ".join(unclassified)


def _row(model_label, obj):
    from django.apps import apps

    model = apps.get_model(model_label.split("#")[0])
    with org_scope(obj.org):
        return model.all_tenants.filter(pk=obj.pk).values().first()


def _call(client, method, url, body=None):
    if method == "GET":
        return client.get(url)
    if method == "POST" and body is None:
        return client.post(url, {})
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


@pytest.mark.django_db
def test_objects_of_another_organization_are_404_everywhere(world, their_world):
    a, b = world, their_world
    admin_a = add_member(a.org, role="admin")
    client = login_client(admin_a.user, a.org)
    tried = []

    for route, name, callback in web_routes():
        spec = classify_web(name, callback)
        if spec.kind != "OBJECT":
            continue
        victim = b.objects[spec.model]
        before = _row(spec.model, victim)
        accepted = 0
        for method in ("GET", "POST"):
            response = _call(client, method, reverse(name, args=[victim.pk]))
            missing = _call(client, method, reverse(name, args=[MISSING_ID]))
            assert response.status_code == missing.status_code, f"{method} {route}: differs from a missing id"
            if response.status_code != 405:
                assert response.status_code == 404, f"{method} {route} on org B's object: {response.status_code}"
                accepted += 1
            tried.append((method, route))
        assert accepted, f"{route}: no method reached the object"
        assert _row(spec.model, victim) == before, f"{route} changed org B's {spec.model}"

    for method, path, _view in api_operations():
        spec = API[path]
        if spec.kind != "OBJECT":
            continue
        victim = b.objects[spec.model]
        before = _row(spec.model, victim)
        body = payload_for(method, path, b.objects)
        response = _call(client, method, api_url(path, b.objects), body)
        assert response.status_code == 404, f"API {method} {path} on org B's object: {response.status_code}"
        assert response.json()["detail"] == "Not found."
        assert _row(spec.model, victim) == before, f"API {method} {path} changed org B's {spec.model}"
        tried.append((method, path))

    objects = {m for m in a.objects}
    print(f"\nisolation sweep: {len(tried)} (route, method) pairs on org B's objects, over {len(objects)} models")
    assert len(tried) >= 20
