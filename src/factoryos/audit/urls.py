from django.urls import path

from factoryos.audit import views

app_name = "audit"
urlpatterns = [
    path("control/audit/", views.AuditList.as_view(), name="audit_list"),
    path("control/audit/export.csv", views.AuditExport.as_view(), name="audit_export"),
    path("control/audit/<int:pk>/", views.AuditDetail.as_view(), name="audit_detail"),
]
