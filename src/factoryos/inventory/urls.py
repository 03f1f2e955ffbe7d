from django.urls import path

from factoryos.inventory import views

app_name = "inventory"
urlpatterns = [
    path("locations/", views.location_list, name="location_list"),
    path("locations/new/", views.location_create, name="location_create"),
    path("locations/<int:pk>/", views.location_edit, name="location_edit"),
    path("stock/", views.stock_list, name="stock_list"),
    path("stock/receive/", views.stock_receive, name="stock_receive"),
    path("stock/transfer/", views.stock_transfer, name="stock_transfer"),
    path("stock/adjust/", views.stock_adjust, name="stock_adjust"),
    path("stock/issue/", views.stock_issue, name="stock_issue"),
    path("moves/", views.move_list, name="move_list"),
    path("stock/valuation/", views.valuation, name="valuation"),
    path("stock/reorder/", views.reorder, name="reorder"),
    path("counts/", views.count_list, name="count_list"),
    path("counts/new/", views.count_create, name="count_create"),
    path("counts/<int:pk>/", views.count_detail, name="count_detail"),
    path("counts/<int:pk>/lines/", views.count_line_add, name="count_line_add"),
    path("counts/<int:pk>/post/", views.count_post, name="count_post"),
    path("count-lines/<int:pk>/", views.count_line_set, name="count_line_set"),
    path("lots/<int:pk>/", views.lot_trace, name="lot_trace"),
]
