from django.core.management.base import BaseCommand

from factoryos.core.keyrotation import rotate_all
from factoryos.kernel import crypto


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and re-wrap every encrypted file's data key under the newest key in "
        "FACTORYOS_KEYS. Put the new key first, run this, then drop the old key once it reports nothing stale."
    )

    def handle(self, *args, **options):
        report = rotate_all()
        self.stdout.write(
            f"Newest key {crypto.keyring().current_id}: {report.fields_resealed} field value(s) re-encrypted, "
            f"{report.fields_current} already current; {report.files_rewrapped} file(s) re-wrapped, "
            f"{report.files_current} already current."
        )
        for label, count in sorted(report.per_model.items()):
            self.stdout.write(f"  {label}: {count}")
