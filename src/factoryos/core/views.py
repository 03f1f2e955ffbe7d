"""The organization's pages: dashboard, switcher, profile and tax identifiers, members and invitations, roles.
Declared on the shared page layer (web/pages.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.accounts.models import ApiKey
from factoryos.audit import selectors as audit_selectors
from factoryos.core import selectors, services
from factoryos.core.forms import InviteForm, LogoForm, OrganizationForm, RoleForm, TaxIdForm, role_choices
from factoryos.core.middleware import SESSION_ORG_KEY
from factoryos.core.models import Invitation, Membership, Role
from factoryos.kernel import events, images
from factoryos.kernel.events import Action
from factoryos.kernel.permissions import PERMISSIONS, ROLE_PERMISSIONS, BuiltinRole
from factoryos.kernel.reads import LIST, VIEW
from factoryos.web.pages import ActionPage, FormPage, ListPage, Page, error_status, render, route, submit
from factoryos.web.tables import Column


# -- dashboard and organization switch ----------------------------------------------------------------------------
@route("", "home")
class Home(Page):
    """Any member's dashboard: counts, their sign-in security, their own recent account activity."""

    template = "core/home.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(
            {
                "member_count": Membership.objects.filter(is_active=True).count(),
                "pending_invitations": Invitation.objects.filter(
                    accepted_at__isnull=True, revoked_at__isnull=True
                ).count(),
                "mfa_enabled": request.user.authenticator_set.filter(type="totp").exists(),  # type: ignore[union-attr]
                "recent_activity": audit_selectors.account_activity(request.user.pk)[:5],
                "api_key_count": ApiKey.objects.filter(revoked_at__isnull=True).count(),
            }
        )


@route("org/switch/", "org_switch")
class OrgSwitch(Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        wanted = request.POST.get("org", "")
        target = next((m for m in request.memberships if str(m.org_id) == wanted), None)  # type: ignore[attr-defined]
        if target is None:
            return render(request, "web/not_found.html", {}, status=404)
        request.session[SESSION_ORG_KEY] = target.org_id
        messages.success(request, f"Switched to {target.org.display_name}.")
        return redirect("core:home")


# -- organization profile and tax identifiers ----------------------------------------------------------------------
def _profile_form(request: HttpRequest) -> OrganizationForm:
    """The profile form as saved, for a settings page answered after another form on it was refused."""
    org = request.org  # type: ignore[attr-defined]
    return OrganizationForm(initial={f: getattr(org, f) for f in OrganizationForm.base_fields})


def _tax_context(request: HttpRequest, tax_form: TaxIdForm | None = None) -> dict[str, Any]:
    return {
        "tax_form": tax_form or TaxIdForm(initial={"country": request.org.country}),  # type: ignore[attr-defined]
        "tax_ids": list(selectors.tax_ids.all()),
    }


@route("settings/organization/", "org_settings", menu=("Settings", "Organization", "building"))
class OrgSettings(FormPage):
    """The organization's profile (a VIEW of it) and its tax identifiers; POST saves the profile."""

    permission, write_permission, reads = "org.view", "org.edit", VIEW
    form_class, service = OrganizationForm, services.organization_update
    template = "core/org_settings.html"
    success_url, success_message = "core:org_settings", "Organization saved."

    def load(self, pk: int | None, *, record: bool) -> None:
        self.object = self.request.org  # type: ignore[attr-defined]
        if record:
            events.record(action=Action.VIEW, actor=self.actor, obj=self.object)

    def call(self, form: Any) -> Any:
        return services.organization_update(actor=self.actor, org=self.object, **form.cleaned_data)

    def get_context(self, form: Any) -> dict[str, Any]:
        return {**_tax_context(self.request), "logo_form": LogoForm()}


@route("settings/organization/logo/", "org_logo_upload")
class OrgLogoUpload(Page):
    """A new logo for the documents: checked by its content and re-encoded (no metadata), stored encrypted."""

    http_method_names = ["post"]
    permission = "org.edit"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LogoForm(request.POST, request.FILES)
        org = request.org  # type: ignore[attr-defined]
        upload = lambda: services.organization_logo_set(actor=self.actor, org=org, upload=form.cleaned_data["logo"])  # noqa: E731
        _org, failure = submit(form, upload)
        if failure is None:
            messages.success(request, "Logo saved: the next documents print it.")
            return redirect("core:org_settings")
        # The refusal shows on the logo's own field, beside the panel it came from.
        context = {**_tax_context(request), "form": _profile_form(request), "logo_form": form}
        return render(request, "core/org_settings.html", context, status=error_status(failure))


@route("settings/organization/logo/remove/", "org_logo_remove")
class OrgLogoRemove(Page):
    http_method_names = ["post"]
    permission = "org.edit"

    def post(self, request: HttpRequest) -> HttpResponse:
        services.organization_logo_remove(actor=self.actor, org=request.org)  # type: ignore[attr-defined]
        messages.success(request, "Logo removed.")
        return redirect("core:org_settings")


@route("settings/organization/logo.img", "org_logo")
class OrgLogo(Page):
    """The logo itself, for the settings page (the documents embed it themselves)."""

    permission = "org.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        return images.response(request.org.logo)  # type: ignore[attr-defined]


@route("settings/organization/tax-ids/", "tax_id_add")
class TaxIdAdd(Page):
    """Add a tax identifier: htmx refreshes the identifiers' panel; a refusal shows on the add form."""

    http_method_names = ["post"]
    permission = "org.edit"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TaxIdForm(request.POST)
        _tax_id, failure = submit(form, lambda: services.tax_id_create(actor=self.actor, **form.cleaned_data))
        if failure is None and not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, "Tax identifier added.")
            return redirect("core:org_settings")
        context = _tax_context(request, form if failure is not None else None)
        if not request.htmx:  # type: ignore[attr-defined]
            context.update(form=_profile_form(request), logo_form=LogoForm())
        status = error_status(failure) if failure is not None else 200
        return render(request, "core/org_settings.html", context, partial="core/partials/tax_ids.html", status=status)


