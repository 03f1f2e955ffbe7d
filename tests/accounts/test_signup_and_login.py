"""Sign-up (18+), email verification, login alerts, throttling, and Argon2."""

import re

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.core import mail
from django.test import Client

from factoryos.accounts.forms import AGE_ERROR
from factoryos.accounts.models import KnownDevice, User
from factoryos.core.middleware import active_memberships
from factoryos.kernel.tenancy import user_scope
from tests.factories import CHROME_UA, PASSWORD, make_org
from tests.worker import run_tasks

FIREFOX_MAC_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0"
SIGNUP = {
    "first_name": "Dana",
    "last_name": "Reyes",
    "email": "dana@steelworks.example",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "organization_name": "Steelworks Fabrication Pty Ltd",
    "data_region": "AU",
    "age_confirmed": "on",
}


@pytest.mark.django_db
def test_signup_without_the_age_confirmation_is_refused(client):
    data = {k: v for k, v in SIGNUP.items() if k != "age_confirmed"}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200 and AGE_ERROR in response.content.decode()
    assert not User.objects.filter(email=SIGNUP["email"]).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_signup_creates_person_and_organization_then_verification_logs_in(django_capture_on_commit_callbacks):
    client = Client(HTTP_USER_AGENT=CHROME_UA)
    with django_capture_on_commit_callbacks(execute=True):  # the verification email is enqueued on commit
        response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email=SIGNUP["email"])
    assert user.age_confirmed_at is not None and user.first_name == "Dana"
    with user_scope(user.pk):
        (membership,) = active_memberships(user)
    assert membership.role == "owner" and membership.org.legal_name == SIGNUP["organization_name"]
    assert client.get("/").status_code == 302  # not verified yet: no session

    run_tasks()  # the worker sends it
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and b"Steelworks Fabrication" in home.content


@pytest.mark.django_db
def test_a_login_from_a_new_device_sends_a_security_alert(django_capture_on_commit_callbacks):
    org, owner = make_org()
    first = Client(HTTP_USER_AGENT=CHROME_UA)
    assert first.post("/accounts/login/", {"login": owner.user.email, "password": PASSWORD}).status_code == 302
    assert mail.outbox == []  # the very first device has nothing to compare with
    first.post("/accounts/logout/")
    assert first.post("/accounts/login/", {"login": owner.user.email, "password": PASSWORD}).status_code == 302
    assert mail.outbox == []  # same browser (device cookie + same browser/OS): known

    other = Client(HTTP_USER_AGENT=FIREFOX_MAC_UA, REMOTE_ADDR="198.51.100.23")
    with django_capture_on_commit_callbacks(execute=True):  # the alert is enqueued once the login commits
        response = other.post("/accounts/login/", {"login": owner.user.email, "password": PASSWORD})
    assert response.status_code == 302
    run_tasks()  # and sent by the worker
    (alert,) = mail.outbox
    assert alert.to == [owner.user.email] and "New sign-in" in alert.subject
    assert "Firefox" in alert.body and "Mac OS X" in alert.body and "198.51.100.23" in alert.body
    assert KnownDevice.objects.filter(user=owner.user).count() == 2


@pytest.mark.django_db
def test_repeated_failed_logins_are_throttled_even_with_the_right_password():
    org, owner = make_org()
    client = Client(HTTP_USER_AGENT=CHROME_UA)
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": owner.user.email, "password": "not-the-password"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"login": owner.user.email, "password": PASSWORD})
    assert response.status_code in (200, 429) and b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(settings):
    import factoryos.settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # the suite swaps in a fast hasher elsewhere
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$") and check_password(PASSWORD, encoded)
