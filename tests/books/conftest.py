"""The book's fixtures."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from factoryos.finance import services as finance
from factoryos.kernel.tenancy import org_scope
from factoryos.partners import services as partner_services

D = Decimal
TODAY = timezone.localdate()


@pytest.fixture
def dollars(world):
    """A US customer and supplier (USD), and 1 USD = 1.50 AUD since last week."""
    with org_scope(world.org):
        finance.exchange_rate_create(
            actor=world.owner, currency="USD", rate=D("1.5"), valid_from=TODAY - timedelta(days=7)
        )
        partner = partner_services.partner_create(
            actor=world.owner, code="YANK", legal_name="Yankee Tools Inc", is_customer=True, is_supplier=True,
            currency="USD",
        )  # fmt: skip
    world.objects["partners.partner#usd"] = partner
    return partner
