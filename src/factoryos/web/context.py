from __future__ import annotations

from factoryos.kernel.access import has_perm
from factoryos.web.navigation import menu_for


class _Perms:
    """``{% if perms_.members__manage %}`` in templates reads the same permission map as views and API."""

    def __init__(self, request):
        self.request = request

    def __getattr__(self, name: str) -> bool:
        return has_perm(self.request, name.replace("__", "."))


def shell(request) -> dict:
    if not getattr(request, "membership", None):
        return {}
    return {
        "nav": menu_for(request),
        "membership": request.membership,
        "memberships": getattr(request, "memberships", []),
        "org": request.org,
        "can": _Perms(request),
        "notifications": notifications_for(request),
    }


def notifications_for(request) -> list[dict]:
    """What needs this person's attention now, newest concern first."""
    from django.urls import reverse

    from factoryos.core.models import Invitation

    notes = []
    if not request.user.authenticator_set.filter(type="totp").exists():
        notes.append(
            {
                "level": "warn",
                "url": reverse("mfa_activate_totp"),
                "text": "Protect your account: turn on two-factor authentication.",
            }
        )
    if has_perm(request, "members.manage"):
        pending = Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).count()
        if pending:
            notes.append(
                {
                    "level": "info",
                    "url": reverse("web:member_list"),
                    "text": f"{pending} invitation{'s' if pending != 1 else ''} waiting to be accepted.",
                }
            )
    return notes
