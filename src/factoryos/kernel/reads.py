"""Reads that record themselves: a model's ``Reader`` owns its queries and writes their audit events.

Privacy policy §17 puts every access to data on the audit trail. Rather than a call placed by hand in each view
(which drifts: a page added later forgets it), every read goes through the model's reader, declared once in the
app's ``selectors.py``::

    items = Reader(Item, queryset=lambda: Item.objects.select_related("uom"), filterset=ItemFilterSet)

- ``items.get(pk, actor=...)`` fetches one object of the current organization (another's is a 404) and records
  one VIEW event; ``fetch`` + ``viewed`` do the same in two steps when the event needs what the page computed.
- ``items.filter(params)`` applies the model's one FilterSet and returns a ``Listing``; whoever counts the rows
  (the web's pager, the API's page) records one LIST event with the filter and the count through it.

Web pages and API operations are marked with what a GET of them reads (``reads(VIEW)``...), and a sweep test
checks every route writes exactly the event its mark names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import django_filters as df
from django.db import models
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from factoryos.kernel import events
from factoryos.kernel.events import Action, Actor
from factoryos.kernel.filters import applied, ranked

M = TypeVar("M", bound=models.Model)

# What a GET of a route reads, for the read sweep (tests/audit/test_read_events.py).
VIEW, LIST, EXPORT, NOTHING = "view", "list", "export", "nothing"


def reads(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a view or API operation with what its GET records: VIEW, LIST, EXPORT or NOTHING (a form, a file)."""
    if kind not in (VIEW, LIST, EXPORT, NOTHING):
        raise ValueError(f"unknown read kind {kind!r}")

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.reads = kind  # type: ignore[attr-defined]
        return view

    return mark


@dataclass
class Listing(Generic[M]):
    """A filtered list, not yet counted: the page or the API counts it and records the LIST event."""

    reader: Reader[M]
    filterset: df.FilterSet
    queryset: QuerySet[M]

    @property
    def criteria(self) -> dict[str, Any]:
        return applied(self.filterset)

    @property
    def ranked(self) -> bool:
        """Ordered by search relevance: a default sort must not replace that order."""
        return ranked(self.filterset)

    def record(self, *, count: int, actor: Actor | None, action: str = Action.LIST, **extra: Any) -> None:
        events.record_list(
            object_type=self.reader.label, criteria=self.criteria, count=count, action=action, actor=actor, **extra
        )


class Reader(Generic[M]):
    """The reads of one model: its base queryset, its FilterSet, and the events its reads record."""

    def __init__(
        self,
        model: type[M],
        *,
        queryset: Callable[[], QuerySet[M]] | None = None,
        filterset: type[df.FilterSet] | None = None,
    ):
        self.model, self._queryset, self.filterset = model, queryset, filterset

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def all(self) -> QuerySet[M]:
        """The current organization's rows, with what showing them needs (joins, annotations)."""
        return self._queryset() if self._queryset else self.model._default_manager.all()

    # -- one object ------------------------------------------------------------------------------------------------
    def fetch(self, pk: Any, *, queryset: QuerySet[M] | None = None) -> M:
        """The current organization's object (Http404 for another's, or none): no event yet, see ``viewed``."""
        return get_object_or_404(self.all() if queryset is None else queryset, pk=pk)

    def viewed(self, obj: M, *, actor: Actor | None, metadata: dict[str, Any] | None = None) -> M:
        events.record(action=Action.VIEW, actor=actor, obj=obj, metadata=metadata)
        return obj

    def get(
        self,
        pk: Any,
        *,
        actor: Actor | None,
        queryset: QuerySet[M] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> M:
        """Fetch and record one VIEW event."""
        return self.viewed(self.fetch(pk, queryset=queryset), actor=actor, metadata=metadata)

    # -- lists -----------------------------------------------------------------------------------------------------
    def filter(self, params: Mapping[str, Any] | None, *, queryset: QuerySet[M] | None = None) -> Listing[M]:
        """The rows matching ``params`` (a request's GET, or the API's query model dumped)."""
        base = self.all() if queryset is None else queryset
        if self.filterset is None:
            raise TypeError(f"{self.label} has no FilterSet")
        filterset = self.filterset(data=params if params is not None else {}, queryset=base)
        return Listing(reader=self, filterset=filterset, queryset=filterset.qs)
