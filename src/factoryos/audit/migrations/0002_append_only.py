"""Audit rows are append-only on PostgreSQL: a trigger refuses UPDATE and DELETE of any row.

Revoking privileges from the table owner would not be enough: the owner can grant them back. A trigger binds
everyone but a superuser who drops it, which is itself a visible act. TRUNCATE is left to the table owner
(it fires no row trigger; the test runner's flush needs it, and the application never issues it). The owner may
also disable the trigger, so on PostgreSQL the application connects as another role, with only SELECT and INSERT
here (kernel/dbroles.py).
"""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION factoryos_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION factoryos_audit_append_only();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS factoryos_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
