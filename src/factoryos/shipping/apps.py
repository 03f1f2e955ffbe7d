from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "factoryos.shipping"
    label = "shipping"
