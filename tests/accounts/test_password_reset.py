"""Password reset by email, recorded in the audit trail; the old password stops working."""

import re

import pytest
from django.core import mail
from django.test import Client

from factoryos.audit.models import AuditEvent
from factoryos.kernel.events import Action
from factoryos.kernel.tenancy import org_scope
from tests.factories import CHROME_UA, PASSWORD, make_org
from tests.worker import run_tasks

NEW_PASSWORD = "Brand-New-Passw0rd!"


@pytest.mark.django_db
def test_password_reset_by_email(django_capture_on_commit_callbacks):
    org, owner = make_org()
    client = Client(HTTP_USER_AGENT=CHROME_UA)
    with django_capture_on_commit_callbacks(execute=True):  # the email is enqueued once the request commits
        assert client.post("/accounts/password/reset/", {"email": owner.user.email}).status_code == 302
    assert mail.outbox == []  # ... and sent by the worker
    run_tasks()
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/[^\s]+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    with org_scope(org):
        assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET, actor_user=owner.user).count() == 1
    fresh = Client(HTTP_USER_AGENT=CHROME_UA)
    assert fresh.post("/accounts/login/", {"login": owner.user.email, "password": PASSWORD}).status_code == 200
    assert fresh.post("/accounts/login/", {"login": owner.user.email, "password": NEW_PASSWORD}).status_code == 302
