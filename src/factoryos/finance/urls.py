from factoryos.finance import views
from factoryos.web.pages import urls

app_name = "finance"
urlpatterns = urls(views)
