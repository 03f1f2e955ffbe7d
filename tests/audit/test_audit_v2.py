"""Audit trail v2: a keyed chain anchored by signed checkpoints outside the database; personal details sealed under
per-person keys, so erasing a person (destroying their key) leaves every chain verifying and nothing about them
readable; referrers without their query strings; admin-only records' events shown only to those who may see them."""

import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client

from factoryos.accounts import services as account_services
from factoryos.audit import sealing
from factoryos.audit import services as audit
from factoryos.audit.models import AuditEvent
from factoryos.kernel.dbroles import as_owner
from factoryos.kernel.tenancy import org_scope
from tests.factories import CHROME_UA, add_member, login_client, make_org, make_user, make_world
from tests.worker import run_tasks


@pytest.fixture
def checkpoints(settings, tmp_path):
    """Checkpoints in a directory of this test's own (outside the database, as in production)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "audit_checkpoints": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "checkpoints")},
        },
    }
    return tmp_path / "checkpoints"


def _events(org):
    with transaction.atomic(), org_scope(org):
        return list(AuditEvent.objects.select_related("actor_key", "subject_key").order_by("seq"))


def _tamper(org, sql, params):
    """Change stored events behind the application's back, as someone with the database (its owner) could."""
    with as_owner(), transaction.atomic(), org_scope(org), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")


def _verify(capsys):
    try:
        call_command("audit_verify")
    except CommandError:
        return False, capsys.readouterr().err
    return True, capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_rewriting_the_newest_event_and_recomputing_an_unkeyed_hash_is_found(checkpoints, capsys):
    """The v1 hole: a rewrite with the project's own (unkeyed) hash went unseen. The MAC needs the keyring."""
    world = make_world()
    newest = _events(world.org)[-1]
    values = sealing.chain_values(newest) | {"path": "/somewhere/else/"}
    forged = hashlib.sha256(sealing.mac_payload(values)).hexdigest()
    _tamper(
        world.org,
        "UPDATE audit_auditevent SET path = %s, mac = %s WHERE id = %s",
        ["/somewhere/else/", forged, newest.pk],
    )
    ok, text = _verify(capsys)
    assert not ok and f"first bad event #{newest.seq}" in text and "MAC" in text


@pytest.mark.django_db(transaction=True)
def test_cutting_the_tail_up_to_the_checkpoint_is_found_and_named(checkpoints, capsys):
    world = make_world()
    call_command("audit_checkpoint")
    assert _verify(capsys)[0]
    events = _events(world.org)
    head = events[-1]
    written = list(checkpoints.rglob("*.json"))
    assert written and json.loads(written[0].read_text())["seq"] >= 1
    _tamper(world.org, "DELETE FROM audit_auditevent WHERE id = %s", [head.pk])
    assert audit.verify_chain(world.org) is None  # the chain alone still links: only the checkpoint tells
    ok, text = _verify(capsys)
    assert not ok and f"#{head.seq}" in text and "tail cut" in text


@pytest.mark.django_db(transaction=True)
def test_a_rewritten_checkpointed_event_and_a_forged_checkpoint_are_found(checkpoints, capsys):
    world = make_world()
    call_command("audit_checkpoint")
    head = _events(world.org)[-1]
    _tamper(world.org, "UPDATE audit_auditevent SET path = '/x/' WHERE id = %s", [head.pk])
    ok, text = _verify(capsys)
    assert not ok and f"#{head.seq}" in text

    other, _ = make_org()
    call_command("audit_checkpoint")
    (path,) = [p for p in Path(checkpoints).rglob("*.json") if f"org-{other.uid}" in str(p)]
    data = json.loads(path.read_text())
    path.write_text(json.dumps(data | {"seq": data["seq"] - 1}))
    ok, text = _verify(capsys)
    assert not ok and "bad signature" in text


@pytest.mark.django_db
def test_personal_details_are_sealed_and_referrers_lose_their_query_string():
    org, owner = make_org()
    client = login_client(owner.user, org)
    response = client.get("/control/items/", HTTP_REFERER="https://mail.example/inbox?token=s3cret&q=Nguyen#x")
    assert response.status_code == 200
    with transaction.atomic(), org_scope(org):
        event = AuditEvent.objects.select_related("actor_key").filter(path="/control/items/").latest("seq")
        raw = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert event.referrer == "https://mail.example/inbox" and event.ip == "203.0.113.7"
    assert event.actor_label == owner.user.email and event.browser == "Chrome"
    stored = json.dumps(raw, default=str)
    for secret in (owner.user.email, "203.0.113.7", "mail.example", "Chrome", "s3cret"):
        assert secret not in stored, secret


