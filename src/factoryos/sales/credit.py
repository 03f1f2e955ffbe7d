"""The credit check's port: what a customer owes, asked of whoever knows it.

Receivables live in books, which sits above sales in the layers, so sales cannot ask it directly. Books registers
its answer when Django starts (``set_exposure_provider(fn)`` in its ``AppConfig.ready()``); ``fn(partner)`` returns
(the open balance in the partner's currency, whether any invoice is overdue). Until something registers, a customer
owes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

Provider = Callable[[Any], tuple[Decimal, bool]]


def _owes_nothing(partner: Any) -> tuple[Decimal, bool]:
    return Decimal("0"), False


_provider: Provider = _owes_nothing


def set_exposure_provider(fn: Provider | None) -> Provider:
    """Install ``fn`` (None: back to owing nothing); returns the provider it replaces (a test puts it back)."""
    global _provider
    previous, _provider = _provider, fn or _owes_nothing
    return previous


def exposure(partner: Any) -> tuple[Decimal, bool]:
    """(open balance in the partner's currency, has overdue invoices) of ``partner``."""
    balance, overdue = _provider(partner)
    return Decimal(balance), bool(overdue)
