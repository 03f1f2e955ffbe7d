from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from factoryos.kernel.access import requires


def member_view(permission: str | None = None):
    """A page for a logged-in member of the current organization (optionally with a permission)."""

    def decorator(view):
        guarded = requires(permission)(view) if permission else view

        @functools.wraps(guarded)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(request, "membership", None) is None:
                return render(request, "web/no_organization.html", status=403)
            return guarded(request, *args, **kwargs)

        return wrapper

    return decorator


def render_page(request, template: str, context: dict, *, partial: str | None = None, status: int = 200):
    """The full page, or only ``partial`` for an htmx request (same context, same view)."""
    return render(
        request, partial if (partial and getattr(request, "htmx", False)) else template, context, status=status
    )
