from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "factoryos.catalog"
    label = "catalog"
