"""Two PostgreSQL roles (kernel/dbroles.py): the application's role owns nothing, so it cannot switch off row-level
security or the append-only triggers, and may only append audit events; the owner migrates and is bound too."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from factoryos.kernel.dbroles import APPEND_ONLY_FUNCTION, as_owner
from factoryos.kernel.rls import POLICY_NAME
from factoryos.kernel.tenancy import org_scope, tenant_models
from tests.factories import make_org

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("postgres_only", "_two_roles")]

AUDIT = "audit_auditevent"
APPEND_ONLY = {AUDIT: "audit_append_only", "inventory_stockmove": "stockmove_append_only"}
REFUSED = "must be owner|permission denied"


@pytest.fixture
def _two_roles(postgres_only):
    assert settings.DATABASE_OWNER, "PostgreSQL tests run with two roles: set DATABASE_OWNER_URL (README: PostgreSQL)"


def _rows(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _refused(sql, params=None):
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_tests_connect_as_an_application_role_with_no_powers():
    [(user, superuser, bypass, createrole, createdb)] = _rows(
        "SELECT rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
    )
    owner = settings.DATABASE_OWNER["USER"]
    assert user == settings.DATABASES["default"]["USER"] != owner
    assert not (superuser or bypass or createrole or createdb)
    [(member,)] = _rows("SELECT pg_has_role(current_user, %s, 'MEMBER')", [owner])
    assert not member, "the application role must not be a member of the owner role"
    _refused(f'SET ROLE "{owner}"')


def test_the_application_role_owns_nothing_and_the_owner_owns_every_table():
    owned = _rows(
        "SELECT 'relation', relname FROM pg_class WHERE relowner = current_user::regrole"
        " UNION ALL SELECT 'schema', nspname FROM pg_namespace WHERE nspowner = current_user::regrole"
        " UNION ALL SELECT 'function', proname FROM pg_proc WHERE proowner = current_user::regrole"
        " UNION ALL SELECT 'type', typname FROM pg_type WHERE typowner = current_user::regrole"
        " UNION ALL SELECT 'database', datname FROM pg_database"
        "   WHERE datname = current_database() AND datdba = current_user::regrole"
    )
    assert owned == []
    owners = _rows("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = current_schema()")
    assert owners == [(settings.DATABASE_OWNER["USER"],)]
    [(schema_owner,)] = _rows("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = current_schema()")
    assert schema_owner != settings.DATABASES["default"]["USER"]


def test_the_application_role_cannot_switch_off_the_append_only_triggers():
    for table, trigger in APPEND_ONLY.items():
        _refused(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        _refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        _refused(f"DROP TRIGGER {trigger} ON {table}")
        _refused(f"ALTER TABLE {table} OWNER TO CURRENT_USER")
        _refused(f"DROP TABLE {table}")
    # Nor make the trigger's function a no-op, nor drop it.
    _refused(
        f"CREATE OR REPLACE FUNCTION {APPEND_ONLY_FUNCTION}() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$"
        " LANGUAGE plpgsql"
    )
    _refused(f"DROP FUNCTION {APPEND_ONLY_FUNCTION}() CASCADE")


def test_the_application_role_cannot_switch_off_row_level_security():
    tables = [model._meta.db_table for model in tenant_models()]
    assert AUDIT in tables
    for table in tables:
        _refused(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
        _refused(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
        _refused(f'DROP POLICY {POLICY_NAME} ON "{table}"')
        _refused(f'ALTER POLICY {POLICY_NAME} ON "{table}" USING (true)')
        _refused(f'CREATE POLICY everything ON "{table}" USING (true)')  # permissive policies are OR-ed: refused
    _refused("CREATE TABLE smuggled (id int)")  # nothing of its own in the schema either


def test_the_application_role_may_only_read_and_append_audit_events():
    org, _ = make_org()
    with transaction.atomic(), org_scope(org):
        assert _rows(f"SELECT count(*) FROM {AUDIT} WHERE org_id = %s", [org.pk])[0][0] > 0
        _refused(f"UPDATE {AUDIT} SET seq = seq WHERE org_id = %s", [org.pk])
        _refused(f"DELETE FROM {AUDIT} WHERE org_id = %s", [org.pk])
        _refused(f"TRUNCATE {AUDIT}")
        _refused(f"TRUNCATE {AUDIT} CASCADE")


def test_the_application_role_has_row_access_and_nothing_more_on_every_table():
    privileges = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
    columns = ", ".join(f"has_table_privilege(c.oid, '{p}')" for p in privileges)
    rows = _rows(
        f"SELECT c.relname, {columns} FROM pg_class c"
        " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v')"
    )
    assert len(rows) > 40
    for table, *granted in rows:
        row_access = ["SELECT", "INSERT"] if table in APPEND_ONLY else ["SELECT", "INSERT", "UPDATE", "DELETE"]
        assert [p for p, ok in zip(privileges, granted, strict=True) if ok] == row_access, table
    sequences = _rows(
        "SELECT c.relname, has_sequence_privilege(c.oid, 'USAGE'), has_sequence_privilege(c.oid, 'UPDATE')"
        " FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'S'"
    )
    assert sequences and all(usage and not update for _, usage, update in sequences), sequences


@pytest.mark.django_db(transaction=True)
def test_the_owner_is_bound_by_the_append_only_trigger_and_row_level_security():
    org, _ = make_org()
    with as_owner():
        [(user, superuser, bypass)] = _rows(
            "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        assert user == settings.DATABASE_OWNER["USER"] and not superuser and not bypass
        assert _rows(f"SELECT count(*) FROM {AUDIT}") == [(0,)]  # FORCEd RLS: no organization set, no rows
        for statement in (f"UPDATE {AUDIT} SET seq = seq", f"DELETE FROM {AUDIT}"):
            with transaction.atomic(), org_scope(org):
                assert _rows(f"SELECT count(*) FROM {AUDIT}")[0][0] > 0
                with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                    _rows(statement + " WHERE org_id = %s RETURNING id", [org.pk])
