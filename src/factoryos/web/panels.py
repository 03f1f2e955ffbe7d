"""Panels that one app shows on another app's page, composed through a registry (like the navigation).

The item page belongs to the catalog, but its stock panel is inventory's: inventory registers the panel for the
slot ``catalog.item`` and the catalog page renders whatever is registered there, without importing inventory.
A panel is shown only to people with its permission; its context comes from its own app's selectors and is part
of the page's one VIEW event (no event of its own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
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


PANELS: list[Panel] = []


def register(*panels: Panel) -> None:
    PANELS.extend(panels)


def panels_for(request: HttpRequest, slot: str, obj: Any) -> list[RenderedPanel]:
    """The panels registered for ``slot`` that this person may see, rendered for ``obj``."""
    shown = []
    for panel in PANELS:
        if panel.slot != slot or (panel.permission and not has_perm(request, panel.permission)):
            continue
        html = render_to_string(panel.template, {"object": obj, **panel.context(request, obj)}, request=request)
        shown.append(RenderedPanel(panel.anchor, panel.label, SafeString(html)))
    return shown
