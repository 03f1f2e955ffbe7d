from django.urls import path

from factoryos.people import views

app_name = "people"
urlpatterns = [
    path("people/", views.employee_list, name="employee_list"),
    path("people/new/", views.employee_create, name="employee_create"),
    path("people/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("people/<int:pk>/edit/", views.employee_edit, name="employee_edit"),
    path("people/<int:pk>/delete/", views.employee_delete, name="employee_delete"),
    path("people/<int:pk>/shifts/", views.shift_assign, name="shift_assign"),
    path("people/shift-assignments/<int:pk>/delete/", views.shift_unassign, name="shift_unassign"),
]
