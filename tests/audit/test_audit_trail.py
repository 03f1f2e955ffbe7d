"""The audit trail: one event per write with who/where, masked secrets, tamper evidence, no forks."""

import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from factoryos.audit import context as audit_context
from factoryos.audit import services as audit
from factoryos.audit.models import AuditEvent
from factoryos.kernel import events
from factoryos.kernel.dbroles import as_owner
from factoryos.kernel.events import Action
from factoryos.kernel.resources import RESOURCES
from factoryos.kernel.tenancy import org_scope
from tests.factories import CHROME_UA, key_client, login_client, make_key, make_org, make_world, rolled_back
from tests.isolation.routes import API_EVENTS, API_FILES, api_operations, api_url, payload_for


def _events(org):
    with transaction.atomic(), org_scope(org):
        return list(AuditEvent.objects.order_by("seq"))


def _write(client, method, path, objects):
    """One API write as the example of its route: a JSON body, or a file upload."""
    url = api_url(path, objects)
    if (method, path) in API_FILES:
        name, content = API_FILES[(method, path)](objects)
        data = content if isinstance(content, bytes) else content.encode()
        return client.post(url, {"file": SimpleUploadedFile(name, data)})
    body = payload_for(method, path, objects)
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


def _deletable(client, path, world):
    """For a DELETE of a resource: a fresh object made through its own create, so that nothing uses it yet."""
    resource = next((r for r in RESOURCES if r.detail_path == path), None)
    body = payload_for("POST", resource.path, world.objects) if resource else None
    if body is None:
        return world.objects
    response = client.post(f"/api/v1/{resource.path}", body, content_type="application/json")
    assert response.status_code == 201, (path, response.content)
    with org_scope(world.org):  # on PostgreSQL, row-level security shows the organization's rows only
        made = resource.model.objects.get(pk=response.json()["id"])
    return {**world.objects, resource.label: made}


@pytest.mark.django_db
def test_every_api_write_succeeds_and_records_its_events_with_actor_ip_and_browser(world):
    """Every write of the API, with its example, succeeds and records one event per row it changed (the example
    bodies in tests/isolation/routes*.py; a delete takes a fresh object, so that nothing still uses it)."""
    key, token = make_key(world.owner)
    client = key_client(token)
    writes = [(m, p) for m, p, _ in api_operations() if m != "GET" and (m, p) != ("PATCH", "me")]
    assert len(writes) >= 80
    for method, path in writes:
        with rolled_back():
            objects = _deletable(client, path, world) if method == "DELETE" else world.objects
            before = len(_events(world.org))
            response = _write(client, method, path, objects)
            assert response.status_code in {200, 201, 202, 204}, (  # 202: a job started (an import)
                f"{method} {path}: {response.status_code} {response.content}"
            )
            events = _events(world.org)
            expected = API_EVENTS.get((method, path), 1)
            assert len(events) == before + expected, f"{method} {path} wrote {len(events) - before} events"
            for event in events[before:]:
                assert event.actor_api_key_id == key.pk and event.actor_label == "API key Integration"
                assert event.ip == "203.0.113.8"
                assert (event.browser, event.browser_version, event.os) == ("Chrome", "131.0", "Windows 10")
                assert event.request_id and event.path.startswith("/api/v1/") and event.method == method


@pytest.mark.django_db
def test_a_refused_api_write_writes_nothing(world):
    client = login_client(world.owner.user, world.org)
    before = len(_events(world.org))
    in_use = client.delete(f"/api/v1/sites/{world.pk('facilities.site')}")  # its work center still uses it
    assert in_use.status_code == 400 and in_use.json()["code"] == "in_use"
    locked = client.patch(
        f"/api/v1/boms/{world.pk('catalog.bom#released')}", {"notes": "x"}, content_type="application/json"
    )
    assert locked.status_code == 409 and locked.json()["code"] == "locked"
    assert len(_events(world.org)) == before


@pytest.mark.django_db
def test_session_writes_record_the_user_and_mask_sensitive_values(world):
    client = login_client(world.owner.user, world.org)
    tax_id = world.objects["core.taxidentifier"]
    response = client.patch(
        f"/api/v1/organization/tax-ids/{tax_id.pk}",
        {"kind": "VAT", "value": "GB999999973"},
        content_type="application/json",
    )
    assert response.status_code == 200
    event = _events(world.org)[-1]
    assert event.action == Action.UPDATE and event.actor_user_id == world.owner.user_id
    assert event.changes["value"] == ["••••••", "••••••"] and event.changes["kind"] == ["ABN", "VAT"]
    assert "GB999999973" not in json.dumps(event.changes) and "51 824" not in json.dumps(event.changes)


