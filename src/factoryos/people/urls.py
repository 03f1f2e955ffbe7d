from factoryos.people import views
from factoryos.web.pages import urls

app_name = "people"
urlpatterns = urls(views)
