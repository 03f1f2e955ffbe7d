from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection

from tests.dbroles import django_db_setup  # noqa: F401 - PostgreSQL's two roles in the test run (tests/dbroles.py)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Fast password hashing (Argon2 is asserted in its own test), files under tmp, a clean throttle cache."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://...)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


# The shared fixtures. Each app's objects come from tests/<app>/world.py (see tests.factories.make_world).
@pytest.fixture
def world(db):
    """One organization with an object of every model."""
    from tests.factories import make_world

    return make_world()


@pytest.fixture
def owner(world):
    """A browser session of the world's owner."""
    from tests.factories import login_client

    return login_client(world.owner.user, world.org)


@pytest.fixture
def api(owner):
    """The owner's session, for API calls (the API accepts the session with its CSRF rules)."""
    return owner


@pytest.fixture
def member_client(world):
    """``member_client(role)``: a browser session of a new member of the world with that built-in role."""
    from tests.factories import add_member, login_client

    def make(role: str):
        return login_client(add_member(world.org, role=role).user, world.org)

    return make
