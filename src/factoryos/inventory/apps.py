from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "factoryos.inventory"
    label = "inventory"

    def ready(self) -> None:
        from factoryos.inventory.views import ITEM_STOCK_PANEL
        from factoryos.web import panels

        panels.register(ITEM_STOCK_PANEL)  # the item page shows where its stock is
