from factoryos.books import views
from factoryos.web.pages import urls

app_name = "books"
urlpatterns = urls(views)
