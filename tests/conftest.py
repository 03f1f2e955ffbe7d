from __future__ import annotations

import copy
import os

import hypothesis
import pytest
from django.core.cache import cache
from django.db import connection, transaction

from tests.dbroles import django_db_setup  # noqa: F401 - PostgreSQL's two roles in the test run (tests/dbroles.py)

# Property tests: random on a developer's machine (each run explores new cases; a failure prints its reproduction),
# derandomized in CI so a run's verdict is about the commit, not about the draw.
hypothesis.settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis.settings.load_profile("ci")


@pytest.fixture(autouse=True, scope="session")
def _fast_and_kept_apart(tmp_path_factory):
    """Fast password hashing (Argon2 is asserted in its own test) and files under the run's tmp, from the first
    fixture on (a module's world is built before any test's own fixtures)."""
    from django.test import override_settings

    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(PASSWORD_HASHERS=hashers, MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _clean_cache():
    """A clean cache (throttles, sessions) for every test."""
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
#
# A world takes about a second to build (every app's objects, the documents' PDFs), so a module builds it once: one
# transaction is open around the module's tests, the world is built in it, and each test runs in a savepoint that is
# rolled back, so every test starts from the same world (Django's TestCase.setUpTestData, for pytest modules). A
# transactional test (its own commits, other connections) cannot run inside that transaction: it builds its own.
_OPEN_MODULE_TRANSACTIONS: list = []  # the module transaction open now (a list: nothing is open between modules)


def _close(atomic) -> None:
    if atomic in _OPEN_MODULE_TRANSACTIONS:
        _OPEN_MODULE_TRANSACTIONS.remove(atomic)
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):  # noqa: F811 - the fixture of tests/dbroles.py
    """One transaction around a module's tests, rolled back at its end: what the module builds once, each test sees."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        _OPEN_MODULE_TRANSACTIONS.append(atomic)
        try:
            yield
        finally:
            _close(atomic)


@pytest.fixture(autouse=True)
def _transactional_tests_run_outside_the_module_transaction(request, django_db_blocker):
    """pytest-django runs a module's transactional tests after its other database tests (and xdist may run one right
    after them on the same worker): the module's transaction ends first, or the test would run inside it (its
    commits would not commit, and ``connection.in_atomic_block`` would lie to it)."""
    if _transactional(request):
        with django_db_blocker.unblock():
            for atomic in list(_OPEN_MODULE_TRANSACTIONS):
                _close(atomic)


@pytest.fixture(scope="module")
def world_template(module_transaction):
    """The module's world, built once (a conftest may override it: the inventory tests build the apps up to theirs)."""
    from tests.factories import make_world

    return make_world()


@pytest.fixture(scope="module")
def their_world(module_transaction):
    """Another organization's world, built once for the module beside ``world``'s: the tenant boundary's far side."""
    from tests.factories import make_world

    return make_world("Elsewhere Pty Ltd")


@pytest.fixture
def world(request, world_template, db):
    """One organization with an object of every model: the module's world, fresh to this test (its writes roll back
    with the test's savepoint; the Python objects are copies, so a test changing one leaves the next test's alone)."""
    if _transactional(request):
        raise pytest.UsageError("a transactional test cannot share the module's world: build one (make_world)")
    return copy.deepcopy(world_template)


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames


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
