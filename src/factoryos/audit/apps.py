from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "factoryos.audit"
    label = "audit"

    def ready(self) -> None:
        from factoryos.audit import services
        from factoryos.kernel import events

        events.install(services.record)  # every event of every app goes into the chain (see kernel/events.py)
