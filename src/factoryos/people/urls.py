from django.urls import path

from factoryos.people import views

app_name = "people"
urlpatterns = [
    path("people/", views.EmployeeList.as_view(), name="employee_list"),
    path("people/new/", views.EmployeeCreate.as_view(), name="employee_create"),
    path("people/<int:pk>/", views.EmployeeDetail.as_view(), name="employee_detail"),
    path("people/<int:pk>/edit/", views.EmployeeEdit.as_view(), name="employee_edit"),
    path("people/<int:pk>/delete/", views.EmployeeDelete.as_view(), name="employee_delete"),
    path("people/<int:pk>/shifts/", views.ShiftAssign.as_view(), name="shift_assign"),
    path("people/shift-assignments/<int:pk>/delete/", views.ShiftUnassign.as_view(), name="shift_unassign"),
]
