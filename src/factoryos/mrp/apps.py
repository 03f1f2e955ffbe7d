from django.apps import AppConfig


class MrpConfig(AppConfig):
    name = "factoryos.mrp"
    label = "mrp"
    verbose_name = "MRP"
