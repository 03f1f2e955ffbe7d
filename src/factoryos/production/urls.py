from factoryos.production import costing_views, estimate_views, views
from factoryos.web.pages import urls

app_name = "production"
urlpatterns = [*urls(views), *urls(costing_views), *urls(estimate_views)]
