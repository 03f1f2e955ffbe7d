from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "factoryos.catalog"
    label = "catalog"

    def ready(self) -> None:
        from factoryos.web.navigation import NavEntry, register

        register(
            NavEntry("Control", "Items", "catalog:item_list", "catalog.view", "box"),
            NavEntry("Control", "BOMs", "catalog:bom_list", "catalog.view", "layers"),
            NavEntry("Control", "Units", "catalog:unit_list", "catalog.view", "ruler"),
        )
