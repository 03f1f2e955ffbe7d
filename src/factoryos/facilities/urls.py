from factoryos.facilities import views
from factoryos.web.pages import urls

app_name = "facilities"
urlpatterns = urls(views)
