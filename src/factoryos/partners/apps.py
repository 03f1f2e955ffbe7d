from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "factoryos.partners"
    label = "partners"

    def ready(self) -> None:
        from factoryos.partners.views import ITEM_SUPPLIERS_PANEL
        from factoryos.web import panels

        panels.register(ITEM_SUPPLIERS_PANEL)  # the item page shows who sells it and at what prices