@route("settings/organization/tax-ids/<int:pk>/delete/", "tax_id_delete")
class TaxIdDelete(ActionPage):
    permission, reader, service = "org.edit", selectors.tax_ids, services.tax_id_delete

    def target(self, obj: Any, result: Any) -> HttpResponse:
        if self.request.htmx:  # type: ignore[attr-defined]
            return render(self.request, "core/partials/tax_ids.html", _tax_context(self.request))
        messages.success(self.request, "Tax identifier removed.")
        return redirect("core:org_settings")


# -- members, invitations, roles ----------------------------------------------------------------------------------
@route("settings/members/", "member_list", menu=("Settings", "Members", "users"))
class MemberList(ListPage):
    """The members (searchable, in place), and for managers the invitation form and the pending invitations."""

    permission = "members.view"
    reader = selectors.members
    columns = [
        Column("name", "Name"),
        Column("email", "Email", ("user__email",)),
        Column("role", "Role"),
        Column("joined", "Joined", ("joined_at",)),
    ]
    default_sort = "email"
    filter_fields = ("q",)
    template, partial, table_id = "core/members.html", "core/partials/member_table.html", "member-table"
    invite_form: InviteForm | None = None

    def get_context(self, listing: Any) -> dict[str, Any]:
        custom_roles = list(Role.objects.all())
        pending = Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        return {
            "role_choices": role_choices(custom_roles),
            "invite_form": self.invite_form or InviteForm(custom_roles=custom_roles),
            "invitations": pending.select_related("custom_role"),
        }


@route("settings/members/invite/", "invitation_create")
class InvitationCreate(Page):
    http_method_names = ["post"]
    permission = "members.manage"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InviteForm(request.POST, custom_roles=list(Role.objects.all()))
        invitation, failure = submit(
            form,
            lambda: services.invitation_create(
                actor=self.actor, base_url=request.build_absolute_uri("/"), **form.cleaned_data
            ),
        )
        if failure is None:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("core:member_list")
        page = MemberList(invite_form=form)
        page.setup(request)
        return page.render(page.list_context(record=False), status=400)


@route("settings/invitations/<int:pk>/revoke/", "invitation_revoke")
class InvitationRevoke(ActionPage):
    permission, reader, redirect_to = "members.manage", selectors.invitations, "core:member_list"
    service, success_message = services.invitation_revoke, "Invitation to {object.email} revoked."


@route("settings/members/<int:pk>/role/", "member_role")
class MemberRole(ActionPage):
    permission, reader, redirect_to = "members.manage", selectors.members, "core:member_list"
    success_message = "{object.user.email} is now {result.role_label}."

    def call(self, obj: Any) -> Any:
        return services.membership_change_role(actor=self.actor, obj=obj, role=self.request.POST.get("role", ""))


@route("settings/members/<int:pk>/remove/", "member_remove")
class MemberRemove(ActionPage):
    permission, reader, redirect_to = "members.manage", selectors.members, "core:member_list"
    service, success_message = services.membership_remove, "{object.user.email} was removed from the organization."


@route("settings/roles/", "role_list", menu=("Settings", "Roles", "key"))
class RoleList(FormPage):
    """The custom roles (a LIST) and the built-in ones; POST creates a custom role."""

    permission, write_permission, reads = "members.view", "members.manage", LIST
    form_class, service = RoleForm, services.role_create
    template = "core/roles.html"
    success_url, success_message = "core:role_list", "Role {result.name} created."

    def get_context(self, form: Any) -> dict[str, Any]:
        roles = self.rows(selectors.roles)
        builtin = [{"name": r.label, "permissions": sorted(ROLE_PERMISSIONS[r])} for r in BuiltinRole]
        return {"builtin": builtin, "roles": roles, "permission_labels": PERMISSIONS}


@route("settings/roles/<int:pk>/", "role_detail")
class RoleDetail(FormPage):
    permission, write_permission = "members.view", "members.manage"
    reader = selectors.roles
    form_class, service = RoleForm, services.role_update
    template = "core/role_detail.html"
    success_url, success_message = "core:role_list", "Role {result.name} saved."


@route("settings/roles/<int:pk>/delete/", "role_delete")
class RoleDelete(ActionPage):
    permission, reader, redirect_to = "members.manage", selectors.roles, "core:role_list"
    service, success_message = services.role_delete, "Role {object.name} deleted."
