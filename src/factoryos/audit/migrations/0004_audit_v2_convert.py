"""Audit trail v2 (2 of 3, the existing events converted): a keyed MAC chain, and personal details sealed under per-person keys (crypto-shredding).

The existing events are converted in place, organization by organization in sequence order: who acted and from where
(label, IP, browser, referrer: the referrer without its query string) are sealed under the acting person's key; an
event about a person (a user, a membership, an invitation) has its title, changes and metadata sealed under theirs;
then every event is re-chained with the keyed MAC. The append-only trigger is lifted for the conversion only, by the
table owner that runs migrations, inside the migration's transaction.
"""

from django.db import migrations

from factoryos.audit import sealing

PLAIN_ACTOR_FIELDS = ("actor_label", "ip", "user_agent", "browser", "browser_version", "os", "device", "referrer")


def _referrer(value):
    from urllib.parse import urlsplit, urlunsplit

    if not value:
        return ""
    parts = urlsplit(value)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))[:512]


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    PersonKey = apps.get_model("audit", "PersonKey")
    Organization = apps.get_model("core", "Organization")
    Membership = apps.get_model("core", "Membership")
    Invitation = apps.get_model("core", "Invitation")
    postgres = schema_editor.connection.vendor == "postgresql"
    if not AuditEvent.objects.exists() and not postgres:
        return
    keys = {}

    def key_for(subject):
        if subject not in keys:
            row, _ = PersonKey.objects.get_or_create(
                subject=subject, defaults={"wrapped": sealing.new_wrapped_key(subject)}
            )
            keys[subject] = (row, sealing.unwrap_key(subject, row.wrapped))
        return keys[subject]

    mac_key = sealing.keyring().current_id
    with schema_editor.connection.cursor() as cursor:
        if postgres:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        for org in Organization.objects.order_by("pk"):
            if postgres:
                cursor.execute("SELECT set_config('factoryos.org_id', %s, true)", [str(org.pk)])
            prev = "0" * 64
            for event in AuditEvent.objects.filter(org_id=org.pk).order_by("seq"):
                actor_subject = f"user:{event.actor_user_id}" if event.actor_user_id else f"org:{org.pk}"
                row, raw = key_for(actor_subject)
                facts = {f: getattr(event, f) for f in PLAIN_ACTOR_FIELDS}
                facts["label"] = facts.pop("actor_label")
                facts["referrer"] = _referrer(facts["referrer"])
                event.actor_key = row
                event.actor_sealed = sealing.seal_facts(raw, facts, org_id=org.pk, seq=event.seq, part="actor")
                subject = None
                if event.object_type == "accounts.user":
                    subject = f"user:{event.object_id}"
                elif event.object_type == "core.membership":
                    user_id = Membership.objects.filter(pk=event.object_id).values_list("user_id", flat=True).first()
                    subject = f"user:{user_id}" if user_id else None
                elif event.object_type == "core.invitation":
                    email = Invitation.objects.filter(pk=event.object_id).values_list("email", flat=True).first()
                    subject = sealing.email_subject(email) if email else None
                if subject:
                    row, raw = key_for(subject)
                    about = {"repr": event.object_repr_plain, "changes": event.changes_plain}
                    about["metadata"] = event.metadata_plain
                    event.subject_key = row
                    event.subject_sealed = sealing.seal_facts(raw, about, org_id=org.pk, seq=event.seq, part="subject")
                    event.object_repr_plain, event.changes_plain, event.metadata_plain = "", {}, {}
                event.mac_key, event.prev_mac = mac_key, prev
                event.mac = sealing.mac_of(sealing.chain_values(event), mac_key)
                event.save()
                prev = event.mac
        if postgres:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_v2")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
