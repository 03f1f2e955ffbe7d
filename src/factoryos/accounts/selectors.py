"""Reads of the organization's API keys (a Reader: see kernel/reads.py)."""

from __future__ import annotations

from factoryos.accounts.filters import ApiKeyFilterSet
from factoryos.accounts.models import ApiKey
from factoryos.kernel.reads import Reader

api_keys = Reader(ApiKey, queryset=lambda: ApiKey.objects.select_related("created_by__user"), filterset=ApiKeyFilterSet)
