"""API keys: shown once, stored hashed, scoped, revocable, with last use recorded."""

import pytest

from factoryos.accounts.models import ApiKey
from factoryos.kernel.tenancy import org_scope
from tests.factories import add_member, key_client, login_client, make_key, make_org, make_world


@pytest.mark.django_db
def test_a_key_is_shown_once_and_stored_only_as_a_hash():
    org, owner = make_org()
    client = login_client(owner.user, org)
    response = client.post(
        "/api/v1/api-keys", {"name": "Xero sync", "scopes": {"finance": "write"}}, content_type="application/json"
    )
    assert response.status_code == 201
    token = response.json()["token"]
    assert token.startswith("fos_")
    with org_scope(org):
        key = ApiKey.objects.get()
    assert token not in (key.key_hash, key.prefix) and len(key.key_hash) == 64
    listed = client.get("/api/v1/api-keys").json()["items"][0]
    assert "token" not in listed and listed["prefix"] == key.prefix


@pytest.mark.django_db
def test_no_credentials_is_401_and_a_bad_key_is_401(client):
    assert client.get("/api/v1/me").status_code == 401
    assert key_client("fos_000000000000_nope").get("/api/v1/me").status_code == 401
    body = key_client("garbage").get("/api/v1/organization").json()
    assert body["detail"].startswith("Authentication required") and body["errors"] == []


@pytest.mark.django_db
def test_a_key_cannot_exceed_its_scope_or_its_creators_role():
    org, owner = make_org()
    _, read_only = make_key(owner, {"org": "read"})
    client = key_client(read_only)
    assert client.get("/api/v1/organization").status_code == 200
    assert client.patch("/api/v1/organization", {"city": "Perth"}, content_type="application/json").status_code == 403
    assert client.get("/api/v1/members").status_code == 403  # no members scope at all
    viewer = add_member(org, role="viewer")
    _, viewer_key = make_key(viewer, {"members": "write", "org": "write"})
    viewer_client = key_client(viewer_key)
    assert viewer_client.get("/api/v1/members").status_code == 200
    assert viewer_client.delete(f"/api/v1/members/{owner.pk}").status_code == 403  # the viewer cannot
    assert viewer_client.patch("/api/v1/me", {"job_title": "x"}, content_type="application/json").status_code == 403


@pytest.mark.django_db
def test_revoked_and_expired_keys_stop_and_last_use_is_recorded():
    org, owner = make_org()
    key, token = make_key(owner)
    assert key_client(token).get("/api/v1/me").status_code == 200
    with org_scope(org):
        key.refresh_from_db()
    assert key.last_used_at is not None and key.last_used_ip == "203.0.113.8"
    assert login_client(owner.user, org).delete(f"/api/v1/api-keys/{key.pk}").status_code == 204
    assert key_client(token).get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_bad_scopes_get_a_field_error():
    org, owner = make_org()
    client = login_client(owner.user, org)
    for scopes in ({}, {"warp_drive": "read"}, {"audit": "admin"}):
        response = client.post("/api/v1/api-keys", {"name": "x", "scopes": scopes}, content_type="application/json")
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "scopes"


@pytest.mark.django_db
def test_the_apikey_command_makes_a_key_cut_down_to_the_persons_role(capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from factoryos.audit.models import AuditEvent

    world = make_world()
    planner = add_member(world.org, role="planner")
    with pytest.raises(CommandError, match="may not manage API keys"):
        call_command("apikey", "create", "--user", planner.user.email, "--name", "MES", "--scope", "catalog:read")

    owner = world.owner.user.email
    call_command(
        "apikey", "create", "--user", owner, "--name", "MES bridge", "--scope", "catalog:read", "--scope", "audit:write"
    )
    out = capsys.readouterr().out
    token = out.strip().splitlines()[-1]
    assert token.startswith("fos_") and "catalog.view" in out and "audit.view" in out
    with org_scope(world.org):
        key = ApiKey.objects.get(name="MES bridge")
        assert key.key_hash != token and token not in str(key.__dict__)  # stored as a hash only
        event = AuditEvent.objects.filter(action="api_key_created").order_by("-seq").first()
    assert (event.actor_user_id, event.actor_label, event.path) == (
        world.owner.user_id,
        owner,
        "manage.py apikey create",
    )
    client = key_client(token)
    assert client.get("/api/v1/items").status_code == 200
    assert client.post("/api/v1/tags", {"name": "x"}, content_type="application/json").status_code == 403

    call_command("apikey", "list", "--user", owner)
    listed = [line for line in capsys.readouterr().out.splitlines() if "MES bridge" in line]
    assert len(listed) == 1 and "active" in listed[0] and "catalog:read" in listed[0]
    call_command("apikey", "revoke", "--user", owner, "--prefix", key.prefix)
    assert "stops working" in capsys.readouterr().out
    assert key_client(token).get("/api/v1/items").status_code == 401
    with pytest.raises(CommandError, match="MODULE:read or MODULE:write"):
        call_command("apikey", "create", "--user", owner, "--name", "x", "--scope", "catalog:admin")
    with pytest.raises(CommandError, match="No account"):
        call_command("apikey", "list", "--user", "nobody@example.com")
