from factoryos.inventory import views
from factoryos.web.pages import urls

app_name = "inventory"
urlpatterns = urls(views)
