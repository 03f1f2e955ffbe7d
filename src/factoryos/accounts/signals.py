"""Account events (logins, failures, passwords, MFA) recorded into the audit chains of the user's organizations."""

from __future__ import annotations

from dataclasses import replace

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from factoryos.accounts.models import User
from factoryos.accounts.services import login_recorded, record_for_user
from factoryos.audit import context as audit_context
from factoryos.kernel.events import Action


@receiver(auth_signals.user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None:
        login_recorded(request=request, user=user)


@receiver(auth_signals.user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_for_user(user, action=Action.LOGOUT, obj=user)


@receiver(auth_signals.user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    email = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is not None:  # an unknown address has no organization to report to; allauth still throttles it
        record_for_user(user, action=Action.LOGIN_FAILED, obj=user, metadata={"reason": "password"})


@receiver(mfa_signals.authentication_failed)
def on_mfa_failed(sender, request, user, **kwargs):
    record_for_user(user, action=Action.LOGIN_FAILED, obj=user, metadata={"reason": "mfa code"})


@receiver(account_signals.password_changed)
@receiver(account_signals.password_set)
def on_password_changed(sender, request, user, **kwargs):
    record_for_user(user, action=Action.PASSWORD_CHANGED, obj=user)


@receiver(account_signals.password_reset)
def on_password_reset(sender, request, user, **kwargs):
    with audit_context.bind(
        replace(audit_context.get(), actor_user_id=user.pk, person_id=user.pk, actor_label=user.email)
    ):
        record_for_user(user, action=Action.PASSWORD_RESET, obj=user)


@receiver(mfa_signals.authenticator_added)
def on_mfa_added(sender, request, user, authenticator, **kwargs):
    action = Action.RECOVERY_CODES if authenticator.type == "recovery_codes" else Action.MFA_ENABLED
    record_for_user(user, action=action, obj=user, metadata={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed)
def on_mfa_removed(sender, request, user, authenticator, **kwargs):
    record_for_user(user, action=Action.MFA_DISABLED, obj=user, metadata={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset)
def on_mfa_reset(sender, request, user, authenticator, **kwargs):
    record_for_user(user, action=Action.RECOVERY_CODES, obj=user, metadata={"type": authenticator.type})
