"""The filter of the audit trail: one definition for its page, its CSV export and the API."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q, QuerySet

from factoryos.kernel.events import Action
from factoryos.kernel.filters import DayFilter


class AuditEventFilterSet(df.FilterSet):
    actor = df.CharFilter(method="by_actor", label="Actor")
    action = df.ChoiceFilter(choices=Action.choices, empty_label="Any action")
    object_type = df.CharFilter()
    date_from = DayFilter("created_at", bound="since", label="Date from")
    date_to = DayFilter("created_at", bound="until", label="Date to")

    def by_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Who acted, by their current email or the API key's name (what the trail says of them is sealed)."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(actor_user__email__icontains=value) | Q(actor_api_key__name__icontains=value))
