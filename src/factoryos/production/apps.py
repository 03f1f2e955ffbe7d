from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "factoryos.production"
    label = "production"

    def ready(self) -> None:
        from factoryos.production.estimate_views import ROUTING_TIMES_COLUMN
        from factoryos.web import panels

        panels.register(ROUTING_TIMES_COLUMN)  # the BOM editor's routing shows the times the floor suggests
