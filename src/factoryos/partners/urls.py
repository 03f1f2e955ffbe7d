from factoryos.partners import views
from factoryos.web.pages import urls

app_name = "partners"
urlpatterns = urls(views)
