"""The filters of members and invitations: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q, QuerySet

from factoryos.core.models import Role
from factoryos.kernel.filters import SearchFilter


def _role(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """A built-in role (owner ... viewer) or ``custom:<id>``."""
    custom_id = value.removeprefix("custom:")
    if custom_id != value and custom_id.isascii() and custom_id.isdigit():
        # through Role's pk, whose lookup turns an id beyond the column's range into "no such role", not a 500
        return queryset.filter(custom_role__in=Role.objects.filter(pk=int(custom_id)))
    return queryset.filter(Q(role=value))


class MemberFilterSet(df.FilterSet):
    q = SearchFilter(("user__email", "user__first_name", "user__last_name"), label="Search name or email")
    role = df.CharFilter(method=_role, label="Role (owner ... viewer, or custom:<id>)")


class InvitationFilterSet(df.FilterSet):
    email = df.CharFilter(lookup_expr="icontains")


class RoleFilterSet(df.FilterSet):
    q = SearchFilter(("name", "description"))


class TaxIdFilterSet(df.FilterSet):
    kind = df.CharFilter()
