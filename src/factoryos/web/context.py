"""What every page of the shell knows: the menu, the member and their organizations, the permission map, and what
needs the person's attention (notices that apps register, like navigation entries)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from factoryos.kernel.access import has_perm
from factoryos.web.navigation import menu_for

Notice = dict[str, str]  # {"level": "warn" | "info", "url": ..., "text": ...}
NOTICES: list[tuple[int, Callable[[HttpRequest], Notice | None]]] = []


def register_notice(provider: Callable[[HttpRequest], Notice | None], *, order: int = 50) -> None:
    """Add a source of notices: called for every page, it returns one notice for this person, or None. Lower
    ``order`` comes first (security before housekeeping)."""
    NOTICES.append((order, provider))
    NOTICES.sort(key=lambda entry: entry[0])


class _Perms:
    """``{% if can.members__manage %}`` in templates reads the same permission map as views and API."""

    def __init__(self, request: HttpRequest):
        self.request = request

    def __getattr__(self, name: str) -> bool:
        return has_perm(self.request, name.replace("__", "."))


def shell(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "membership", None):
        return {}
    return {
        "nav": menu_for(request),
        "membership": request.membership,  # type: ignore[attr-defined]
        "memberships": getattr(request, "memberships", []),
        "org": request.org,  # type: ignore[attr-defined]
        "can": _Perms(request),
        "notifications": notifications_for(request),
    }


def notifications_for(request: HttpRequest) -> list[Notice]:
    """What needs this person's attention now, most pressing first."""
    return [notice for _order, provider in NOTICES if (notice := provider(request)) is not None]
