from django.urls import path

from factoryos.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.Profile.as_view(), name="profile"),
    path("profile/photo/", views.PhotoUpload.as_view(), name="photo_upload"),
    path("profile/photo.img", views.photo, name="photo"),
    path("profile/activity/", views.activity, name="activity"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("settings/api-keys/", views.ApiKeyList.as_view(), name="api_key_list"),
    path("settings/api-keys/<int:pk>/revoke/", views.ApiKeyRevoke.as_view(), name="api_key_revoke"),
]
