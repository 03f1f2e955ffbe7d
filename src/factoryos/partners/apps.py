from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "factoryos.partners"
    label = "partners"
