"""The test run with two PostgreSQL roles (kernel/dbroles.py; README: PostgreSQL).

With ``DATABASE_OWNER_URL`` set, the owner role creates each xdist worker's test database, migrates it (row-level
security and the application role's grants come with the migration's ``post_migrate`` hooks) and drops it at the
end; the tests themselves connect as ``DATABASE_URL``'s application role, which owns nothing. The flush after a
transactional test (``transaction=True``, ``live_server``) truncates every table, audit events included, so it runs
as the owner too: the application role has no TRUNCATE. Without an owner (SQLite, one PostgreSQL role) this is
pytest-django's own ``django_db_setup``.
"""

from __future__ import annotations

import contextlib

import pytest

from factoryos.kernel.dbroles import as_owner, owner_configured


@contextlib.contextmanager
def _owner_of(aliases):
    with contextlib.ExitStack() as stack:
        for alias in aliases:
            stack.enter_context(as_owner(alias))
        yield


def _as_owner_per_database(method):
    """A TransactionTestCase method (flush, sequence reset) run as the owner of the test's databases."""

    def run(self, *args, **kwargs):
        with _owner_of(self._databases_names(include_mirrors=False)):
            return method(self, *args, **kwargs)

    return run


def _reset_sequences_as_owner(method):
    def run(db_name):
        with as_owner(db_name):
            return method(db_name)

    return staticmethod(run)


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's ``django_db_setup`` (4.x) with the test databases created, migrated and dropped as the owner."""
    from django.test import TransactionTestCase
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    setup_databases_args = {}
    if not django_db_use_migrations:
        _disable_migrations()
    if django_db_keepdb and not django_db_createdb:
        setup_databases_args["keepdb"] = True
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose

    with django_db_blocker.unblock(), _owner_of(aliases):
        db_cfg = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            **setup_databases_args,
        )

    with pytest.MonkeyPatch.context() as patch:
        if owner_configured():
            teardown, reset = TransactionTestCase._fixture_teardown, TransactionTestCase._reset_sequences
            patch.setattr(TransactionTestCase, "_fixture_teardown", _as_owner_per_database(teardown))
            patch.setattr(TransactionTestCase, "_reset_sequences", _reset_sequences_as_owner(reset))
        yield

    if not django_db_keepdb:
        with django_db_blocker.unblock(), _owner_of(aliases):
            try:
                teardown_databases(db_cfg, verbosity=verbosity)
            except Exception as exc:  # noqa: BLE001 - as pytest-django: a warning, not a failed run
                request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))
