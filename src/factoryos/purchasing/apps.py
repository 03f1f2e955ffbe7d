from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "factoryos.purchasing"
    label = "purchasing"
