from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "factoryos.production"
    label = "production"
