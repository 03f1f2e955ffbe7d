from factoryos.documents import views
from factoryos.web.pages import urls

app_name = "documents"
urlpatterns = urls(views)
