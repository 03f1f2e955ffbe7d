from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organizations (``manage.py seed_demo``): a sheet-metal shop loaded through every app's services."""

    name = "factoryos.demo"
    label = "demo"
