from django.urls import path

from factoryos.facilities import views

app_name = "facilities"
urlpatterns = [
    path("sites/", views.SiteList.as_view(), name="site_list"),
    path("sites/new/", views.SiteCreate.as_view(), name="site_create"),
    path("sites/<int:pk>/", views.SiteEdit.as_view(), name="site_edit"),
    path("sites/<int:pk>/calendars/new/", views.CalendarCreate.as_view(), name="calendar_create"),
    path("work-centers/", views.WorkCenterList.as_view(), name="work_center_list"),
    path("work-centers/new/", views.WorkCenterCreate.as_view(), name="work_center_create"),
    path("work-centers/<int:pk>/", views.WorkCenterEdit.as_view(), name="work_center_edit"),
    path("calendars/<int:pk>/", views.CalendarDetail.as_view(), name="calendar_detail"),
    path("calendars/<int:pk>/shifts/", views.ShiftAdd.as_view(), name="shift_add"),
    path("calendars/<int:pk>/holidays/", views.HolidayAdd.as_view(), name="holiday_add"),
    path("calendars/<int:pk>/closures/", views.ClosureAdd.as_view(), name="closure_add"),
    path("shifts/<int:pk>/delete/", views.ShiftDelete.as_view(), name="shift_delete"),
    path("holidays/<int:pk>/delete/", views.HolidayDelete.as_view(), name="holiday_delete"),
    path("closures/<int:pk>/delete/", views.ClosureDelete.as_view(), name="closure_delete"),
]
