from factoryos.purchasing import views
from factoryos.web.pages import urls

app_name = "purchasing"
urlpatterns = urls(views)
