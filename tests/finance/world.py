"""Finance in a test world: the country's starting tax codes (AU: GST 10 % default), a rate, the sequences."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from factoryos.finance import services
from factoryos.finance.models import SequenceKind


def build(owner, objects: dict) -> dict:
    codes = {code.code: code for code in services.starting_tax_codes(actor=owner)}
    rate = services.exchange_rate_create(
        actor=owner, currency="USD", rate=Decimal("1.52"), valid_from=dt.date(2026, 1, 1)
    )
    sequence = next(s for s in services.sequences() if s.kind == SequenceKind.INVOICE)
    default = next(code for code in codes.values() if code.is_default)
    return {
        "finance.taxcode": default,
        "finance.exchangerate": rate,
        "finance.numbersequence": sequence,
    }


def grow(owner, objects: dict, n: int) -> None:
    for k in range(n):
        services.tax_code_create(actor=owner, code=f"T{k}", name=f"Tax {k}", rate=Decimal(k % 20))
        services.exchange_rate_create(
            actor=owner,
            currency="EUR",
            rate=Decimal("1.6") + Decimal(k) / 100,
            valid_from=dt.date(2025, 1, 1) + dt.timedelta(days=k),
        )
