"""Email leaves through a background task (kernel/mail.py): a request never waits on, or fails with, the mail server.

The acceptance test runs with production's SMTP backend against a local port where nothing listens, then starts a
real SMTP server there: sign-up and login answer as usual, the worker's first attempt fails and is put back with a
backoff, and once the server is up the verification email arrives exactly once.
"""

from __future__ import annotations

import json
import os
import re
import smtplib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.db import transaction
from django.test import Client, TestCase
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from factoryos.core import services as core_services
from factoryos.kernel import mail as kernel_mail
from factoryos.kernel.tasks import backoff
from factoryos.kernel.tenancy import org_scope
from tests.accounts.test_signup_and_login import FIREFOX_MAC_UA, SIGNUP
from tests.factories import CHROME_UA, PASSWORD, login_client, make_org
from tests.smtp_sink import SmtpSink, free_port
from tests.worker import make_due, run_tasks, waiting

ROOT = Path(__file__).resolve().parents[2]
committed = TestCase.captureOnCommitCallbacks  # runs the request's on-commit callbacks (the enqueueing) at its end


@pytest.fixture
def smtp_down(settings):
    """Production's mail settings, pointed at a local port nothing listens on (yet)."""
    settings.EMAIL_BACKEND = kernel_mail.SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings.EMAIL_PORT


@pytest.mark.django_db
def test_signup_and_login_succeed_while_smtp_is_down_and_the_email_is_delivered_once_it_is_up(smtp_down):
    org, owner = make_org()
    Client(HTTP_USER_AGENT=CHROME_UA).post("/accounts/login/", {"login": owner.user.email, "password": PASSWORD})

    visitor = Client(HTTP_USER_AGENT=CHROME_UA)
    with committed(execute=True):
        signup = visitor.post("/accounts/signup/", SIGNUP)
    assert signup.status_code == 302 and "sessionid" in signup.cookies  # no 500: nothing waited on the server
    other_device = Client(HTTP_USER_AGENT=FIREFOX_MAC_UA)
    with committed(execute=True):
        login = other_device.post("/accounts/login/", {"login": owner.user.email, "password": PASSWORD})
    assert login.status_code == 302 and other_device.session["_auth_user_id"] == str(owner.user.pk)
    assert len(waiting("email")) == 2  # the verification and the new-device alert, queued

    assert run_tasks() == 2  # the server is down: both attempts fail...
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert {t.exception_class_path for t in failed} == {"builtins.ConnectionRefusedError"}
    retries = waiting("email")
    assert len(retries) == 2 and all(t.args_kwargs["kwargs"] == {"attempt": 2} for t in retries)
    assert all(t.run_after > timezone.now() for t in retries)  # ...and are put back, to run after the backoff
    assert run_tasks() == 0  # not before their time

    with SmtpSink(smtp_down) as sink:
        make_due()  # the backoff has passed
        assert run_tasks() == 2
        assert run_tasks() == 0 and waiting() == []
    verification = [m for m in sink.messages if m["To"] == SIGNUP["email"]]
    assert len(verification) == 1, [m["Subject"] for m in sink.messages]  # exactly once
    alert = [m for m in sink.messages if m["To"] == owner.user.email]
    assert len(alert) == 1 and "New sign-in" in alert[0]["Subject"]

    body = verification[0].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+/)", body).group(1)
    assert visitor.post(link).status_code == 302
    assert visitor.get("/").status_code == 200  # verified and logged in, as before


@pytest.mark.django_db
def test_invitation_and_new_device_emails_are_enqueued_not_sent_inline():
    org, owner = make_org("Harbour Laser Cutting")
    client = login_client(owner.user, org)
    with committed(execute=True):
        response = client.post("/settings/members/invite/", {"email": "lee@example.com", "role": "engineer"})
    assert response.status_code == 302
    assert mail.outbox == []  # not sent by the request
    (queued,) = waiting("email")
    assert queued.task_path == "factoryos.kernel.mail.deliver"
    assert "lee@example.com" not in json.dumps(queued.args_kwargs)  # the message is sealed in the task table
    assert run_tasks("email") == 1
    (invitation,) = mail.outbox
    assert invitation.to == ["lee@example.com"] and "Harbour Laser Cutting" in invitation.subject

    Client(HTTP_USER_AGENT=CHROME_UA).post("/accounts/login/", {"login": owner.user.email, "password": PASSWORD})
    with committed(execute=True):
        login = Client(HTTP_USER_AGENT=FIREFOX_MAC_UA).post(
            "/accounts/login/", {"login": owner.user.email, "password": PASSWORD}
        )
    assert login.status_code == 302 and len(mail.outbox) == 1 and len(waiting("email")) == 1
    run_tasks()
    assert mail.outbox[-1].to == [owner.user.email] and "New sign-in" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_a_rolled_back_request_sends_nothing():
    org, owner = make_org()
    with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic(), org_scope(org):
        core_services.invitation_create(
            actor=owner, email="nobody@example.com", role="viewer", base_url="http://testserver/"
        )
        raise RuntimeError("the request fails after the invitation")
    assert callbacks == [] and waiting() == []


