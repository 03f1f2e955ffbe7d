from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "factoryos.core"
    label = "core"

    def ready(self) -> None:
        from factoryos.kernel.dbroles import grant_app_privileges
        from factoryos.kernel.fields import register_encrypted_file
        from factoryos.kernel.rls import apply_rls
        from factoryos.web.context import register_notice

        # After every migrate: RLS enabled, forced and with its policy on every tenant table (idempotent).
        post_migrate.connect(apply_rls, sender=self, dispatch_uid="factoryos.core.rls")
        # ... and, when migrate ran as the owner role, the application role's grants (kernel/dbroles.py).
        post_migrate.connect(grant_app_privileges, sender=self, dispatch_uid="factoryos.core.grants")
        register_notice(invitations_notice)
        register_encrypted_file("core.Organization", "logo")  # rotate_keys re-wraps it


def invitations_notice(request):
    """Members who may manage members hear of invitations still waiting."""
    from django.urls import reverse

    from factoryos.core.models import Invitation
    from factoryos.kernel.access import has_perm

    if not has_perm(request, "members.manage"):
        return None
    pending = Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).count()
    if not pending:
        return None
    text = f"{pending} invitation{'s' if pending != 1 else ''} waiting to be accepted."
    return {"level": "info", "url": reverse("core:member_list"), "text": text}
