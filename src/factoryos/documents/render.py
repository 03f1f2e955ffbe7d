"""PDFs from Django templates, with WeasyPrint, that can never reach the network.

``render_pdf(template_name, context) -> bytes`` renders a template that extends ``documents/base.html`` (the
letterhead, title block, lines table, totals, notes and a footer with page numbers; its docstring lists the blocks
and context keys) and prints it to PDF. The organization's letterhead (``letterhead()``: legal and trading name,
address, tax identifiers opened) is added to the context as ``org`` unless the caller gives one.

Every resource a template names (an image, a stylesheet, a font) goes through ``SealedFetcher``: a ``data:`` URI is
decoded in place, anything else (http, https, file, ftp ...) is refused and stops the rendering
(``FetchRefused``), so a template, or a value printed into one, can never make a request or read a local file.
Stylesheets are inline in the template for that reason.

The organization's logo (uploaded on its settings page, kept sealed: core.services.organization_logo_set) is printed
in the letterhead: ``render_html`` puts it into the ``logo`` context key as a ``data:image/...`` URI
(``logo_data_uri(bytes, content_type)``) unless the caller gives one.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from factoryos.core import selectors as core_selectors
from factoryos.core import services as core_services
from factoryos.core.models import Organization
from factoryos.kernel.tenancy import require_org

ALLOWED_SCHEMES = ("data",)
LOGO_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif", "image/webp")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9.+-]*):")


class FetchRefused(FatalURLFetchingError):
    """A template asked for a resource that is not a ``data:`` URI: the rendering stops."""


class SealedFetcher(URLFetcher):
    """WeasyPrint's fetcher limited to ``data:`` URIs; everything else raises ``FetchRefused`` (fatal: the rendering
    stops rather than printing a document with a hole in it). ``refused`` lists what was refused."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=ALLOWED_SCHEMES, allow_redirects=False, fail_on_errors=True, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        match = _SCHEME.match(url)
        if not match or match[1].lower() not in ALLOWED_SCHEMES:
            self.refused.append(url)
            raise FetchRefused(f"documents may only embed data: URIs, not {url[:100]!r}")
        return super().fetch(url, headers)


def logo_data_uri(content: bytes, content_type: str) -> str:
    """An image as a ``data:`` URI for the ``logo`` context key."""
    if content_type not in LOGO_TYPES:
        raise ValueError(f"a logo is one of {', '.join(LOGO_TYPES)}, not {content_type!r}")
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


def letterhead(org: Organization | None = None) -> dict[str, Any]:
    """The organization as its documents print it: names, address lines, tax identifiers (opened)."""
    org = org or require_org()
    place = " ".join(part for part in (org.city, org.state, org.postcode) if part)
    address = [line for line in (org.address_line1, org.address_line2, place, org.country) if line]
    tax_ids = [
        {"kind": tax_id.kind, "country": tax_id.country, "value": tax_id.value}
        for tax_id in core_selectors.tax_ids.all().filter(org=org)
    ]
    return {
        "legal_name": org.legal_name,
        "trading_name": org.trading_name if org.trading_name and org.trading_name != org.legal_name else "",
        "address": address,
        "tax_ids": tax_ids,
        "currency": org.currency,
    }


def organization_logo(org: Organization | None = None) -> str:
    """The organization's logo as a ``data:`` URI ("" when it has none)."""
    logo = core_services.organization_logo(org or require_org())
    return logo_data_uri(*logo) if logo else ""


def render_html(template_name: str, context: dict[str, Any]) -> str:
    """The document's HTML (the letterhead added as ``org`` and the logo as ``logo`` unless given), before printing."""
    extra = {"org": context.get("org") or letterhead()}
    if "logo" not in context:
        extra["logo"] = organization_logo()
    return render_to_string(template_name, {**extra, **context})


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render ``template_name`` with ``context`` and print it to PDF (A4, see documents/base.html)."""
    fetcher = SealedFetcher()
    html = render_html(template_name, context)
    # No base URL: a relative reference has nothing to resolve against, so it cannot reach the file system either.
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    return pdf
