from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "factoryos.sales"
    label = "sales"
