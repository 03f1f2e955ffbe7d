from django.urls import include, path

from factoryos.api import api
from factoryos.web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("readyz", web_views.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    # The apps, in the order their pages appear in the navigation (each section lists its pages in this order).
    path("", include("factoryos.partners.urls")),
    path("sell/", include("factoryos.sales.urls")),
    path("make/", include("factoryos.production.urls")),
    path("plan/", include("factoryos.mrp.urls")),
    path("ship/", include("factoryos.shipping.urls")),
    path("buy/", include("factoryos.purchasing.urls")),
    path("book/", include("factoryos.books.urls")),
    path("book/", include("factoryos.finance.urls")),
    path("", include("factoryos.documents.urls")),
    path("", include("factoryos.audit.urls")),
    path("control/", include("factoryos.facilities.urls")),
    path("control/", include("factoryos.catalog.urls")),
    path("", include("factoryos.people.urls")),
    path("control/", include("factoryos.inventory.urls")),
    path("control/", include("factoryos.imports.urls")),
    path("", include("factoryos.core.urls")),
    path("", include("factoryos.accounts.urls")),
]

handler404 = "factoryos.web.errors.not_found"
handler403 = "factoryos.web.errors.forbidden"
