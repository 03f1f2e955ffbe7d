from factoryos.mrp import views
from factoryos.web.pages import urls

app_name = "mrp"
urlpatterns = urls(views)
