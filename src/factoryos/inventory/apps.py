from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "factoryos.inventory"
    label = "inventory"

    def ready(self) -> None:
        from factoryos.inventory.views import ITEM_STOCK_PANEL
        from factoryos.web import panels
        from factoryos.web.navigation import NavEntry, register

        panels.register(ITEM_STOCK_PANEL)  # the item page shows where its stock is

        register(
            NavEntry("Control", "Stock", "inventory:stock_list", "inventory.view", "stock"),
            NavEntry("Control", "Locations", "inventory:location_list", "inventory.view", "pin"),
            NavEntry("Control", "Moves", "inventory:move_list", "inventory.view", "arrows"),
            NavEntry("Control", "Counts", "inventory:count_list", "inventory.view", "clipboard"),
        )
