from django.urls import path

from factoryos.catalog import views

app_name = "catalog"
urlpatterns = [
    path("units/", views.UnitPage.as_view(), name="unit_list"),
    path("units/<int:pk>/delete/", views.UnitDelete.as_view(), name="unit_delete"),
    path("units/conversions/", views.ConversionCreate.as_view(), name="conversion_create"),
    path("units/conversions/<int:pk>/delete/", views.ConversionDelete.as_view(), name="conversion_delete"),
    path("categories/", views.CategoryPage.as_view(), name="category_list"),
    path("categories/<int:pk>/delete/", views.CategoryDelete.as_view(), name="category_delete"),
    path("tags/", views.TagCreate.as_view(), name="tag_create"),
    path("tags/<int:pk>/delete/", views.TagDelete.as_view(), name="tag_delete"),
    path("items/", views.ItemList.as_view(), name="item_list"),
    path("items/new/", views.ItemCreate.as_view(), name="item_create"),
    path("items/<int:pk>/", views.ItemDetail.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.ItemEdit.as_view(), name="item_edit"),
    path("items/<int:pk>/boms/new/", views.ItemBomCreate.as_view(), name="item_bom_create"),
    path("boms/", views.BomList.as_view(), name="bom_list"),
    path("boms/<int:pk>/", views.BomDetail.as_view(), name="bom_detail"),
    path("boms/<int:pk>/release/", views.BomRelease.as_view(), name="bom_release"),
    path("boms/<int:pk>/revise/", views.BomRevise.as_view(), name="bom_revise"),
    path("boms/<int:pk>/components/", views.ComponentPicker.as_view(), name="component_picker"),
    path("items/pick/", views.ItemPicker.as_view(), name="item_picker"),
    path("boms/<int:pk>/lines/", views.BomLineAdd.as_view(), name="bom_line_add"),
    path("boms/<int:pk>/operations/", views.OperationAdd.as_view(), name="operation_add"),
    path("bom-lines/<int:pk>/", views.BomLineEdit.as_view(), name="bom_line_edit"),
    path("bom-lines/<int:pk>/delete/", views.BomLineDelete.as_view(), name="bom_line_delete"),
    path("operations/<int:pk>/delete/", views.OperationDelete.as_view(), name="operation_delete"),
]
