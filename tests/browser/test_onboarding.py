"""Onboarding in a real browser: sign up (18+), verify the email, turn on TOTP, log in with it, invite a colleague,
and the colleague joins from the invitation link. Every page is screenshotted into test-artifacts/browser/, and the
whole flow must load nothing from another origin and trip no Content-Security-Policy rule."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.core import mail

from factoryos.accounts.forms import AGE_ERROR
from tests.worker import run_tasks

pytestmark = pytest.mark.browser

SCREENSHOT_PREFIX = {"test_signup_without_age_confirmation_is_refused": "age-"}

OWNER = {"first": "Maria", "last": "Okafor", "email": "maria.okafor@ironbark-fab.example"}
INVITEE = {"first": "Tomasz", "last": "Nguyen", "email": "tomasz.nguyen@ironbark-fab.example"}
ORG_NAME = "Ironbark Fabrication Pty Ltd"
PASSWORD = "Sheet-Metal-Lathe-2024!"
INVITEE_PASSWORD = "Weld-Bay-Forklift-77#"
TABLET = {"width": 1024, "height": 768}


# -- TOTP, computed here the way an authenticator app would (RFC 6238: HMAC-SHA1, 6 digits, 30 s) -----------------
TOTP_PERIOD = 30


def totp_step() -> int:
    return int(time.time()) // TOTP_PERIOD


def totp_code(secret: str, step: int) -> str:
    secret = re.sub(r"\s", "", secret).upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**6:06d}"


def unused_totp_step(used: set[int]) -> int:
    """The current step; if its code was already used, wait for the next step (allauth refuses a reused code)."""
    while (step := totp_step()) in used:
        pause = TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.25
        print(f"waiting {pause:.1f} s for the next TOTP step")
        time.sleep(pause)
    used.add(step)
    return step


def test_totp_helper_matches_rfc_6238():
    # RFC 6238 appendix B, SHA1 secret "12345678901234567890", T = 59 s -> 94287082 (8 digits), so 287082 with 6.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp_code(secret, 59 // 30) == "287082"
    assert totp_code(secret, 1111111109 // 30) == "081804"


# -- helpers -------------------------------------------------------------------------------------------------------
def mail_to(address: str, contains: str):
    run_tasks()  # emails leave through the task worker (kernel/mail.py): run it as the worker process would
    found = [m for m in mail.outbox if address in m.to and contains in m.body]
    assert found, f"no email to {address} containing {contains!r}; outbox: {[(m.to, m.subject) for m in mail.outbox]}"
    return found[-1]


def link_in(message, path_pattern: str) -> str:
    match = re.search(r"https?://[^\s/]+(" + path_pattern + r")", message.body)
    assert match, f"no link matching {path_pattern} in:\n{message.body}"
    return match.group(0)


def fill_signup(page, *, age_confirmed: bool) -> None:
    page.fill("[name=first_name]", OWNER["first"])
    page.fill("[name=last_name]", OWNER["last"])
    page.fill("[name=email]", OWNER["email"])
    page.fill("[name=password1]", PASSWORD)
    page.fill("[name=password2]", PASSWORD)
    page.fill("[name=organization_name]", ORG_NAME)
    page.select_option("[name=data_region]", label="Australia")
    age = page.get_by_label("I confirm that I am 18 years of age or older")
    age.set_checked(age_confirmed)


def log_out(visit) -> None:
    """Through the user menu in the sidebar; allauth may ask to confirm on /accounts/logout/."""
    page = visit.page
    page.locator("details.user-menu > summary").click()
    with page.expect_navigation():
        page.locator("details.user-menu").get_by_role("button", name="Log out").click()
    if visit.path() == "/accounts/logout/":
        visit.shot("logout-confirm")
        with page.expect_navigation():
            page.locator("main form").get_by_role("button").click()
    assert page.locator("details.user-menu").count() == 0, f"still logged in at {visit.path()}"


def expect_path(visit, path: str) -> None:
    visit.page.wait_for_load_state("load")
    if visit.path() != path:
        visit.shot("unexpected")
        main = visit.page.locator("main").first
        text = main.inner_text() if main.count() else visit.page.content()[:2000]
        raise AssertionError(f"expected to be at {path}, but at {visit.page.url}:\n{text}")


# -- tests ---------------------------------------------------------------------------------------------------------
def test_signup_without_age_confirmation_is_refused(visit):
    from factoryos.accounts.models import User
    from factoryos.core.models import Organization

    page = visit.page
    visit.goto("/accounts/signup/")
    fill_signup(page, age_confirmed=False)

    # The browser itself holds the form back: the box is required, so nothing is sent.
    sent = len(visit.requests)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_timeout(500)
    age_box = page.get_by_label("I confirm that I am 18 years of age or older")
    assert age_box.evaluate("el => el.validity.valueMissing") is True
    assert len(visit.requests) == sent, visit.requests[sent:]
    assert visit.path() == "/accounts/signup/"
    visit.shot("signup-browser-refuses")

    # A client that skips HTML validation reaches the server, which refuses too, with the reason on the page.
    page.locator("form[action='/accounts/signup/']").evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign Up").click()
    assert visit.path() == "/accounts/signup/"
    error = page.get_by_text(AGE_ERROR)
    assert error.is_visible()
    visit.shot("signup-server-refuses")
    assert not User.objects.filter(email__iexact=OWNER["email"]).exists()
    assert not Organization.objects.filter(legal_name=ORG_NAME).exists()
    assert not mail.outbox
    visit.assert_clean()


def test_onboarding_signup_verify_mfa_login_invite_join(visit):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from factoryos.accounts.models import User
    from factoryos.core.models import Membership, Organization
    from factoryos.kernel.tenancy import org_scope

    page = visit.page
    used_steps: set[int] = set()

    # 1. Sign up: the person, their organization, and the 18+ confirmation.
    visit.goto("/accounts/signup/")
    fill_signup(page, age_confirmed=True)
    visit.shot("signup")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign Up").click()
    expect_path(visit, "/accounts/confirm-email/")
    visit.shot("verification-sent")
    owner = User.objects.get(email=OWNER["email"])
    assert owner.age_confirmed_at is not None

    # 2. Verify the email from the link in the message; confirming logs in and lands on the dashboard.
    confirm_link = link_in(mail_to(OWNER["email"], "/accounts/confirm-email/"), r"/accounts/confirm-email/\S+")
    assert confirm_link.startswith(visit.base_url), confirm_link
    visit.goto(confirm_link)
    visit.shot("confirm-email")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Confirm").click()
    expect_path(visit, "/")
    assert page.get_by_role("heading", name=f"Good to see you, {OWNER['first']}").is_visible()
    assert ORG_NAME in page.locator(".sidebar .brand").inner_text()
    assert page.locator(".card-value", has_text="MFA off").is_visible()
    visit.shot("dashboard")

    # 3. Turn on TOTP with the secret shown on the page and a code computed here.
    visit.goto("/accounts/2fa/totp/activate/")
    if visit.path() == "/accounts/reauthenticate/":
        # Logging in through the email link is not a password login, so allauth asks for the password first.
        page.fill("[name=password]", PASSWORD)
        visit.shot("reauthenticate")
        with page.expect_navigation():
            page.locator("main form").get_by_role("button", name="Confirm").click()
    expect_path(visit, "/accounts/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    step = unused_totp_step(used_steps)
    assert totp_code(secret, step) == format_hotp_value(hotp_value(secret, step))  # same maths as allauth
    visit.shot("totp-activate")
    page.fill("[name=code]", totp_code(secret, step))
    with page.expect_navigation():
        page.get_by_role("button", name="Activate").click()
    assert visit.path() != "/accounts/2fa/totp/activate/", page.locator("main").inner_text()
    visit.shot("totp-activated")  # allauth shows the recovery codes, or the 2FA overview
    assert Authenticator.objects.filter(user=owner, type=Authenticator.Type.TOTP).exists()
    visit.goto("/")
    assert page.locator(".card-value", has_text="MFA on").is_visible()
    visit.shot("dashboard-mfa-on")

    # 4. Log out from the user menu.
    log_out(visit)
    visit.shot("logged-out")

    # 5. Log in: email and password, then a fresh authenticator code.
    visit.goto("/accounts/login/")
    page.fill("[name=login]", OWNER["email"])
    page.fill("[name=password]", PASSWORD)
    visit.shot("login")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Sign In").click()
    expect_path(visit, "/accounts/2fa/authenticate/")
    visit.shot("login-authenticator-code")
    page.fill("[name=code]", totp_code(secret, unused_totp_step(used_steps)))
    with page.expect_navigation():
        page.locator("main form").get_by_role("button").first.click()
    expect_path(visit, "/")
    assert ORG_NAME in page.locator(".sidebar .brand").inner_text()
    visit.shot("dashboard-after-login")

    # 6. Invite a colleague as a Planner.
    visit.goto("/settings/members/")
    visit.shot("members")
    invite = page.locator("form[action='/settings/members/invite/']")
    invite.locator("[name=email]").fill(INVITEE["email"])
    invite.locator("[name=role]").select_option(label="Planner")
    with page.expect_navigation():
        invite.get_by_role("button", name="Send invitation").click()
    expect_path(visit, "/settings/members/")
    assert page.locator(".flash").get_by_text(f"Invitation sent to {INVITEE['email']}.").is_visible()
    assert page.get_by_role("cell", name=INVITEE["email"]).is_visible()  # waiting to be accepted
    visit.shot("members-invited")
    invitation = mail_to(INVITEE["email"], "/invitations/")
    assert ORG_NAME in invitation.subject
    invitation_link = link_in(invitation, r"/invitations/[^/\s]+/")
    assert invitation_link.startswith(visit.base_url), invitation_link

    # 7. The colleague, in the same browser after the owner logs out, joins from the link.
    log_out(visit)
    visit.goto(invitation_link)
    assert page.get_by_role("heading", name=f"Join {ORG_NAME}").is_visible()
    page.fill("[name=first_name]", INVITEE["first"])
    page.fill("[name=last_name]", INVITEE["last"])
    page.fill("[name=password1]", INVITEE_PASSWORD)
    page.fill("[name=password2]", INVITEE_PASSWORD)
    page.get_by_label("I confirm that I am 18 years of age or older").check()
    visit.shot("invitation-signup")
    with page.expect_navigation():
        page.get_by_role("button", name="Create account and join").click()
    expect_path(visit, "/")
    assert page.get_by_role("heading", name=f"Good to see you, {INVITEE['first']}").is_visible()
    assert ORG_NAME in page.locator(".sidebar .brand").inner_text()
    assert page.locator(".flash").get_by_text(f"Welcome to {ORG_NAME}.").is_visible()
    visit.shot("invitee-dashboard")

    visit.goto("/settings/members/")
    table = page.locator("#member-table")
    for person in (OWNER, INVITEE):
        row = table.get_by_role("row").filter(has_text=person["email"])
        assert row.count() == 1, f"{person['email']} not listed once on the Members page"
        assert f"{person['first']} {person['last']}" in row.inner_text()
    assert "Planner" in table.get_by_role("row").filter(has_text=INVITEE["email"]).inner_text()
    visit.shot("invitee-members")
    invitee = User.objects.get(email=INVITEE["email"])
    assert invitee.age_confirmed_at is not None
    org = Organization.objects.get(legal_name=ORG_NAME)
    with org_scope(org):
        assert Membership.objects.filter(user=invitee, role="planner", is_active=True).exists()
        assert Membership.objects.filter(user=owner, role="owner", is_active=True).exists()

    # The dashboard at the smallest supported size: a 1024x768 tablet.
    page.set_viewport_size(TABLET)
    visit.goto("/")
    assert ORG_NAME in page.locator("body").inner_text()
    visit.shot("invitee-dashboard-tablet")

    visit.assert_clean()
