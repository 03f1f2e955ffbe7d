from django.urls import path

from factoryos.inventory import views

app_name = "inventory"
urlpatterns = [
    path("locations/", views.LocationList.as_view(), name="location_list"),
    path("locations/new/", views.LocationCreate.as_view(), name="location_create"),
    path("locations/<int:pk>/", views.LocationEdit.as_view(), name="location_edit"),
    path("locations/pick/", views.LocationPicker.as_view(), name="location_picker"),
    path("stock/", views.StockList.as_view(), name="stock_list"),
    path("stock/receive/", views.StockReceive.as_view(), name="stock_receive"),
    path("stock/transfer/", views.StockTransfer.as_view(), name="stock_transfer"),
    path("stock/adjust/", views.StockAdjust.as_view(), name="stock_adjust"),
    path("stock/issue/", views.StockIssue.as_view(), name="stock_issue"),
    path("moves/", views.MoveList.as_view(), name="move_list"),
    path("stock/valuation/", views.Valuation.as_view(), name="valuation"),
    path("stock/reorder/", views.Reorder.as_view(), name="reorder"),
    path("counts/", views.CountList.as_view(), name="count_list"),
    path("counts/new/", views.CountCreate.as_view(), name="count_create"),
    path("counts/<int:pk>/", views.CountDetail.as_view(), name="count_detail"),
    path("counts/<int:pk>/lines/", views.CountLineAdd.as_view(), name="count_line_add"),
    path("counts/<int:pk>/post/", views.CountPost.as_view(), name="count_post"),
    path("count-lines/<int:pk>/", views.CountLineSet.as_view(), name="count_line_set"),
    path("lots/<int:pk>/", views.LotTrace.as_view(), name="lot_trace"),
]
