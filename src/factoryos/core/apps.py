from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "factoryos.core"
    label = "core"

    def ready(self) -> None:
        from factoryos.kernel.rls import apply_rls

        # After every migrate: RLS enabled, forced and with its policy on every tenant table (idempotent).
        post_migrate.connect(apply_rls, sender=self, dispatch_uid="factoryos.core.rls")
