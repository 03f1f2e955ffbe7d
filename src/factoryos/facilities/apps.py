from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "factoryos.facilities"
    label = "facilities"
