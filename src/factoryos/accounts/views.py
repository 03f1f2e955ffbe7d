"""The person's own pages: profile, photo, account activity; and accepting an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factoryos.accounts import services
from factoryos.accounts.forms import InvitationSignupForm, PhotoForm, ProfileForm
from factoryos.accounts.models import User
from factoryos.audit import selectors as audit_selectors
from factoryos.core import services as core_services
from factoryos.core.middleware import SESSION_ORG_KEY
from factoryos.kernel.errors import DomainError
from factoryos.web.decorators import member_view, render_page
from factoryos.web.views import apply_errors


@require_http_methods(["GET", "POST"])
@member_view()
def profile(request):
    user = request.user
    form = ProfileForm(initial={f: getattr(user, f) or "" for f in ProfileForm.base_fields})
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(user=user, **form.cleaned_data)
            except (ValidationError, DomainError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Profile saved.")
                return redirect("accounts:profile")
    context = {
        "form": form,
        "photo_form": PhotoForm(),
        "devices": user.devices.all()[:10],
        "mfa_enabled": user.authenticator_set.filter(type="totp").exists(),
    }
    return render_page(request, "accounts/profile.html", context, status=400 if form.errors else 200)


@require_POST
@member_view()
def photo_upload(request):
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.profile_photo_set(user=request.user, upload=form.cleaned_data["photo"])
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Photo updated.")
            return redirect("accounts:profile")
    for error in form.errors.get("photo", []):
        messages.error(request, error)
    return redirect("accounts:profile")


@require_GET
@member_view()
def photo(request):
    if not request.user.photo:
        raise Http404
    data, content_type = services.profile_photo_read(request.user)
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@member_view()
def activity(request):
    page = Paginator(audit_selectors.account_activity(request.user.pk), 50).get_page(request.GET.get("page"))
    return render_page(request, "accounts/activity.html", {"page": page, "devices": request.user.devices.all()})


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
            return redirect("web:home")
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
            return redirect("web:home")
    context["form"] = form
    return render(request, "accounts/invitation_signup.html", context, status=400 if form.errors else 200)
