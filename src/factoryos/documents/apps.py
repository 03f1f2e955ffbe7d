from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "factoryos.documents"
    label = "documents"
