"""The jobs' filter: one definition for the API (and any page that lists jobs)."""

from __future__ import annotations

import django_filters as df

from factoryos.jobs.models import Job, JobStatus


class JobFilterSet(df.FilterSet):
    status = df.ChoiceFilter(choices=JobStatus.choices, empty_label="Any status")
    kind = df.CharFilter(max_length=64)

    class Meta:
        model = Job
        fields = ["status", "kind"]
