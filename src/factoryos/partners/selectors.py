"""Reads of partners and what hangs off them (Readers: see kernel/reads.py)."""

from __future__ import annotations

from factoryos.kernel.reads import Reader
from factoryos.partners import filters as f
from factoryos.partners.models import (
    Contact,
    Partner,
    PartnerAddress,
    PartnerTaxId,
    PriceList,
    PriceListLine,
    SupplierItem,
    SupplierPriceBreak,
)

partners = Reader(Partner, queryset=lambda: Partner.objects.select_related("price_list"), filterset=f.PartnerFilterSet)
tax_ids = Reader(PartnerTaxId, filterset=f.PartnerTaxIdFilterSet)
addresses = Reader(PartnerAddress, filterset=f.PartnerAddressFilterSet)
contacts = Reader(Contact, filterset=f.ContactFilterSet)
supplier_items = Reader(
    SupplierItem,
    queryset=lambda: SupplierItem.objects.select_related("supplier", "item").prefetch_related("breaks"),
    filterset=f.SupplierItemFilterSet,
)
price_breaks = Reader(SupplierPriceBreak, filterset=f.SupplierPriceBreakFilterSet)
price_lists = Reader(PriceList, filterset=f.PriceListFilterSet)
price_list_lines = Reader(
    PriceListLine, queryset=lambda: PriceListLine.objects.select_related("item"), filterset=f.PriceListLineFilterSet
)


def primary_contact(partner: Partner) -> Contact | None:
    """Whom the partner's documents are emailed to: its primary contact with an email, else the first contact with
    one (emails are encrypted: chosen after opening them)."""
    return next((contact for contact in partner.contacts.all() if contact.email), None)  # primary first


def default_address(partner: Partner, kind: str) -> PartnerAddress | None:
    """The partner's default billing or shipping address (for a shipping one, the billing default if it has none)."""
    found = {a.kind: a for a in partner.addresses.all() if a.is_default}
    return found.get(kind) or (found.get("billing") if kind == "shipping" else None)
