from django.urls import path

from factoryos.core import views

app_name = "core"
urlpatterns = [
    path("", views.Home.as_view(), name="home"),
    path("org/switch/", views.OrgSwitch.as_view(), name="org_switch"),
    path("settings/organization/", views.OrgSettings.as_view(), name="org_settings"),
    path("settings/organization/tax-ids/", views.TaxIdAdd.as_view(), name="tax_id_add"),
    path("settings/organization/tax-ids/<int:pk>/delete/", views.TaxIdDelete.as_view(), name="tax_id_delete"),
    path("settings/members/", views.MemberList.as_view(), name="member_list"),
    path("settings/members/invite/", views.InvitationCreate.as_view(), name="invitation_create"),
    path("settings/members/<int:pk>/role/", views.MemberRole.as_view(), name="member_role"),
    path("settings/members/<int:pk>/remove/", views.MemberRemove.as_view(), name="member_remove"),
    path("settings/invitations/<int:pk>/revoke/", views.InvitationRevoke.as_view(), name="invitation_revoke"),
    path("settings/roles/", views.RoleList.as_view(), name="role_list"),
    path("settings/roles/<int:pk>/", views.RoleDetail.as_view(), name="role_detail"),
    path("settings/roles/<int:pk>/delete/", views.RoleDelete.as_view(), name="role_delete"),
]
