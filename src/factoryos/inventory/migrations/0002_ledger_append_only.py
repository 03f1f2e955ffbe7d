"""The stock ledger is append-only on PostgreSQL, with the audit trail's trigger function (audit 0002)."""

from django.db import migrations

SQL = """
DROP TRIGGER IF EXISTS stockmove_append_only ON inventory_stockmove;
CREATE TRIGGER stockmove_append_only BEFORE UPDATE OR DELETE ON inventory_stockmove
    FOR EACH ROW EXECUTE FUNCTION factoryos_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS stockmove_append_only ON inventory_stockmove", params=None)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial"), ("audit", "0002_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
