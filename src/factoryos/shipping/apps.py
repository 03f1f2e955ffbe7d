from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "factoryos.shipping"
    label = "shipping"

    def ready(self) -> None:
        from factoryos.shipping.views import ORDER_SHIPMENTS_PANEL
        from factoryos.web import panels

        panels.register(ORDER_SHIPMENTS_PANEL)  # the sales order page shows its shipments and a Ship button
