"""PostgreSQL row-level security: the second wall.

A ``post_migrate`` hook walks every tenant model and idempotently enables and FORCEs RLS and (re)creates the
policy, so a new tenant model cannot be forgotten. FORCE makes the policy bind the table owner too; the
application must connect as a role that is neither superuser nor BYPASSRLS (see .ci/run and README), nor the
owner, who could switch the policy off: the hook runs as the owner, in ``migrate`` (dbroles.py).
"""

from __future__ import annotations

from django.db import connection

from factoryos.kernel.tenancy import GUC_ORG, tenant_models

POLICY_NAME = "factoryos_tenant_isolation"
ORG_PREDICATE = f"org_id = NULLIF(current_setting('{GUC_ORG}', true), '')::bigint"


def policy_predicate(model) -> str:
    extra = getattr(model, "rls_extra_predicate", None)
    return f"({ORG_PREDICATE}) OR ({extra})" if extra else ORG_PREDICATE


def apply_rls(using: str = "default", **_kwargs) -> None:
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cursor:
        for model in tenant_models():
            table = conn.ops.quote_name(model._meta.db_table)
            predicate = policy_predicate(model)
            cursor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
            cursor.execute(f"CREATE POLICY {POLICY_NAME} ON {table} USING ({predicate}) WITH CHECK ({ORG_PREDICATE})")


def rls_status() -> dict[str, tuple[bool, bool]]:
    """Table -> (rls enabled, rls forced), for the tests and the readiness check."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relkind = 'r'")
        return {name: (enabled, forced) for name, enabled, forced in cursor.fetchall()}
