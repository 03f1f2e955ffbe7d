"""Permission checks shared by web views and API operations.

``@requires("members.manage")`` marks and guards a view or API operation. The permission comes from the acting
membership (session) or API key (scope ∩ its creator's role). The mark (``required_permission``) is what the
role-matrix test reads, so the test and the guard can never disagree.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from factoryos.kernel.permissions import PERMISSIONS


def has_perm(request: HttpRequest, permission: str) -> bool:
    membership = getattr(request, "membership", None)
    if membership is None:
        return False
    api_key = getattr(request, "api_key", None)
    if api_key is not None:
        return api_key.allows(permission)
    return membership.has_perm(permission)


def check(request: HttpRequest, permission: str) -> None:
    if not has_perm(request, permission):
        raise PermissionDenied(f"You need the '{permission}' permission ({PERMISSIONS[permission]}).")


def requires(permission: str) -> Callable:
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            check(request, permission)
            return func(request, *args, **kwargs)

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorator


def hidden_without_permission(view: Callable) -> Callable:
    """The guard's PermissionDenied answered as Http404, for records whose very existence is private (employee
    records: a 403 on /people/42/ would confirm that employee 42 exists). Marks the view ``hidden_from_others``, so
    the role matrix expects 404 rather than 403 from a role lacking the permission."""

    @functools.wraps(view)  # keeps required_permission and reads
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except PermissionDenied:
            raise Http404("Not found.") from None

    wrapper.hidden_from_others = True  # type: ignore[attr-defined]
    return wrapper
