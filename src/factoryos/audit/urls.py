from factoryos.audit import views
from factoryos.web.pages import urls

app_name = "audit"
urlpatterns = urls(views)
