"""Customers and suppliers, their tax identifiers, addresses and contacts; supplier items with their price breaks;
price lists with their lines. Each is a resource; a nested row names its parent in its body and filters by it."""

from ninja import Router

from factoryos.kernel.resources import Resource, add_resources
from factoryos.partners import schemas as s
from factoryos.partners import selectors, services

router = Router(tags=["partners"])

add_resources(
    router,
    Resource("partners", selectors.partners, ordering=("code", "legal_name")),
    Resource("partner-tax-ids", selectors.tax_ids, ordering=("kind",)),
    Resource("partner-addresses", selectors.addresses, ordering=("kind", "city")),
    Resource("partner-contacts", selectors.contacts),
    Resource(
        "supplier-items", selectors.supplier_items, ordering={"item": "item__sku", "lead_time_days": "lead_time_days"}
    ),
    Resource("supplier-price-breaks", selectors.price_breaks, ordering=("min_quantity",)),
    Resource("price-lists", selectors.price_lists, ordering=("code", "name")),
    Resource(
        "price-list-lines", selectors.price_list_lines, ordering={"item": "item__sku", "min_quantity": "min_quantity"}
    ),
    schemas=s,
    services=services,
)