@pytest.mark.django_db
def test_a_failing_send_is_retried_with_growing_delays_then_given_up_and_logged(monkeypatch, caplog):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with committed(execute=True):
        kernel_mail.send_mail_later("Subject", "Body", ["pat@example.com"])
    delays = []
    for attempt in range(1, kernel_mail.ATTEMPTS + 1):
        started = timezone.now()
        assert run_tasks() == 1
        if attempt < kernel_mail.ATTEMPTS:
            (retry,) = waiting()
            delays.append(retry.run_after - started)
            make_due()
    assert waiting() == []  # given up
    expected = [timedelta(seconds=backoff(n, kernel_mail.FIRST_DELAY)) for n in range(1, kernel_mail.ATTEMPTS)]
    assert all(abs(d - e) < timedelta(seconds=5) for d, e in zip(delays, expected, strict=True)), delays
    assert abs(delays[1] - 2 * delays[0]) < timedelta(seconds=5)  # exponential
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == kernel_mail.ATTEMPTS
    assert f"failed {kernel_mail.ATTEMPTS} times, giving up" in caplog.text


@pytest.mark.django_db
def test_a_refusal_is_not_retried(monkeypatch, caplog):
    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"pat@example.com": (550, b"No such mailbox")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with committed(execute=True):
        kernel_mail.send_mail_later("Subject", "Body", ["pat@example.com"])
    assert run_tasks() == 1 and waiting() == []
    assert "not retried" in caplog.text
    assert kernel_mail.is_transient(smtplib.SMTPResponseException(451, b"Try again later"))
    assert not kernel_mail.is_transient(smtplib.SMTPAuthenticationError(535, b"Bad credentials"))
    assert kernel_mail.is_transient(ConnectionRefusedError()) and kernel_mail.is_transient(TimeoutError())


def _deploy_errors() -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True) if message.id}


def test_deploy_check_refuses_smtp_without_tls_or_ssl(settings):
    settings.EMAIL_BACKEND = kernel_mail.SMTP_BACKEND
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    assert "factoryos.E031" in _deploy_errors()
    settings.EMAIL_USE_TLS = True
    assert "factoryos.E031" not in _deploy_errors()
    settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = False, True
    assert "factoryos.E031" not in _deploy_errors()
    settings.EMAIL_BACKEND, settings.EMAIL_USE_SSL = "django.core.mail.backends.console.EmailBackend", False
    assert "factoryos.E031" not in _deploy_errors()
    assert "factoryos.E031" not in {m.id for m in run_checks()}  # a deploy check only


def _production(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("EMAIL_")}
    environment |= {
        "FACTORYOS_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "FACTORYOS_KEYS": "k1:" + "A" * 43,
        "FACTORYOS_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "factoryos.settings",
        "PYTHONPATH": str(ROOT / "src"),
        **env,
    }
    return subprocess.run([sys.executable, *args], env=environment, capture_output=True, text=True, cwd=ROOT)


def test_production_sends_over_tls_by_default_and_check_deploy_says_so(tmp_path):
    shown = _production(
        tmp_path, "-c", "from django.conf import settings as s; print(s.EMAIL_USE_TLS, s.EMAIL_PORT, s.EMAIL_BACKEND)"
    )
    assert shown.stdout.split() == ["True", "587", kernel_mail.SMTP_BACKEND], shown.stderr
    plain = _production(tmp_path, "manage.py", "check", "--deploy", "--tag", "security", EMAIL_USE_TLS="false")
    assert plain.returncode != 0 and "factoryos.E031" in plain.stderr
    default = _production(tmp_path, "manage.py", "check", "--deploy", "--tag", "security")
    assert "factoryos.E031" not in default.stderr + default.stdout
