from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "factoryos.imports"
    label = "imports"
    verbose_name = "Import / export"

    def ready(self) -> None:
        from factoryos.web.navigation import NavEntry, register

        register(NavEntry("Control", "Import / export", "imports:page", "catalog.view", "swap"))
