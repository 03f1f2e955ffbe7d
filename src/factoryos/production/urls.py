from factoryos.production import views
from factoryos.web.pages import urls

app_name = "production"
urlpatterns = urls(views)
