from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "factoryos.inventory"
    label = "inventory"
