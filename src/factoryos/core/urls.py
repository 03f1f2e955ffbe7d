from factoryos.core import views
from factoryos.web.pages import urls

app_name = "core"
urlpatterns = urls(views)
