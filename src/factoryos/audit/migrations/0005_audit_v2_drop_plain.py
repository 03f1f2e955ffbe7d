"""Audit trail v2 (3 of 3): the plain columns of who acted from where go; those facts are sealed now (0004)."""

from django.db import migrations

PLAIN_ACTOR_FIELDS = ("actor_label", "ip", "user_agent", "browser", "browser_version", "os", "device", "referrer")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_audit_v2_convert")]
    operations = [migrations.RemoveField("auditevent", name) for name in PLAIN_ACTOR_FIELDS]
