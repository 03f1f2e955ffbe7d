from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "factoryos.finance"
    label = "finance"
