"""Invitations (signed, expiring, single use), role changes, removal, switching organizations."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from factoryos.accounts.models import User
from factoryos.core import services
from factoryos.core.models import Invitation, Membership
from factoryos.kernel.errors import DomainError
from factoryos.kernel.tenancy import org_scope
from tests.factories import CHROME_UA, PASSWORD, add_member, key_client, login_client, make_key, make_org, make_user
from tests.worker import run_tasks


def _invite(client, email, role="engineer", capture=None):
    with capture(execute=True):
        response = client.post("/settings/members/invite/", {"email": email, "role": role})
    assert response.status_code == 302, response.content
    run_tasks()  # the email leaves through the worker
    message = mail.outbox[-1]
    return re.search(r"https?://[^/]+(/invitations/[^/\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_a_new_person_accepts_an_invitation_by_signing_up(django_capture_on_commit_callbacks):
    org, owner = make_org("Harbour Laser Cutting")
    link = _invite(login_client(owner.user, org), "lee@example.com", capture=django_capture_on_commit_callbacks)
    assert "Harbour Laser Cutting" in mail.outbox[-1].subject

    guest = Client(HTTP_USER_AGENT=CHROME_UA)
    form = {"first_name": "Lee", "last_name": "Chan", "password1": PASSWORD, "password2": PASSWORD}
    refused = guest.post(link, form)  # no 18+ confirmation
    assert refused.status_code == 400 and not User.objects.filter(email="lee@example.com").exists()
    response = guest.post(link, {**form, "age_confirmed": "on"})
    assert response.status_code == 302
    home = guest.get("/")
    assert home.status_code == 200 and b"Harbour Laser Cutting" in home.content
    with org_scope(org):
        member = Membership.objects.get(user__email="lee@example.com")
        assert member.role == "engineer" and Invitation.objects.get().status == "accepted"
    # single use
    again = Client().get(link)
    assert again.status_code == 400 and b"accepted" in again.content


@pytest.mark.django_db
def test_an_existing_user_accepts_while_logged_in_and_can_switch_organizations(django_capture_on_commit_callbacks):
    org_a, owner_a = make_org("Alpha Fab")
    org_b, owner_b = make_org("Beta Welding")
    link = _invite(
        login_client(owner_b.user, org_b),
        owner_a.user.email,
        role="planner",
        capture=django_capture_on_commit_callbacks,
    )
    client = login_client(owner_a.user, org_a)
    assert client.post(link).status_code == 302
    page = client.get("/")
    assert b"Beta Welding" in page.content  # accepting switches to the new organization
    assert client.post("/org/switch/", {"org": org_a.pk}).status_code == 302
    assert b"Alpha Fab" in client.get("/").content
    assert client.post("/org/switch/", {"org": 999999}).status_code == 404


@pytest.mark.django_db
def test_invitation_links_are_signed_and_expire(settings):
    org, owner = make_org()
    with org_scope(org):
        invitation = services.invitation_create(
            actor=owner, email="x@example.com", role="viewer", base_url="http://testserver/"
        )
    token = services.invitation_token(invitation)
    assert Client().get(f"/invitations/{token[:-2]}xx/").status_code == 400  # tampered signature
    forged = signing.dumps({"i": invitation.pk, "o": org.pk}, key="not-our-secret", salt=services.INVITATION_SALT)
    assert Client().get(f"/invitations/{forged}/").status_code == 400
    with org_scope(org):
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = Client().get(f"/invitations/{token}/")
    assert expired.status_code == 400 and b"expired" in expired.content


@pytest.mark.django_db
def test_the_wrong_person_cannot_accept_an_invitation():
    org, owner = make_org()
    stranger = make_user()
    with org_scope(org):
        invitation = services.invitation_create(
            actor=owner, email="intended@example.com", role="admin", base_url="http://testserver/"
        )
        with pytest.raises(DomainError, match="is for intended@example.com"):
            services.invitation_accept(invitation=invitation, user=stranger)


@pytest.mark.django_db
def test_a_removed_member_loses_session_and_keys_at_the_next_request():
    org, owner = make_org()
    planner = add_member(org, role="admin")
    client = login_client(planner.user, org)
    _, token = make_key(planner)
    assert client.get("/settings/members/").status_code == 200
    assert key_client(token).get("/api/v1/me").status_code == 200

    owner_client = login_client(owner.user, org)
    assert owner_client.post(f"/settings/members/{planner.pk}/remove/").status_code == 302
    assert client.get("/settings/members/").status_code == 403  # no organization left for this session
    assert key_client(token).get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_admins_cannot_touch_owners_and_the_last_owner_stays():
    org, owner = make_org()
    admin = add_member(org, role="admin")
    admin_client = login_client(admin.user, org)
    response = admin_client.patch(f"/api/v1/members/{owner.pk}", {"role": "viewer"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["errors"][0]["field"] == "role"
    response = admin_client.patch(f"/api/v1/members/{admin.pk}", {"role": "owner"}, content_type="application/json")
    assert response.status_code == 403
    owner_client = login_client(owner.user, org)
    response = owner_client.delete(f"/api/v1/members/{owner.pk}")
    assert response.status_code == 409 and "at least one owner" in response.json()["detail"]


@pytest.mark.django_db
def test_custom_roles_grant_exactly_their_permissions():
    org, owner = make_org()
    client = login_client(owner.user, org)
    response = client.post(
        "/api/v1/roles",
        {"name": "Auditor", "permissions": ["audit.view", "members.view"]},
        content_type="application/json",
    )
    assert response.status_code == 201
    key = response.json()["key"]
    member = add_member(org)
    assert (
        client.patch(f"/api/v1/members/{member.pk}", {"role": key}, content_type="application/json").json()[
            "role_label"
        ]
        == "Auditor"
    )
    auditor = login_client(member.user, org)
    assert auditor.get("/api/v1/audit-events").status_code == 200
    assert auditor.get("/api/v1/organization").status_code == 403
    bad = client.post("/api/v1/roles", {"name": "X", "permissions": ["audit.delete"]}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "permissions"
