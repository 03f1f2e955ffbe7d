"""Reads of organizations' members, shared by the members page and the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from factoryos.core.models import Membership


def members(q: str = "") -> QuerySet[Membership]:
    """Active members with their user and role; ``q`` matches the email, first or last name (any case)."""
    qs = Membership.objects.filter(is_active=True).select_related("user", "custom_role")
    if q:
        qs = qs.filter(Q(user__email__icontains=q) | Q(user__first_name__icontains=q) | Q(user__last_name__icontains=q))
    return qs
