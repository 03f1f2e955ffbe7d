"""The product's navigation: eight sections in a fixed order; apps append their pages to a section.

A section with no page the user may open is not shown (no empty headings, no placeholder pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from factoryos.kernel.access import has_perm

SECTIONS = ("Sell", "Buy", "Plan", "Make", "Ship", "Book", "Control", "Settings")


@dataclass(frozen=True)
class NavEntry:
    section: str
    label: str
    url_name: str
    permission: str | None = None
    icon: str = "dot"


ENTRIES: list[NavEntry] = []


def register(*entries: NavEntry) -> None:
    """Add entries to their sections (once: a URLconf loaded again registers nothing new)."""
    for entry in entries:
        if entry.section not in SECTIONS:
            raise ValueError(f"unknown navigation section {entry.section!r}")
        if entry not in ENTRIES:
            ENTRIES.append(entry)


def menu_for(request: HttpRequest) -> list[dict[str, Any]]:
    current = request.path
    sections: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for section in SECTIONS:
        items: list[dict[str, Any]] = []
        for entry in ENTRIES:
            if entry.section != section or (entry.permission and not has_perm(request, entry.permission)):
                continue
            url = reverse(entry.url_name)
            items.append({"label": entry.label, "url": url, "icon": entry.icon, "active": False})
        if items:
            sections.append({"name": section, "items": items})
            entries.extend(items)
    # The current page's entry is the one whose address is the longest start of the path: on /book/reports/ that is
    # Reports, not also the Book dashboard at /book/.
    matching = [item for item in entries if current.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return sections
