from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "factoryos.web"
    label = "web"
