"""The database wall (PostgreSQL): row-level security binds even raw SQL, and the app role cannot bypass it."""

import pytest
from django.db import DatabaseError, connection, transaction

from factoryos.kernel.rls import rls_status
from factoryos.kernel.tenancy import GUC_API_KEY_PREFIX, GUC_ORG, GUC_USER, org_scope, tenant_models
from tests.factories import make_key, make_world

pytestmark = pytest.mark.usefixtures("postgres_only")
APPEND_ONLY = ("audit_auditevent", "inventory_stockmove")


def _set(name, value):
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, "" if value is None else str(value)])


def _count(table, where="", params=()):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}" {where}', params)
        return cursor.fetchone()[0]


def _clear():
    for name in (GUC_ORG, GUC_USER, GUC_API_KEY_PREFIX):
        _set(name, None)


def test_the_application_role_is_bound_by_rls():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        superuser, bypass = cursor.fetchone()
    assert not superuser and not bypass, "connect as a role that is neither superuser nor BYPASSRLS (see .ci/run)"
    status = rls_status()
    for model in tenant_models():
        assert status[model._meta.db_table] == (True, True), f"RLS not enabled+forced on {model._meta.db_table}"


def test_raw_sql_with_no_organization_set_reads_zero_rows_from_every_tenant_table():
    worlds = [make_world(), make_world()]
    for world in worlds:
        make_key(world.owner)
    _clear()
    tried = 0
    for model in tenant_models():
        table = model._meta.db_table
        assert _count(table) == 0, f"{table} leaks rows with no organization set"
        tried += 1
    with org_scope(worlds[0].org):  # sanity: the rows are there for their own organization
        assert _count("core_membership") >= 2 and _count("audit_auditevent") > 0
    print(f"RLS: {tried} tenant tables read zero rows with no organization set")


def test_with_org_a_set_org_b_rows_cannot_be_read_or_written():
    a, b = make_world(), make_world()
    _clear()
    _set(GUC_ORG, a.org.pk)
    for model in tenant_models():
        table = model._meta.db_table
        assert _count(table, "WHERE org_id = %s", [b.org.pk]) == 0, f"{table}: org B visible from org A"
        if table in APPEND_ONLY:  # the application role may not UPDATE or DELETE them at all (test_db_roles.py)
            continue
        with connection.cursor() as cursor:
            cursor.execute(f'UPDATE "{table}" SET org_id = org_id WHERE org_id = %s', [b.org.pk])
            assert cursor.rowcount == 0, f"{table}: org B rows updatable from org A"
            cursor.execute(f'DELETE FROM "{table}" WHERE org_id = %s', [b.org.pk])
            assert cursor.rowcount == 0, f"{table}: org B rows deletable from org A"
    # Writing a row into org B while org A is set violates the policy's WITH CHECK.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_role (org_id, name, description, permissions, created_at) "
            "VALUES (%s, 'Smuggled', '', '[]', now())",
            [b.org.pk],
        )
    with org_scope(b.org):
        assert _count("core_role", "WHERE name = 'Smuggled'") == 0


def test_a_users_own_memberships_are_readable_before_an_organization_is_chosen():
    a, _other = make_world(), make_world()
    _clear()
    _set(GUC_USER, a.owner.user_id)
    assert _count("core_membership") == 1  # only the user's own membership, nothing of org B


def test_audit_rows_cannot_be_updated_or_deleted():
    world = make_world()
    with org_scope(world.org):
        for statement in ("UPDATE audit_auditevent SET action = 'view'", "DELETE FROM audit_auditevent"):
            # the application role has no UPDATE or DELETE on it; the trigger refuses any other role too
            refused = "append-only|permission denied"
            with pytest.raises(DatabaseError, match=refused), transaction.atomic(), connection.cursor() as c:
                c.execute(statement + " WHERE org_id = %s", [world.org.pk])
