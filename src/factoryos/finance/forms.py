"""The finance settings' forms: they parse input only; the rules live in finance.services."""

from __future__ import annotations

from factoryos.finance.models import ExchangeRate, NumberSequence, TaxCode
from factoryos.web.forms import ModelFieldsForm


class TaxCodeForm(ModelFieldsForm):
    class Meta:
        model = TaxCode
        fields = ("code", "name", "rate", "is_default", "active")


class ExchangeRateForm(ModelFieldsForm):
    class Meta:
        model = ExchangeRate
        fields = ("currency", "rate", "valid_from")


class SequenceForm(ModelFieldsForm):
    class Meta:
        model = NumberSequence
        fields = ("prefix", "next_number", "padding")
