"""Security headers, no third-party origins, and production settings passing check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from factoryos.kernel.crypto import generate_key_spec
from tests.factories import login_client, make_org

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_pages_send_the_security_headers():
    org, owner = make_org()
    response = login_client(owner.user, org).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "HX-Request" in response["Vary"]
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_no_page_loads_anything_from_another_origin():
    org, owner = make_org()
    client = login_client(owner.user, org)
    for path in ["/", "/settings/members/", "/control/audit/", "/profile/", "/accounts/2fa/", "/api/v1/docs"]:
        html = client.get(path).content.decode()
        for marker in ("https://", "http://", "//cdn", "<script>"):
            offending = [line.strip() for line in html.splitlines() if marker in line and "xmlns" not in line]
            assert offending == [], f"{path}: {offending[:3]}"


@pytest.mark.django_db
def test_htmx_requests_get_only_the_partial():
    org, owner = make_org()
    client = login_client(owner.user, org)
    full = client.get("/settings/members/")
    partial = client.get("/settings/members/?q=Tester", HTTP_HX_REQUEST="true")
    assert b"<html" in full.content and b"<html" not in partial.content and b"<table" in partial.content


def test_production_settings_pass_check_deploy_and_refuse_to_start_without_secrets(tmp_path):
    env = {
        **os.environ,
        "FACTORYOS_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 64 + "production-secret-key",
        "FACTORYOS_KEYS": generate_key_spec("prod1"),
        "DJANGO_ALLOWED_HOSTS": "erp.example.com",
        "FACTORYOS_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)  # SQLite: the owner's URL goes with PostgreSQL's
    env.pop("DATABASE_OWNER_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    for missing in ("DJANGO_SECRET_KEY", "FACTORYOS_KEYS"):
        bare = {k: v for k, v in env.items() if k != missing}
        refused = subprocess.run(
            [sys.executable, "manage.py", "check"], cwd=ROOT, env=bare, capture_output=True, text=True, timeout=120
        )
        assert refused.returncode != 0 and missing in refused.stderr
