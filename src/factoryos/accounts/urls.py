from django.urls import path

from factoryos.accounts import views
from factoryos.web.pages import urls

app_name = "accounts"
urlpatterns = [
    *urls(views),
    path("profile/photo.img", views.photo, name="photo"),
    path("profile/activity/", views.activity, name="activity"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
