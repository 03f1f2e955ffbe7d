"""The product's navigation: eight sections in a fixed order; apps append their pages to a section.

A section with no page the user may open is not shown (no empty headings, no placeholder pages).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

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
    for entry in entries:
        if entry.section not in SECTIONS:
            raise ValueError(f"unknown navigation section {entry.section!r}")
        ENTRIES.append(entry)


register(
    NavEntry("Control", "Audit trail", "web:audit_list", "audit.view", "shield"),
    NavEntry("Settings", "Organization", "web:org_settings", "org.view", "building"),
    NavEntry("Settings", "Members", "web:member_list", "members.view", "users"),
    NavEntry("Settings", "Roles", "web:role_list", "members.view", "key"),
    NavEntry("Settings", "API keys", "web:api_key_list", "apikeys.manage", "plug"),
)


def menu_for(request) -> list[dict]:
    from factoryos.kernel.access import has_perm

    current = request.path
    sections = []
    for section in SECTIONS:
        items = []
        for entry in ENTRIES:
            if entry.section != section or (entry.permission and not has_perm(request, entry.permission)):
                continue
            url = reverse(entry.url_name)
            items.append({"label": entry.label, "url": url, "icon": entry.icon, "active": current.startswith(url)})
        if items:
            sections.append({"name": section, "items": items})
    return sections
