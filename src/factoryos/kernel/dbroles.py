"""PostgreSQL with two roles: an owner migrates, the application role only reads and writes rows.

Row-level security (``rls.py``) and the append-only triggers (audit 0002, inventory 0002) bind the application only
if it cannot switch them off, and a table's owner can: ``ALTER TABLE ... DISABLE TRIGGER``, ``NO FORCE ROW LEVEL
SECURITY``, ``DROP POLICY``, ``TRUNCATE``. So on PostgreSQL the schema belongs to a role the application never
connects as:

- ``DATABASE_URL``: the application role (no superuser, no BYPASSRLS, owns nothing). :func:`grant_app_privileges`
  gives it ``SELECT, INSERT, UPDATE, DELETE`` on the tables and ``USAGE, SELECT`` on the sequences, and on an
  append-only table (one with the ``factoryos_audit_append_only`` trigger) only ``SELECT, INSERT``. No TRUNCATE,
  REFERENCES or TRIGGER anywhere.
- ``DATABASE_OWNER_URL`` (``settings.DATABASE_OWNER``): the same database as the owner role (no superuser, no
  BYPASSRLS: FORCEd RLS binds it too). ``manage.py migrate`` connects the default alias as the owner for its whole
  run (:func:`as_owner`), so the migrations, their ``RunPython`` steps and every ``post_migrate`` hook (the RLS
  policies, the grants) run as the owner. The test run uses it to create, migrate, flush and drop its databases.

Without ``DATABASE_OWNER_URL`` (SQLite, or one PostgreSQL role) nothing here does anything.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

APPEND_ONLY_FUNCTION = "factoryos_audit_append_only"

# alias -> the application role, while that alias is connected as the owner
_app_roles: dict[str, str] = {}


def owner_configured(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether ``using`` has an owner role apart from the application's (only the default alias can)."""
    return using == DEFAULT_DB_ALIAS and bool(getattr(settings, "DATABASE_OWNER", None))


def app_role(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The application role while ``using`` is connected as the owner, else None."""
    return _app_roles.get(using)


@contextlib.contextmanager
def as_owner(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Connect ``using`` as the owner role for the block, then back as the application role.

    The connection is closed on the way in and out (call it outside any transaction). Nothing happens without an
    owner role, or inside a block that already is the owner's. The credentials are swapped in the alias's settings,
    which every thread's connection shares: meant for management commands and test set-up, not request handling.
    """
    if not owner_configured(using) or using in _app_roles:
        yield
        return
    conn = connections[using]
    owner: dict[str, Any] = settings.DATABASE_OWNER
    saved = {key: conn.settings_dict.get(key) for key in owner}
    conn.close()
    conn.settings_dict.update(owner)
    _app_roles[using] = str(saved["USER"])
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict.update(saved)
        del _app_roles[using]


def schema_owner_elsewhere(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The role owning the migrated schema (``django_migrations``) when the connection is not it, else None.

    ``migrate`` as the application role of a two-role database would fail on the first ALTER; this names why."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        return None
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(relowner), pg_has_role(current_user, relowner, 'USAGE') FROM pg_class"
            " WHERE oid = to_regclass('django_migrations')"
        )
        row = cursor.fetchone()
    return row[0] if row and not row[1] else None


def append_only_tables(cursor: Any) -> list[str]:
    """Tables with the append-only trigger (audit events, stock moves)."""
    cursor.execute(
        "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = %s AND NOT t.tgisinternal ORDER BY 1",
        [APPEND_ONLY_FUNCTION],
    )
    return [name for (name,) in cursor.fetchall()]


def grant_app_privileges(using: str = DEFAULT_DB_ALIAS, **_kwargs: Any) -> None:
    """``post_migrate``, as the owner: the application role gets row access and nothing more (idempotent).

    Also the default privileges of the owner's future tables and sequences, so that a table a migration makes is
    usable before this hook runs again. Refuses to go on while the application role still owns a relation (a
    database first migrated with one role): ``REASSIGN OWNED BY <app> TO <owner>`` as a superuser fixes that."""
    role = app_role(using)
    if role is None:
        return
    conn = connections[using]
    quote = conn.ops.quote_name
    with transaction.atomic(using=using), conn.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        owner, schema = cursor.fetchone()
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_roles r ON r.oid = c.relowner WHERE n.nspname = %s AND r.rolname = %s",
            [schema, role],
        )
        owned = [name for (name,) in cursor.fetchall()]
        if owned:
            raise RuntimeError(
                f"the application role {role} owns {', '.join(sorted(owned)[:5])}...: as a superuser run "
                f"REASSIGN OWNED BY {role} TO {owner} (README: PostgreSQL), then migrate again"
            )
        app, schema_q, owner_q = quote(role), quote(schema), quote(owner)
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema_q} FROM {app}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_q} TO {app}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema_q} FROM {app}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_q} TO {app}")
        for table in append_only_tables(cursor):
            cursor.execute(f"REVOKE UPDATE, DELETE ON {quote(table)} FROM {app}")
        defaults = f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_q} IN SCHEMA {schema_q}"
        cursor.execute(f"{defaults} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}")
        cursor.execute(f"{defaults} GRANT USAGE, SELECT ON SEQUENCES TO {app}")
