from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from factoryos.audit.models import AuditEvent
from factoryos.audit.services import CheckpointError, checkpoint_latest, verify_chain
from factoryos.kernel.tenancy import org_scope

# The tenant model, reached through the chain's own key (the organizations app sits above the audit trail).
Organization = AuditEvent._meta.get_field("org").related_model


class Command(BaseCommand):
    help = (
        "Walk every organization's audit chain, checking each event's keyed MAC and link, and that the chain still "
        "reaches its latest signed checkpoint unchanged. Names the first broken event. Exits non-zero on a break."
    )

    def handle(self, *args, **options):
        broken = 0
        for org in Organization.objects.order_by("pk"):
            try:
                checkpoint = checkpoint_latest(org)
            except CheckpointError as exc:
                broken += 1
                self.stderr.write(f"BROKEN org {org.pk} ({org.display_name}): {exc}")
                continue
            problem = verify_chain(org, checkpoint)
            if problem:
                broken += 1
                self.stderr.write(
                    f"BROKEN org {org.pk} ({org.display_name}): first bad event #{problem.seq} "
                    f"(id {problem.event_id}): {problem.reason}"
                )
                continue
            with transaction.atomic(), org_scope(org):
                count = AuditEvent.all_tenants.filter(org=org).count()
            anchored = f"checkpoint #{checkpoint.seq} of {checkpoint.taken_at}" if checkpoint else "no checkpoint yet"
            self.stdout.write(f"ok    org {org.pk} ({org.display_name}): {count} events, chain intact ({anchored})")
        if broken:
            raise CommandError(f"{broken} audit chain(s) broken")
