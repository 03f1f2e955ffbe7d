from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "factoryos.people"
    label = "people"

    def ready(self) -> None:
        from factoryos.web import navigation

        navigation.register(navigation.NavEntry("Control", "People", "people:employee_list", "people.view", "users"))
