"""Panels that one app shows on another app's page, composed through a registry (like the navigation).

The item page belongs to the catalog, but its stock panel is inventory's: inventory registers the panel for the
slot ``catalog.item`` and the catalog page renders whatever is registered there, without importing inventory.
A panel is shown only to people with its permission; its context comes from its own app's selectors and is part
of the page's one VIEW event (no event of its own).

A column is the same within a table: a header and a cell per row, beside what the row already shows (the BOM
editor's routing shows the standard times production learned from the floor, production registers the column for
the slot ``catalog.operation``). Its context is computed for all the rows at once, and each cell is rendered with
its row, that context and the CSRF token only (not the page's context processors, which would query per row), so a
table costs the same queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from factoryos.kernel.access import has_perm


@dataclass(frozen=True)
class Panel:
    slot: str  # the page it goes on: the label of that page's model, e.g. "catalog.item"
    anchor: str  # its id on the page, for the page's section links
    label: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]]
    permission: str | None = None


@dataclass(frozen=True)
class RenderedPanel:
    anchor: str
    label: str
    html: SafeString


@dataclass(frozen=True)
class Column:
    slot: str  # the table it goes in: the label of its rows' model, e.g. "catalog.operation"
    header: str
    template: str  # one cell, rendered with ``object`` (the row) and the row's context
    cells: Callable[[HttpRequest, list[Any]], dict[Any, dict[str, Any]]]  # the rows -> each row's context, by pk
    permission: str | None = None


@dataclass(frozen=True)
class RenderedColumn:
    header: str
    cells: dict[Any, SafeString]  # by the row's pk


PANELS: list[Panel] = []
COLUMNS: list[Column] = []


def register(*panels: Panel | Column) -> None:
    for panel in panels:
        if isinstance(panel, Column):
            COLUMNS.append(panel)
        else:
            PANELS.append(panel)


def panels_for(request: HttpRequest, slot: str, obj: Any) -> list[RenderedPanel]:
    """The panels registered for ``slot`` that this person may see, rendered for ``obj``."""
    shown = []
    for panel in PANELS:
        if panel.slot != slot or (panel.permission and not has_perm(request, panel.permission)):
            continue
        html = render_to_string(panel.template, {"object": obj, **panel.context(request, obj)}, request=request)
        shown.append(RenderedPanel(panel.anchor, panel.label, SafeString(html)))
    return shown


def columns_for(request: HttpRequest, slot: str, rows: list[Any]) -> list[RenderedColumn]:
    """The columns registered for ``slot`` that this person may see, a cell rendered for each of ``rows``."""
    shown = []
    for column in COLUMNS:
        if column.slot != slot or (column.permission and not has_perm(request, column.permission)):
            continue
        contexts, token = column.cells(request, rows), get_token(request)
        cells = {
            row.pk: SafeString(
                render_to_string(column.template, {"object": row, "csrf_token": token, **contexts.get(row.pk, {})})
            )
            for row in rows
        }
        shown.append(RenderedColumn(column.header, cells))
    return shown
