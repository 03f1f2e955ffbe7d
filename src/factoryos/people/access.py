"""Employee records are for administrators only, and others must not even learn that they exist.

The privacy policy: only roles with ``people.view`` / ``people.edit`` (owner and admin among the built-in roles) see
employee records. Everywhere else in the product a missing permission is a 403, which says "this exists, but not
for you". For the People module that is already too much: a 403 on /people/42/ would confirm that employee 42
exists (and a 403 on the list that the organization keeps employee records at all). So every People route, web
and API, answers a person without the permission exactly like a missing object: 404. The menu entry is hidden
too (navigation.py hides entries whose permission the person lacks).

The guard itself is the usual ``@requires`` (so ``required_permission`` still marks the route for the role-matrix
test); these wrappers only turn its PermissionDenied into Http404, and mark the route with ``hidden_from_others``
so that the role matrix expects 404 instead of 403 for roles lacking the permission.
"""

from __future__ import annotations

from ninja import Router

from factoryos.kernel.access import hidden_without_permission


def hide_operations(router: Router) -> Router:
    """Make every operation already registered on ``router`` answer 404 (not 403) without its permission.

    The operations come from kernel.resources (which guards them with ``@requires``); their view functions are
    wrapped in place, before the router is mounted on the API (mounting copies the view functions).
    """
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            if not getattr(operation.view_func, "hidden_from_others", False):
                operation.view_func = hidden_without_permission(operation.view_func)
    return router
