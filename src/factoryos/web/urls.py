from django.urls import path

from factoryos.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("org/switch/", views.org_switch, name="org_switch"),
    path("settings/organization/", views.org_settings, name="org_settings"),
    path("settings/organization/tax-ids/", views.tax_id_add, name="tax_id_add"),
    path("settings/organization/tax-ids/<int:pk>/delete/", views.tax_id_delete, name="tax_id_delete"),
    path("settings/members/", views.member_list, name="member_list"),
    path("settings/members/invite/", views.invitation_create, name="invitation_create"),
    path("settings/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("settings/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("settings/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("settings/roles/", views.role_list, name="role_list"),
    path("settings/roles/<int:pk>/", views.role_detail, name="role_detail"),
    path("settings/roles/<int:pk>/delete/", views.role_delete, name="role_delete"),
    path("settings/api-keys/", views.api_key_list, name="api_key_list"),
    path("settings/api-keys/<int:pk>/revoke/", views.api_key_revoke, name="api_key_revoke"),
    path("control/audit/", views.audit_list, name="audit_list"),
    path("control/audit/export.csv", views.audit_export, name="audit_export"),
    path("control/audit/<int:pk>/", views.audit_detail, name="audit_detail"),
]
