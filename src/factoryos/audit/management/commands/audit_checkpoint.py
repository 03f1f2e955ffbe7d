from django.core.management.base import BaseCommand

from factoryos.audit import tasks


class Command(BaseCommand):
    help = (
        "Write each organization's audit chain head (last event, its MAC, the count, the time), signed with a key "
        "from the keyring, to the audit checkpoint storage outside the database; audit_verify checks against it. "
        "With --schedule, instead start the recurring checkpoint task (hourly by default) unless it is queued."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="Queue the recurring task (idempotent)")

    def handle(self, *args, schedule=False, **options):
        if schedule:
            queued = tasks.schedule()
            self.stdout.write("Scheduled audit checkpoints queued." if queued else "Already scheduled.")
            return
        written = tasks.checkpoint_all()
        self.stdout.write(f"{written} audit checkpoint(s) written.")
