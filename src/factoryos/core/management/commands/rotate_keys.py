from django.core.management.base import BaseCommand

from factoryos.core.keyrotation import audit_macs_by_key, rotate_all
from factoryos.kernel import crypto


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and re-wrap every encrypted file's data key (files in storage and files "
        "sealed in database columns) under the newest key in FACTORYOS_KEYS, and re-wrap the audit trail's person "
        "keys. Put the new key first and run this; drop an old key once this reports nothing stale and no audit "
        "event's MAC names it (audit MACs cannot be redone: the trail is append-only, so a key that made MACs stays "
        "for audit_verify)."
    )

    def handle(self, *args, **options):
        report = rotate_all()
        self.stdout.write(
            f"Newest key {crypto.keyring().current_id}: {report.fields_resealed} field value(s) re-encrypted, "
            f"{report.fields_current} already current; {report.files_rewrapped} file(s) re-wrapped, "
            f"{report.files_current} already current; {report.blobs_rewrapped} file(s) in database columns re-wrapped, "
            f"{report.blobs_current} already current; {report.person_keys_rewrapped} audit person key(s) re-wrapped."
        )
        for key_id, count in audit_macs_by_key().items():
            if key_id != crypto.keyring().current_id:
                self.stdout.write(f"  audit events whose MAC needs key {key_id}: {count} (keep it for audit_verify)")
        for label, count in sorted(report.per_model.items()):
            self.stdout.write(f"  {label}: {count}")
        for column, count in sorted(report.per_blob_column.items()):
            self.stdout.write(f"  {column}: {count} file(s) re-wrapped")