@pytest.mark.django_db(transaction=True)
def test_erasing_a_person_with_history_keeps_every_chain_verifying_and_nothing_about_them_readable(checkpoints, capsys):
    world = make_world()
    with transaction.atomic():
        user = make_user("leaving.person@example.com", first_name="Leaving")
        person = add_member(world.org, role="accountant", user=user)
    browser = Client(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="198.51.100.77")
    assert browser.post("/accounts/login/", {"login": person.user.email, "password": "wrong"}).status_code == 200
    mine = login_client(person.user, world.org)
    mine.get("/control/items/", REMOTE_ADDR="198.51.100.77")
    with transaction.atomic():
        account_services.profile_update(user=person.user, first_name="Leaving", last_name="Person")
    call_command("audit_checkpoint")
    owner = login_client(world.owner.user, world.org)
    before = owner.get("/control/audit/").content.decode()
    assert person.user.email in before and "198.51.100.77" in before

    with transaction.atomic():
        account_services.user_erase(user=person.user)

    ok, text = _verify(capsys)
    assert ok, text
    shown = [
        owner.get("/control/audit/").content.decode(),
        owner.get("/control/audit/export.csv").content.decode(),
        owner.get("/api/v1/audit-events?limit=200").content.decode(),
    ]
    for event in _events(world.org):
        shown.append(owner.get(f"/control/audit/{event.pk}/").content.decode())
    for text in shown:
        assert person.user.email not in text and "198.51.100.77" not in text and "Leaving" not in text
    assert "(erased)" in shown[0]


@pytest.mark.django_db
def test_admin_only_records_events_titles_and_searches_are_hidden_from_those_who_cannot_see_them(world):
    admin = login_client(world.owner.user, world.org)
    assert admin.get("/people/", {"q": "Nguyen"}).status_code == 200
    accountant = add_member(world.org, role="accountant")
    books = login_client(accountant.user, world.org)
    for client, sees in ((admin, True), (books, False)):
        page = client.get("/control/audit/").content.decode()
        api = client.get("/api/v1/audit-events?limit=200").content.decode()
        export = client.get("/control/audit/export.csv").content.decode()
        for text in (page, api, export):
            assert ("people.employee" in text) is sees
        for text in (api, export):  # the search itself
            assert ("Nguyen" in text) is sees


@pytest.mark.django_db
def test_the_scheduled_checkpoint_runs_in_the_worker_and_queues_the_next_one(checkpoints):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from factoryos.audit import tasks

    org, _ = make_org()
    assert tasks.schedule() is True and tasks.schedule() is False  # once only
    assert run_tasks() == 1
    assert list(checkpoints.rglob(f"org-{org.uid}/*.json"))
    waiting = DBTaskResult.objects.filter(task_path=tasks.scheduled_checkpoints.module_path)
    assert waiting.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1
    assert waiting.filter(status=TaskResultStatus.READY).count() == 1  # the next, an interval later


@pytest.mark.django_db
def test_events_are_linked_as_their_transaction_commits_and_dropped_with_a_rolled_back_savepoint():
    """In a request or a job, events are drafted where they happen and chained at the end (the chain's lock is held
    for an insert and a commit, not a whole page); a draft made inside a savepoint that rolls back goes with it."""
    from factoryos.kernel import events
    from factoryos.kernel.events import Action

    org, _ = make_org()
    with transaction.atomic(), org_scope(org), audit.linked_at_commit() as drafted:
        before = AuditEvent.objects.count()
        events.record(action=Action.VIEW, object_type="test.thing", object_id="kept-1")
        with pytest.raises(RuntimeError), transaction.atomic():
            events.record(action=Action.UPDATE, object_type="test.thing", object_id="rolled-back")
            raise RuntimeError("the service failed: its savepoint rolls back")
        events.record(action=Action.UPDATE, object_type="test.thing", object_id="kept-2")
        assert AuditEvent.objects.count() == before  # nothing chained yet: no lock taken
        audit.link_pending(drafted)
        chained = list(AuditEvent.objects.filter(object_type="test.thing").order_by("seq"))
    assert [e.object_id for e in chained] == ["kept-1", "kept-2"]
    assert chained[1].seq == chained[0].seq + 1 and audit.verify_chain(org) is None
