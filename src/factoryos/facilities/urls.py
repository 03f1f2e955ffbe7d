from django.urls import path

from factoryos.facilities import views

app_name = "facilities"
urlpatterns = [
    path("sites/", views.site_list, name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site_edit, name="site_edit"),
    path("sites/<int:pk>/calendars/new/", views.calendar_create, name="calendar_create"),
    path("work-centers/", views.work_center_list, name="work_center_list"),
    path("work-centers/new/", views.work_center_create, name="work_center_create"),
    path("work-centers/<int:pk>/", views.work_center_edit, name="work_center_edit"),
    path("calendars/<int:pk>/", views.calendar_detail, name="calendar_detail"),
    path("calendars/<int:pk>/shifts/", views.shift_add, name="shift_add"),
    path("calendars/<int:pk>/holidays/", views.holiday_add, name="holiday_add"),
    path("calendars/<int:pk>/closures/", views.closure_add, name="closure_add"),
    path("shifts/<int:pk>/delete/", views.shift_delete, name="shift_delete"),
    path("holidays/<int:pk>/delete/", views.holiday_delete, name="holiday_delete"),
    path("closures/<int:pk>/delete/", views.closure_delete, name="closure_delete"),
]
