"""Finance settings: tax codes, exchange rates, numbering sequences."""

from ninja import Router

from factoryos.finance import schemas as s
from factoryos.finance import selectors, services
from factoryos.kernel.resources import Resource, add_resources

router = Router(tags=["finance"])

add_resources(
    router,
    Resource("tax-codes", selectors.tax_codes, ordering=("code", "rate")),
    Resource("exchange-rates", selectors.exchange_rates, ordering=("currency", "valid_from")),
    Resource("number-sequences", selectors.number_sequences, ordering=("kind",), name="Sequence", noun="sequence"),
    schemas=s,
    services=services,
)
