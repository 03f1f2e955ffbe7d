"""The person's own pages (profile, photo, account activity: their own data, not the organization's, so their
reads record nothing), accepting an invitation, and the organization's API keys."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from factoryos.accounts import selectors, services
from factoryos.accounts.forms import ApiKeyForm, InvitationSignupForm, PhotoForm, ProfileForm
from factoryos.accounts.models import ApiKeyScope, User
from factoryos.audit import selectors as audit_selectors
from factoryos.core import services as core_services
from factoryos.core.middleware import SESSION_ORG_KEY
from factoryos.kernel import images
from factoryos.kernel.errors import DomainError
from factoryos.kernel.permissions import Module
from factoryos.kernel.reads import LIST, NOTHING
from factoryos.web.pages import ActionPage, FormPage, Page, apply_errors, member_view, route, submit


@route("profile/", "profile")
class Profile(FormPage):
    """The person's own profile: every field round-trips; the phone is stored encrypted."""

    form_class, template = ProfileForm, "accounts/profile.html"
    success_url, success_message = "accounts:profile", "Profile saved."

    def get_initial(self) -> dict[str, Any]:
        user = self.request.user
        return {name: getattr(user, name) or "" for name in ProfileForm.base_fields}

    def call(self, form: Any) -> Any:
        return services.profile_update(user=self.request.user, **form.cleaned_data)

    def get_context(self, form: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "photo_form": PhotoForm(),
            "devices": user.devices.all()[:10],  # type: ignore[union-attr]
            "mfa_enabled": user.authenticator_set.filter(type="totp").exists(),  # type: ignore[union-attr]
        }


@route("profile/photo/", "photo_upload")
class PhotoUpload(Page):
    """A new profile photo: checked by its content and re-encoded (no metadata), stored encrypted."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PhotoForm(request.POST, request.FILES)
        _user, failure = submit(
            form, lambda: services.profile_photo_set(user=request.user, upload=form.cleaned_data["photo"])
        )
        if failure is None:
            messages.success(request, "Photo updated.")
        for error in form.errors.get("photo", []):
            messages.error(request, error)
        return redirect("accounts:profile")


@require_GET
@member_view(reads=NOTHING)
def photo(request):
    return images.response(request.user.photo)


@require_GET
@member_view(reads=NOTHING)
def activity(request):
    page = Paginator(audit_selectors.account_activity(request.user.pk), 50).get_page(request.GET.get("page"))
    context = {"page": page, "devices": request.user.devices.all(), "previous_label": "Newer", "next_label": "Older"}
    return render(request, "accounts/activity.html", context)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """Accept an invitation: a logged-in invitee joins; a new person signs up (18+) and joins; others log in."""
    try:
        invitation = core_services.invitation_from_token(token)
    except DomainError as exc:
        return render(request, "accounts/invitation_invalid.html", {"message": exc.message}, status=400)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    context = {"invitation": invitation, "org": invitation.org, "existing": existing}
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                core_services.invitation_accept(invitation=invitation, user=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
                return render(request, "accounts/invitation_accept.html", context, status=400)
            request.session[SESSION_ORG_KEY] = invitation.org_id
            messages.success(request, f"Welcome to {invitation.org.display_name}.")
            return redirect("core:home")
        return render(request, "accounts/invitation_accept.html", context)
    if existing is not None:
        return render(request, "accounts/invitation_accept.html", context)
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = services.invited_user_create(
                    email=invitation.email,
                    password=form.cleaned_data["password1"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
                core_services.invitation_accept(invitation=invitation, user=user)
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            request.session[SESSION_ORG_KEY] = invitation.org_id
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            request.session[SESSION_ORG_KEY] = invitation.org_id
            messages.success(request, f"Welcome to {invitation.org.display_name}.")
            return redirect("core:home")
    context["form"] = form
    return render(request, "accounts/invitation_signup.html", context, status=400 if form.errors else 200)


# -- the organization's API keys --------------------------------------------------------------------------------------
@route("settings/api-keys/", "api_key_list", menu=("Settings", "API keys", "plug"))
class ApiKeyList(FormPage):
    """The organization's keys (a LIST); POST creates one and shows its token once, on this page."""

    permission, reads = "apikeys.manage", LIST
    form_class, template = ApiKeyForm, "accounts/api_keys.html"
    token = None

    def call(self, form: Any) -> Any:
        posted = self.request.POST
        scopes = {m: posted.get(f"scope_{m}") for m in Module.values if posted.get(f"scope_{m}")}
        return services.api_key_create(actor=self.actor, name=form.cleaned_data["name"], scopes=scopes)

    def succeeded(self, result: Any) -> HttpResponse:
        _key, self.token = result
        return self.respond(ApiKeyForm())

    def get_context(self, form: Any) -> dict[str, Any]:
        keys = self.rows(selectors.api_keys)
        return {"token": self.token, "modules": Module.choices, "scope_choices": ApiKeyScope.choices, "keys": keys}


@route("settings/api-keys/<int:pk>/revoke/", "api_key_revoke")
class ApiKeyRevoke(ActionPage):
    permission, reader, redirect_to = "apikeys.manage", selectors.api_keys, "accounts:api_key_list"
    service, success_message = services.api_key_revoke, "Key {object.name} revoked: it stops working now."
