"""Documents in a test world: one kept PDF (a sales document: ``sales.view`` opens it).

The PDF is printed once per test process (WeasyPrint takes about half a second) and kept by ``store_pdf`` for each
world: the stored row, its sealing and its event are each world's own.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from factoryos.documents import services
from factoryos.documents.models import DocumentKind
from factoryos.documents.render import render_pdf

_printed: list[bytes] = []
_seq = itertools.count(1)


def sample_context(lines: int = 2, *, number: str = "DOC-00001") -> dict:
    """A document of ``lines`` lines at 12.50 each (quantity = position), 10 % tax: its totals, exact."""
    rows = [
        {
            "position": n,
            "sku": f"BRK-{100 + n}",
            "description": f"Bracket, size {n}",
            "quantity": Decimal(n),
            "unit": "ea",
            "unit_price": Decimal("12.50"),
            "discount_pct": Decimal(0),
            "tax_rate": Decimal(10),
            "net": Decimal("12.50") * n,
        }
        for n in range(1, lines + 1)
    ]
    net = sum((row["net"] for row in rows), Decimal(0))
    tax = (net / 10).quantize(Decimal("0.01"))
    return {
        "document": {
            "title": "Quote",
            "number": number,
            "dates": [("Date", date(2026, 11, 30)), ("Valid until", date(2026, 12, 30))],
            "currency": "AUD",
        },
        "partner": {"name": "Hunter Valley Fabrication", "address": ["4 Kelly Street", "Maitland NSW 2320"]},
        "lines": rows,
        "totals": {"net": net, "tax_by_rate": [(Decimal(10), tax)], "tax": tax, "total": net + tax},
        "notes": "Prices valid for 30 days.",
    }


SAMPLE_LETTERHEAD = {
    "legal_name": "Sample Works Pty Ltd",
    "trading_name": "",
    "address": ["1 Sample Street", "Newcastle NSW 2300", "AU"],
    "tax_ids": [{"kind": "ABN", "country": "AU", "value": "51 824 753 556"}],
    "currency": "AUD",
}


def world_pdf() -> bytes:
    """A small PDF (printed once per process, with a letterhead of its own: no organization needed)."""
    if not _printed:
        _printed.append(render_pdf("documents/example.html", {**sample_context(), "org": SAMPLE_LETTERHEAD}))
    return _printed[0]


def _rendered(owner):
    return services.store_pdf(
        actor=owner,
        record=owner.org,
        kind=DocumentKind.QUOTE,
        number=f"DOC-{next(_seq):05d}",
        pdf=world_pdf(),
        view_permission="sales.view",
    )


def build(owner, objects: dict) -> dict:
    return {"documents.rendered": _rendered(owner)}


def grow(owner, objects: dict, n: int) -> None:
    for _ in range(n):
        _rendered(owner)
