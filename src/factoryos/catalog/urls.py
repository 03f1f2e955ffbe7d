from django.urls import path

from factoryos.catalog import views

app_name = "catalog"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("units/conversions/", views.conversion_create, name="conversion_create"),
    path("units/conversions/<int:pk>/delete/", views.conversion_delete, name="conversion_delete"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/<int:pk>/delete/", views.category_delete, name="category_delete"),
    path("tags/", views.tag_create, name="tag_create"),
    path("tags/<int:pk>/delete/", views.tag_delete, name="tag_delete"),
    path("items/", views.item_list, name="item_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/boms/new/", views.item_bom_create, name="item_bom_create"),
    path("boms/", views.bom_list, name="bom_list"),
    path("boms/<int:pk>/", views.bom_detail, name="bom_detail"),
    path("boms/<int:pk>/release/", views.bom_release, name="bom_release"),
    path("boms/<int:pk>/revise/", views.bom_revise, name="bom_revise"),
    path("boms/<int:pk>/components/", views.component_options, name="component_options"),
    path("boms/<int:pk>/lines/", views.bom_line_add, name="bom_line_add"),
    path("boms/<int:pk>/operations/", views.operation_add, name="operation_add"),
    path("bom-lines/<int:pk>/", views.bom_line_edit, name="bom_line_edit"),
    path("bom-lines/<int:pk>/delete/", views.bom_line_delete, name="bom_line_delete"),
    path("operations/<int:pk>/delete/", views.operation_delete, name="operation_delete"),
]
