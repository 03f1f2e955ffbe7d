from django.urls import path

from factoryos.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/photo/", views.photo_upload, name="photo_upload"),
    path("profile/photo.img", views.photo, name="photo"),
    path("profile/activity/", views.activity, name="activity"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
