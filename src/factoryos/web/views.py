"""Platform pages: dashboard, organization settings, members and roles, API keys, audit trail, health."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factoryos.accounts import services as account_services
from factoryos.accounts.models import ApiKey, ApiKeyScope
from factoryos.audit import selectors as audit_selectors
from factoryos.audit.models import AuditEvent
from factoryos.core import selectors as member_selectors
from factoryos.core import services
from factoryos.core.middleware import SESSION_ORG_KEY
from factoryos.core.models import Invitation, Membership, Role, TaxIdentifier
from factoryos.kernel import events
from factoryos.kernel.access import check
from factoryos.kernel.errors import DomainError, field_errors
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.events import Action
from factoryos.kernel.permissions import PERMISSIONS, ROLE_PERMISSIONS, BuiltinRole, Module
from factoryos.web.decorators import member_view, render_page
from factoryos.web.forms import (
    ApiKeyForm,
    AuditFilterForm,
    InviteForm,
    OrganizationForm,
    RoleForm,
    TaxIdForm,
    role_choices,
)

PAGE_SIZE = 50


def apply_errors(form, exc: ValidationError | DomainError) -> None:
    """Put a service's errors on the form fields they name (unknown names go to the form as a whole)."""
    for item in field_errors(exc):
        form.add_error(item.field if item.field in form.fields else None, item.message)


