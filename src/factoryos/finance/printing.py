"""What documents/base.html prints of any priced document (see its docstring): the partner's name, billing address
and tax identifiers, the lines, and the totals by tax rate, all from the stored document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from factoryos.finance.models import PricedDocument
from factoryos.finance.services import totals_of


def pdf_context(
    document: PricedDocument,
    title: str,
    dates: list[tuple[str, Any]],
    *,
    line_extra: Callable[[Any], dict[str, Any]] | None = None,  # called with the document's own line model
    footer: str = "",
    contact: str = "",
    partner_label: str = "",
    tax_ids: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """The template context of ``document`` printed as ``title``: ``line_extra`` adds a line's own columns,
    ``contact`` the person it is for, ``partner_label`` the heading over the partner (the template's "To" by
    default), ``tax_ids`` whether the partner's tax identifiers are printed; ``extra`` goes into ``document``."""
    partner = document.partner
    address = partner.addresses.filter(kind="billing").order_by("-is_default", "id").first()
    lines = []
    for line in document.lines.select_related("item__uom"):  # type: ignore[attr-defined]
        item = line.item
        row = {
            "position": line.position,
            "sku": item.sku if item is not None else "",
            "description": line.description,
            "quantity": line.quantity,
            "unit": item.uom.code if item is not None else "",
            "unit_price": line.unit_price,
            "discount_pct": line.discount_pct,
            "tax_rate": line.tax_rate,
            "net": line.net,
        }
        lines.append({**row, **(line_extra(line) if line_extra else {})})
    totals = totals_of(document)
    return {
        "document": {"title": title, "number": document.number, "dates": dates, "currency": document.currency, **extra},
        "partner_label": partner_label,
        "partner": {
            "name": partner.legal_name,
            "address": address.lines if address is not None else [],
            "tax_ids": [f"{tax_id.kind} {tax_id.value}" for tax_id in partner.tax_ids.all()] if tax_ids else [],
            "contact": contact,
        },
        "lines": lines,
        "totals": {
            "net": totals.net,
            "tax_by_rate": [(rate, sums.tax) for rate, sums in totals.by_rate.items()],
            "tax": totals.tax,
            "total": totals.gross,
        },
        "notes": document.notes,
        "footer": footer,
    }
