from factoryos.catalog import views
from factoryos.web.pages import urls

app_name = "catalog"
urlpatterns = urls(views)
