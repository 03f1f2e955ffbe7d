from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "factoryos.audit"
    label = "audit"

    def ready(self) -> None:
        from factoryos.audit import services
        from factoryos.kernel import events
        from factoryos.web.navigation import NavEntry, register

        events.install(services.record)  # every event of every app goes into the chain (see kernel/events.py)
        register(NavEntry("Control", "Audit trail", "audit:audit_list", "audit.view", "shield"))
