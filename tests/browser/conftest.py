"""Fixtures for the browser tests: Debian's Chromium driven by Playwright's sync API against ``live_server``.

Every browser test is skipped, with the reason, when Playwright or Chromium is missing. ``make test`` runs the suite
under ``-n 2 --dist loadgroup``; tests/conftest.py puts everything under tests/browser/ in one xdist group, so one
worker runs them in order and owns the artifacts directory.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.factories import PASSWORD

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = os.environ.get("FACTORYOS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1440, "height": 900}
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "browser"

# Chromium's own wording for a CSP refusal, plus what our securitypolicyviolation listener logs.
CSP_CONSOLE = re.compile(r"content security policy|content-security-policy|csp violation", re.IGNORECASE)

# Reports every CSP violation the page sees on the console, even ones Chromium would not log itself.
# Playwright injects init scripts through the DevTools protocol, so the page's CSP does not apply to this one.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


# -- Chromium ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module, with DJANGO_ALLOW_ASYNC_UNSAFE set only while Playwright runs.

    The sync Playwright API keeps an asyncio loop in the test thread, and Django refuses ORM calls from a thread with
    a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The live server answers from its own thread, so only the
    test's own reads and pytest-django's flush at teardown need it. It is set here rather than at import time and put
    back afterwards: set for the whole worker, it leaks into other tests (``manage.py check --deploy`` run as a
    subprocess fails with async.E001), and a Playwright loop left running would break their ORM calls too.
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.skip(f"Playwright is not installed ({exc}); `pip install -e .[dev]` installs it")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set FACTORYOS_CHROMIUM)")
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    manager = None
    try:
        manager = sync_playwright().start()
        try:
            browser = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        except PlaywrightError as exc:
            pytest.skip(f"Chromium at {CHROMIUM} would not start under Playwright: {exc}")
        yield browser
        browser.close()
    finally:
        if manager is not None:
            manager.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@dataclass
class Visit:
    """A browser tab on the live server that records what it loads and says, and screenshots every page."""

    page: object
    base_url: str
    directory: Path
    prefix: str = ""
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    shots: list[Path] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url).split("?")[0].split("#")[0] or "/"

    def goto(self, path: str):
        response = self.page.goto(self.url(path) if path.startswith("/") else path)
        self.page.wait_for_load_state("load")
        return response

    def shot(self, name: str) -> Path:
        """A full-page screenshot, numbered in the order taken: 01-signup.png, 02-..."""
        self.page.wait_for_load_state("load")
        target = self.directory / f"{self.prefix}{len(self.shots) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(target), full_page=True)
        self.shots.append(target)
        return target

    # -- checks ---------------------------------------------------------------------------------------------------
    def foreign_requests(self) -> list[str]:
        # data: URIs are the page's own bytes (allauth's TOTP QR code), not a load from any origin.
        return [u for u in self.requests if not (u.startswith(self.base_url + "/") or u.startswith("data:"))]

    def csp_errors(self) -> list[str]:
        return [m for m in self.console_errors if CSP_CONSOLE.search(m)]

    def assert_clean(self) -> None:
        assert self.requests, "no request was recorded: the listener is not attached"
        assert not self.foreign_requests(), f"loaded from another origin: {self.foreign_requests()}"
        assert not self.csp_errors(), f"Content-Security-Policy violations: {self.csp_errors()}"
        assert not self.page_errors, f"JavaScript errors: {self.page_errors}"
        assert not self.server_errors, f"server errors: {self.server_errors}"


def _open_visit(browser, live_server, directory: Path, prefix: str = "") -> tuple[object, Visit]:
    context = browser.new_context(viewport=DESKTOP, locale="en-AU", timezone_id="Australia/Sydney")
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    visit = Visit(page=page, base_url=live_server.url.rstrip("/"), directory=directory, prefix=prefix)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and visit.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))
    page.on("response", lambda r: r.status >= 500 and visit.server_errors.append(f"{r.status} {r.url}"))
    # app.js asks window.confirm() before destructive actions; nothing in these flows should ask, so refuse if it does.
    page.on("dialog", lambda dialog: dialog.dismiss())
    return context, visit


@pytest.fixture
def visit(request, chromium, live_server, artifacts_dir):
    """A fresh desktop (1440x900) browser context for one test; screenshots go to test-artifacts/browser/."""
    prefix = getattr(request.module, "SCREENSHOT_PREFIX", {}).get(request.node.originalname, "")
    for stale in artifacts_dir.glob(f"{prefix}[0-9][0-9]-*.png"):  # this test's shots from an earlier run
        stale.unlink()
    context, tab = _open_visit(chromium, live_server, artifacts_dir, prefix)
    yield tab
    context.close()


# -- what the flows do on a page (one copy for every flow) -----------------------------------------------------------
def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def submit(page, scope, button: str) -> None:
    """Click the button named exactly ``button`` in ``scope`` (a form sent as a full page); wait for the next page."""
    with page.expect_navigation():
        scope.get_by_role("button", name=button, exact=True).click()


def flash(page, text: str) -> None:
    expect()(page.locator(".flash")).to_contain_text(text)


def fits_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sign_in(visit, email: str) -> None:
    """Log in through the login page as ``email`` (the factories' password); the dashboard follows."""
    page = visit.page
    visit.goto("/accounts/login/")
    page.fill("[name=login]", email)
    page.fill("[name=password]", PASSWORD)
    submit(page, page.locator("main form"), "Sign In")
    assert visit.path() == "/", page.locator("main").inner_text()


def pick(page, scope, name: str, search: str, label: str, *, press_enter: bool = False) -> None:
    """Choose in the picker of the field ``name`` (web.forms.Picker): type ``search``, then click the match
    ``label``; with ``press_enter`` type it and press Enter, as a barcode scanner does, and let the one match win."""
    picker = scope.locator(".picker", has=page.locator(f"input[type=hidden][name='{name}']"))
    box = picker.locator(".picker-search")
    box.click()
    with page.expect_response(lambda r: "q=" in r.url and search.split()[0] in r.url):
        box.fill(search)
        if press_enter:
            box.press("Enter")
    if not press_enter:
        picker.locator("[data-pick]", has_text=label).click()
    from playwright.sync_api import expect

    expect(box).to_have_value(label)
    expect(picker.locator("input[type=hidden]")).not_to_have_value("")
