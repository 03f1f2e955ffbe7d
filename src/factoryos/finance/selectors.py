"""Reads of the finance settings (Readers: see kernel/reads.py)."""

from __future__ import annotations

from factoryos.finance.filters import ExchangeRateFilterSet, SequenceFilterSet, TaxCodeFilterSet
from factoryos.finance.models import ExchangeRate, NumberSequence, TaxCode
from factoryos.kernel.reads import Reader

tax_codes = Reader(TaxCode, filterset=TaxCodeFilterSet)
exchange_rates = Reader(ExchangeRate, filterset=ExchangeRateFilterSet)
number_sequences = Reader(NumberSequence, filterset=SequenceFilterSet)
