"""The filters of sites, work centers and calendars: one definition for the API and the pages."""

from __future__ import annotations

import django_filters as df

from factoryos.facilities.models import WEEKDAYS, Calendar, Site, WorkCenterKind
from factoryos.kernel.filters import ActiveFilter, SearchFilter


def _sites(request: object) -> object:
    return Site.objects.all()


def _calendars(request: object) -> object:
    return Calendar.objects.all()


class SiteFilterSet(df.FilterSet):
    q = SearchFilter(("code", "name", "city"))
    active = ActiveFilter()


class WorkCenterFilterSet(df.FilterSet):
    q = SearchFilter(("code", "name"))
    site = df.ModelChoiceFilter(queryset=_sites, empty_label="All sites")
    kind = df.ChoiceFilter(choices=WorkCenterKind.choices, empty_label="All kinds")
    active = ActiveFilter()


class CalendarFilterSet(df.FilterSet):
    q = SearchFilter(("name",))
    site = df.ModelChoiceFilter(queryset=_sites)


class ShiftFilterSet(df.FilterSet):
    calendar = df.ModelChoiceFilter(queryset=_calendars)
    weekday = df.ChoiceFilter(choices=WEEKDAYS)


class HolidayFilterSet(df.FilterSet):
    q = SearchFilter(("name",))
    calendar = df.ModelChoiceFilter(queryset=_calendars)


class ClosureFilterSet(df.FilterSet):
    q = SearchFilter(("reason",))
    calendar = df.ModelChoiceFilter(queryset=_calendars)
