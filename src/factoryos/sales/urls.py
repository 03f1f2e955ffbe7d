from factoryos.sales import views
from factoryos.web.pages import urls

app_name = "sales"
urlpatterns = urls(views)
