from django.urls import include, path

from factoryos.api import api
from factoryos.web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("readyz", web_views.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("factoryos.accounts.urls")),
    path("control/", include("factoryos.facilities.urls")),
    path("control/", include("factoryos.catalog.urls")),
    path("control/", include("factoryos.imports.urls")),
    path("control/", include("factoryos.inventory.urls")),
    path("", include("factoryos.core.urls")),
    path("", include("factoryos.audit.urls")),
    path("", include("factoryos.people.urls")),
]

handler404 = "factoryos.web.errors.not_found"
handler403 = "factoryos.web.errors.forbidden"
