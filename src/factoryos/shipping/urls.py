from factoryos.shipping import views
from factoryos.web.pages import urls

app_name = "shipping"
urlpatterns = urls(views)
