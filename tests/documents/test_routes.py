"""The documents' routes against every role, another organization, and the read audit.

The shared role matrix (tests/isolation/test_role_matrix.py) walks views marked ``required_permission``; the
documents' guard is the document's own permission, so their views are marked ``required_permission_of`` (the
attribute of the object naming it) and are walked here, every role against a sales document and a finance one.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from factoryos.audit.models import AuditEvent
from factoryos.documents import services
from factoryos.documents.models import DocumentKind
from factoryos.kernel.permissions import ROLE_PERMISSIONS, BuiltinRole
from factoryos.kernel.reads import NOTHING
from factoryos.kernel.tenancy import org_scope
from tests.documents import world as documents_world
from tests.factories import add_member, login_client, make_org, rolled_back
from tests.isolation.routes import API, WEB, api_operations, web_routes

HUGE = 10**30


def _mine():
    """(label, URL pattern maker, view) of every documents route: the page and the API operations."""
    for _route, name, callback in web_routes():
        if name.startswith("documents:"):
            yield f"web {name}", (lambda pk, n=name: reverse(n, args=[pk])), callback, WEB[name]
    for method, path, view in api_operations():
        if path.startswith("documents") and method == "GET":
            yield f"API {path}", (lambda pk, p=path: "/api/v1/" + p.replace("{id}", str(pk))), view, API[path]


def _small_world(name: str):
    org, owner = make_org(name)
    with org_scope(org):
        from django.db import transaction

        with transaction.atomic():
            objects = documents_world.build(owner, {})
            objects["documents.rendered#finance"] = services.store_pdf(
                actor=owner, record=org, kind=DocumentKind.INVOICE, number="INV-1", pdf=documents_world.world_pdf(),
                view_permission="finance.view",
            )  # fmt: skip
    return org, owner, objects


def _url(url, spec, objects, label="documents.rendered"):
    return url(objects[label].pk) if spec.kind == "OBJECT" else url(0).split("?")[0]


@pytest.mark.django_db
def test_the_documents_routes_are_guarded_by_the_documents_own_permission():
    routes = list(_mine())
    assert {label for label, *_ in routes} == {
        "web documents:download",
        "API documents",
        "API documents/{id}",
        "API documents/{id}/pdf",
    }
    for label, _url_of, view, spec in routes:
        if spec.kind == "OBJECT":
            assert getattr(view, "required_permission_of", None) == "view_permission", label


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in BuiltinRole])
def test_every_role_reads_the_documents_its_permissions_open(role):
    org, owner, objects = _small_world("Matrix Pty Ltd")
    member = owner if role == "owner" else add_member(org, role=role)
    client = login_client(member.user, org)
    wrong = []
    for label, url_of, _view, spec in _mine():
        if spec.kind != "OBJECT":
            continue
        for key in ("documents.rendered", "documents.rendered#finance"):
            permission = objects[key].view_permission
            with rolled_back():
                status = client.get(url_of(objects[key].pk)).status_code
            expected = 200 if permission in ROLE_PERMISSIONS[role] else 403
            if status != expected:
                wrong.append(f"{role} {label} ({permission}): {status}, expected {expected}")
    listed = client.get("/api/v1/documents").json()["count"]
    expected_count = sum(objects[k].view_permission in ROLE_PERMISSIONS[role] for k in objects)
    assert wrong == [] and listed == expected_count


@pytest.mark.django_db
def test_another_organizations_documents_are_404_like_missing_ones_and_leave_no_event():
    org_a, owner_a, _ = _small_world("Org A Pty Ltd")
    org_b, _owner_b, objects_b = _small_world("Org B Pty Ltd")
    admin_a = add_member(org_a, role="admin")
    client = login_client(admin_a.user, org_a)
    for label, url_of, _view, spec in _mine():
        if spec.kind != "OBJECT":
            continue
        for method in ("get", "post", "put", "patch", "delete"):
            theirs = getattr(client, method)(url_of(objects_b["documents.rendered"].pk))
            missing = getattr(client, method)(url_of(987654321))
            assert theirs.status_code == missing.status_code, f"{method} {label}"
            assert theirs.status_code in (404, 405), f"{method} {label}: {theirs.status_code}"
        assert client.get(url_of(HUGE)).status_code in (404, 422), label
    with org_scope(org_b):
        assert not AuditEvent.objects.filter(action__in=["view", "export", "list"]).exists()


@pytest.mark.django_db
def test_every_documents_get_writes_exactly_the_event_it_declares():
    org, owner, objects = _small_world("Reads Pty Ltd")
    client = login_client(owner.user, org)
    kinds = {"view": "view", "list": "list", "export": "export"}
    for label, url_of, view, spec in _mine():
        declared = getattr(view, "reads", None)
        assert declared is not None, label
        url = url_of(objects["documents.rendered"].pk) if spec.kind == "OBJECT" else "/api/v1/documents"
        with rolled_back():
            with org_scope(org):
                before = Counter(AuditEvent.objects.values_list("action", flat=True))
            response = client.get(url)
            assert response.status_code == 200, label
            with org_scope(org):
                written = Counter(AuditEvent.objects.values_list("action", flat=True)) - before
        expected = Counter() if declared == NOTHING else Counter({kinds[declared]: 1})
        assert written == expected, f"{label} declares {declared} but wrote {dict(written)}"


@pytest.mark.django_db
def test_the_documents_routes_run_as_many_queries_whatever_the_rows(capsys):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    org, owner, objects = _small_world("Counts Pty Ltd")
    client = login_client(owner.user, org)

    def counts() -> dict[str, int]:
        found = {}
        for label, url_of, _view, spec in _mine():
            url = url_of(objects["documents.rendered"].pk) if spec.kind == "OBJECT" else "/api/v1/documents"
            with rolled_back(), CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, label
            found[label] = len(queries)
        return found

    small = counts()
    with org_scope(org):
        from django.db import transaction

        with transaction.atomic():
            documents_world.grow(owner, objects, 3)
    assert counts() == small
    with capsys.disabled():
        print(f"\ndocuments query counts ({connection.vendor}): {small}")
