from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "factoryos.facilities"
    label = "facilities"

    def ready(self) -> None:
        from factoryos.web.navigation import NavEntry, register

        register(
            NavEntry("Control", "Sites", "facilities:site_list", "facilities.view", "factory"),
            NavEntry("Control", "Work centers", "facilities:work_center_list", "facilities.view", "gauge"),
        )
