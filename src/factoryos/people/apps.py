from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "factoryos.people"
    label = "people"
