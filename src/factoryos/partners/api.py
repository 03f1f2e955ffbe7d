"""Customers and suppliers."""

from ninja import Router

from factoryos.kernel.resources import Resource, add_resources
from factoryos.partners import schemas as s
from factoryos.partners import selectors, services

router = Router(tags=["partners"])

add_resources(
    router,
    Resource("partners", selectors.partners, ordering=("code", "legal_name")),
    schemas=s,
    services=services,
)
