"""The filter of the audit trail: one definition for its page, its CSV export and the API."""

from __future__ import annotations

import django_filters as df

from factoryos.kernel.events import Action
from factoryos.kernel.filters import DayFilter


class AuditEventFilterSet(df.FilterSet):
    actor = df.CharFilter(field_name="actor_label", lookup_expr="icontains")
    action = df.ChoiceFilter(choices=Action.choices, empty_label="Any action")
    object_type = df.CharFilter()
    date_from = DayFilter("created_at", bound="since", label="Date from")
    date_to = DayFilter("created_at", bound="until", label="Date to")
