from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "factoryos.audit"
    label = "audit"
