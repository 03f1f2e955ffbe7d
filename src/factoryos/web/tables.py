"""A sorted, paginated table of a queryset: the one list mechanism of every web page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from factoryos.kernel.sealed import is_sealed, rows_in_order, sorted_ids

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    """A table column: ``order_by`` makes it sortable (``?sort=key`` / ``?sort=-key``); ``css`` e.g. ``num``."""

    key: str
    label: str
    order_by: tuple[str, ...] | None = None
    css: str = ""


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


class Table:
    """Sort by the requested column (or ``default``), paginate, and describe the header for ``web/_thead.html``.

    When ``ranked`` (a search ordered the rows by relevance) and no column is asked for, the rows keep that order
    and no column shows as sorted. A sort naming an encrypted field is done in Python (kernel/sealed.py).
    """

    def __init__(
        self,
        request: HttpRequest,
        queryset: QuerySet[Any],
        columns: Sequence[Column],
        default: str,
        *,
        ranked: bool = False,
        page_size: int = PAGE_SIZE,
    ):
        self.request, self.columns = request, columns
        orders = {c.key: c.order_by for c in columns if c.order_by}
        wanted = request.GET.get("sort", "")
        key, desc = wanted.lstrip("-"), wanted.startswith("-")
        if key not in orders:
            key, desc = ("", False) if ranked else (default.lstrip("-"), default.startswith("-"))
        order = [_flip(f) if desc else f for f in orders[key]] if key else []
        self.key, self.desc = key, desc
        if is_sealed(queryset.model, *order):  # the database cannot order ciphertext: sorted here, then one page
            self.page: Page = Paginator(sorted_ids(queryset, order), page_size).get_page(request.GET.get("page"))
            self.page.object_list = rows_in_order(queryset, list(self.page.object_list))
        else:
            self.page = Paginator(queryset.order_by(*order) if order else queryset, page_size).get_page(
                request.GET.get("page")
            )

    @property
    def count(self) -> int:
        return self.page.paginator.count

    def heads(self) -> list[dict[str, Any]]:
        base = self.request.GET.copy()
        base.pop("page", None)
        base.pop("sort", None)
        heads = []
        for column in self.columns:
            head = {
                "label": column.label,
                "css": column.css,
                "sortable": bool(column.order_by),
                "active": column.key == self.key,
                "desc": self.desc,
            }
            if column.order_by:
                query = base.copy()
                query["sort"] = f"-{column.key}" if column.key == self.key and not self.desc else column.key
                head["url"] = f"{self.request.path}?{query.urlencode()}"
            heads.append(head)
        return heads

    def context(self) -> dict[str, Any]:
        """What the table partials read: ``page``, ``heads``, ``query`` (for the pager) and ``sort``."""
        query = self.request.GET.copy()
        query.pop("page", None)
        sort = f"{'-' if self.desc else ''}{self.key}"
        return {"page": self.page, "heads": self.heads(), "query": query.urlencode(), "sort": sort}