@pytest.mark.django_db
def test_lists_and_exports_are_audited_with_filter_and_count(world):
    client = login_client(world.owner.user, world.org)
    assert client.get("/api/v1/members?q=tester").status_code == 200
    listed = _events(world.org)[-1]
    assert listed.action == Action.LIST and listed.metadata["filter"]["q"] == "tester"
    assert listed.metadata["count"] == 2
    export = client.get("/control/audit/export.csv?action=list")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    exported = _events(world.org)[-1]
    assert exported.action == Action.EXPORT and exported.metadata["filter"] == {"action": "list"}
    assert b"seq,created_at,actor_label" in export.content


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    org, _ = make_org()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        events.record(org=org, action=Action.VIEW, object_type="test.thing")  # autocommit: refused


def _tamper(org, sql, pk):
    """Change a stored event behind the application's back. On PostgreSQL only the table owner can, by first
    disabling the append-only trigger, and the application role is not the owner (kernel/dbroles.py): so the tests
    that tamper are transactional, and tamper connected as the owner."""
    with as_owner(), transaction.atomic(), org_scope(org), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute(sql, [pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")


@pytest.mark.django_db(transaction=True)
def test_chain_links_and_audit_verify_names_the_first_tampered_event(capsys):
    world = make_world()
    events = _events(world.org)
    assert events[0].prev_mac == "0" * 64
    assert all(e.prev_mac == p.mac for p, e in zip(events, events[1:], strict=False))
    call_command("audit_verify")
    assert "chain intact" in capsys.readouterr().out

    victim = events[2]
    _tamper(world.org, "UPDATE audit_auditevent SET path = '/somewhere/else/' WHERE id = %s", victim.pk)
    with pytest.raises(CommandError, match="broken"):
        call_command("audit_verify")
    err = capsys.readouterr().err
    assert f"first bad event #{victim.seq} (id {victim.pk})" in err and "altered" in err


@pytest.mark.django_db(transaction=True)
def test_deleting_an_event_from_the_middle_is_found():
    world = make_world()
    victim = _events(world.org)[3]
    _tamper(world.org, "DELETE FROM audit_auditevent WHERE id = %s", victim.pk)
    problem = audit.verify_chain(world.org)
    assert problem is not None and problem.seq == victim.seq and "missing" in problem.reason


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_cannot_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers by design (IMMEDIATE transactions); the race needs PostgreSQL")
    org, _ = make_org()
    errors = []

    def writer(n):
        try:
            for i in range(15):
                with transaction.atomic(), audit_context.bind(audit_context.AuditContext(actor_label=f"t{n}")):
                    events.record(org=org, action=Action.VIEW, object_type="test.thing", object_id=str(i))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with transaction.atomic(), org_scope(org):
        seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) == 8 * 15 + 2
    assert audit.verify_chain(org) is None


@pytest.mark.django_db
def test_account_activity_shows_logins_with_device_details():
    org, owner = make_org()
    client = login_client(owner.user, org)
    client.logout()
    from django.test import Client

    browser = Client(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="198.51.100.4")
    assert (
        browser.post("/accounts/login/", {"login": owner.user.email, "password": "wrong-password"}).status_code == 200
    )
    page = login_client(owner.user, org).get("/profile/activity/")
    text = page.content.decode()
    assert "Failed login" in text and "Logged in" in text and "Logged out" in text and "198.51.100.4" in text


@pytest.mark.django_db
def test_a_write_outside_a_request_records_who_asked_not_system(world):
    """A background task or a command has no request: the service's actor is who the event names."""
    from factoryos.facilities import services as facilities

    with transaction.atomic(), org_scope(world.org):
        site = facilities.site_create(actor=world.owner, code="BG1", name="Made by a task")
        event = AuditEvent.objects.filter(object_type="facilities.site", object_id=str(site.pk)).get()
    assert event.actor_user_id == world.owner.user_id and event.actor_label == world.owner.user.email
    assert event.ip is None and event.request_id == ""  # no request: nothing is made up about where from
