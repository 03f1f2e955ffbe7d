from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "factoryos.imports"
    label = "imports"
    verbose_name = "Import / export"
