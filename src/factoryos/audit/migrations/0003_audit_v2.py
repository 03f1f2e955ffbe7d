"""Audit trail v2 (1 of 3, the new columns): the keyed MAC chain (``mac``, ``prev_mac``, ``mac_key``) and the
per-person keys that seal personal details (``PersonKey``, ``actor_sealed``, ``subject_sealed``). Events no longer
hold a database constraint on the user and API key they name: erasing a person must not touch the trail.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("core", "0001_initial"),
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("subject", models.CharField(max_length=100, unique=True)),
                (
                    "wrapped",
                    models.TextField(blank=True, help_text="the data key sealed under the keyring; empty once erased"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("erased_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("auditevent", "object_repr", "object_repr_plain"),
                migrations.RenameField("auditevent", "changes", "changes_plain"),
                migrations.RenameField("auditevent", "metadata", "metadata_plain"),
                migrations.AlterField(
                    "auditevent",
                    "object_repr_plain",
                    models.CharField(blank=True, db_column="object_repr", max_length=200),
                ),
                migrations.AlterField(
                    "auditevent", "changes_plain", models.JSONField(blank=True, db_column="changes", default=dict)
                ),
                migrations.AlterField(
                    "auditevent", "metadata_plain", models.JSONField(blank=True, db_column="metadata", default=dict)
                ),
            ]
        ),
        migrations.RenameField("auditevent", "hash", "mac"),
        migrations.RenameField("auditevent", "prev_hash", "prev_mac"),
        migrations.AddField(
            "auditevent",
            "mac_key",
            models.CharField(default="", help_text="the keyring key the MAC was made with", max_length=32),
            preserve_default=False,
        ),
        migrations.AddField(
            "auditevent",
            "actor_key",
            models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="audit.personkey"
            ),
        ),
        migrations.AddField("auditevent", "actor_sealed", models.TextField(blank=True)),
        migrations.AddField(
            "auditevent",
            "subject_key",
            models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="audit.personkey"
            ),
        ),
        migrations.AddField("auditevent", "subject_sealed", models.TextField(blank=True)),
        migrations.AlterField(
            "auditevent",
            "actor_user",
            models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.user",
            ),
        ),
        migrations.AlterField(
            "auditevent",
            "actor_api_key",
            models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.apikey",
            ),
        ),
    ]
