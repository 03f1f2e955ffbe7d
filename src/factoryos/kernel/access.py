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
from django.http import HttpRequest

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