# -- health --------------------------------------------------------------------------------------------------------
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any database failure means not ready
        return JsonResponse({"status": "unavailable", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


# -- dashboard and organization switch ----------------------------------------------------------------------------
@member_view()
def home(request):
    user = request.user
    context = {
        "member_count": Membership.objects.filter(is_active=True).count(),
        "pending_invitations": Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).count(),
        "mfa_enabled": user.authenticator_set.filter(type="totp").exists(),
        "recent_activity": audit_selectors.account_activity(user.pk)[:5],
        "api_key_count": ApiKey.objects.filter(revoked_at__isnull=True).count(),
    }
    return render_page(request, "web/home.html", context)


@require_POST
@member_view()
def org_switch(request):
    wanted = request.POST.get("org", "")
    target = next((m for m in request.memberships if str(m.org_id) == wanted), None)
    if target is None:
        return render_page(request, "web/not_found.html", {}, status=404)
    request.session[SESSION_ORG_KEY] = target.org_id
    messages.success(request, f"Switched to {target.org.display_name}.")
    return redirect("web:home")


# -- organization -------------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@member_view("org.view")
def org_settings(request):
    org = request.org
    form = OrganizationForm(initial={f: getattr(org, f) for f in OrganizationForm.base_fields})
    if request.method == "POST":
        check(request, "org.edit")
        form = OrganizationForm(request.POST)
        if form.is_valid():
            try:
                services.organization_update(actor=request.membership, org=org, **form.cleaned_data)
            except (ValidationError, DomainError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Organization saved.")
                return redirect("web:org_settings")
    context = {
        "form": form,
        "tax_form": TaxIdForm(initial={"country": org.country}),
        "tax_ids": TaxIdentifier.objects.all(),
    }
    return render_page(request, "web/org_settings.html", context, status=400 if form.errors else 200)


@require_POST
@member_view("org.edit")
def tax_id_add(request):
    form = TaxIdForm(request.POST)
    if form.is_valid():
        try:
            services.tax_id_create(actor=request.membership, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
    context = {
        "tax_form": form if form.errors else TaxIdForm(initial={"country": request.org.country}),
        "tax_ids": TaxIdentifier.objects.all(),
    }
    if not form.errors and not request.htmx:
        messages.success(request, "Tax identifier added.")
        return redirect("web:org_settings")
    if not request.htmx:
        context["form"] = OrganizationForm(initial={f: getattr(request.org, f) for f in OrganizationForm.base_fields})
    return render_page(
        request,
        "web/org_settings.html",
        context,
        partial="web/partials/tax_ids.html",
        status=400 if form.errors else 200,
    )


@require_POST
@member_view("org.edit")
def tax_id_delete(request, pk: int):
    services.tax_id_delete(actor=request.membership, tax_id=get_object_or_404(TaxIdentifier.objects, pk=pk))
    if request.htmx:
        return render_page(
            request,
            "web/partials/tax_ids.html",
            {"tax_ids": TaxIdentifier.objects.all(), "tax_form": TaxIdForm(initial={"country": request.org.country})},
        )
    messages.success(request, "Tax identifier removed.")
    return redirect("web:org_settings")


# -- members, invitations, roles ----------------------------------------------------------------------------------
def _members_context(request, invite_form=None) -> dict:
    custom_roles = list(Role.objects.all())
    q = request.GET.get("q", "").strip()
    page = Paginator(member_selectors.members(q).order_by("user__email"), PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "q": q,
        "role_choices": role_choices(custom_roles),
        "invite_form": invite_form or InviteForm(custom_roles=custom_roles),
        "invitations": Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related(
            "custom_role"
        ),
    }


@require_GET
@member_view("members.view")
def member_list(request):
    context = _members_context(request)
    events.record_list(
        object_type="core.membership", criteria={"q": context["q"]}, count=context["page"].paginator.count
    )
    return render_page(request, "web/members.html", context, partial="web/partials/member_table.html")


@require_POST
@member_view("members.manage")
def invitation_create(request):
    form = InviteForm(request.POST, custom_roles=list(Role.objects.all()))
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.membership, base_url=request.build_absolute_uri("/"), **form.cleaned_data
            )
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("web:member_list")
    return render_page(request, "web/members.html", _members_context(request, form), status=400)


@require_POST
@member_view("members.manage")
def invitation_revoke(request, pk: int):
    invitation = get_object_or_404(Invitation.objects, pk=pk)
    try:
        services.invitation_revoke(actor=request.membership, invitation=invitation)
        messages.success(request, f"Invitation to {invitation.email} revoked.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:member_list")


@require_POST
@member_view("members.manage")
def member_role(request, pk: int):
    member = get_object_or_404(Membership.objects, pk=pk, is_active=True)
    try:
        services.membership_change_role(actor=request.membership, membership=member, role=request.POST.get("role", ""))
        messages.success(request, f"{member.user.email} is now {member.role_label}.")
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_messages(exc))
    return redirect("web:member_list")


@require_POST
@member_view("members.manage")
def member_remove(request, pk: int):
    member = get_object_or_404(Membership.objects.select_related("user"), pk=pk, is_active=True)
    try:
        services.membership_remove(actor=request.membership, membership=member)
        messages.success(request, f"{member.user.email} was removed from the organization.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:member_list")


@require_http_methods(["GET", "POST"])
@member_view("members.view")
def role_list(request):
    form = RoleForm()
    if request.method == "POST":
        check(request, "members.manage")
        form = RoleForm(request.POST)
        if form.is_valid():
            try:
                role = services.role_create(actor=request.membership, **form.cleaned_data)
            except (ValidationError, DomainError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Role {role.name} created.")
                return redirect("web:role_list")
    builtin = [{"name": r.label, "permissions": sorted(ROLE_PERMISSIONS[r])} for r in BuiltinRole]
    context = {"builtin": builtin, "roles": Role.objects.all(), "form": form, "permission_labels": PERMISSIONS}
    return render_page(request, "web/roles.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_view("members.view")
def role_detail(request, pk: int):
    role = get_object_or_404(Role.objects, pk=pk)
    form = RoleForm(initial={"name": role.name, "description": role.description, "permissions": role.permissions})
    if request.method == "GET":
        events.record(action=Action.VIEW, obj=role)
    if request.method == "POST":
        check(request, "members.manage")
        form = RoleForm(request.POST)
        if form.is_valid():
            try:
                services.role_update(actor=request.membership, role=role, **form.cleaned_data)
            except (ValidationError, DomainError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Role {role.name} saved.")
                return redirect("web:role_list")
    return render_page(
        request, "web/role_detail.html", {"role": role, "form": form}, status=400 if form.errors else 200
    )


@require_POST
@member_view("members.manage")
def role_delete(request, pk: int):
    role = get_object_or_404(Role.objects, pk=pk)
    try:
        services.role_delete(actor=request.membership, role=role)
        messages.success(request, f"Role {role.name} deleted.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:role_list")


# -- API keys -----------------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@member_view("apikeys.manage")
def api_key_list(request):
    form = ApiKeyForm()
    token = None
    if request.method == "POST":
        form = ApiKeyForm(request.POST)
        scopes = {m: request.POST.get(f"scope_{m}") for m in Module.values if request.POST.get(f"scope_{m}")}
        if form.is_valid():
            try:
                _, token = account_services.api_key_create(
                    actor=request.membership, name=form.cleaned_data["name"], scopes=scopes
                )
            except (ValidationError, DomainError) as exc:
                apply_errors(form, exc)
            else:
                form = ApiKeyForm()
    context = {
        "form": form,
        "token": token,
        "modules": Module.choices,
        "scope_choices": ApiKeyScope.choices,
        "keys": ApiKey.objects.select_related("created_by__user"),
    }
    return render_page(request, "web/api_keys.html", context, status=400 if form.errors else 200)


@require_POST
@member_view("apikeys.manage")
def api_key_revoke(request, pk: int):
    key = get_object_or_404(ApiKey.objects, pk=pk)
    try:
        account_services.api_key_revoke(actor=request.membership, key=key)
        messages.success(request, f"Key {key.name} revoked: it stops working now.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:api_key_list")


# -- audit trail --------------------------------------------------------------------------------------------------
def _audit_filtered(request):
    form = AuditFilterForm(request.GET or None)
    criteria = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    return form, criteria


@require_GET
@member_view("audit.view")
def audit_list(request):
    form, criteria = _audit_filtered(request)
    page = Paginator(audit_selectors.events(**criteria), PAGE_SIZE).get_page(request.GET.get("page"))
    events.record_list(object_type="audit.auditevent", criteria=criteria, count=page.paginator.count)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "object_types": audit_selectors.object_types()}
    return render_page(request, "web/audit_list.html", context, partial="web/partials/audit_table.html")


@require_GET
@member_view("audit.view")
def audit_detail(request, pk: int):
    event = get_object_or_404(AuditEvent.objects, pk=pk)
    return render_page(request, "web/audit_detail.html", {"event": event})


@require_GET
@member_view("audit.view")
def audit_export(request):
    _, criteria = _audit_filtered(request)
    qs = audit_selectors.events(**criteria)
    body = audit_selectors.to_csv(qs)
    events.record_list(
        action=Action.EXPORT, object_type="audit.auditevent", criteria=criteria, count=qs.count(), format="csv"
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
