"""Book settings: tax codes, exchange rates and the numbering of documents, declared on the shared page layer."""

from __future__ import annotations

from typing import Any

from factoryos.finance import selectors, services
from factoryos.finance.forms import ExchangeRateForm, SequenceForm, TaxCodeForm
from factoryos.web.pages import DeletePage, FormPage, ListPage, route
from factoryos.web.tables import Column


# -- tax codes ------------------------------------------------------------------------------------------------------
@route("tax-codes/", "taxcode_list", menu=("Book", "Tax codes", "percent"))
class TaxCodeList(ListPage):
    reader = selectors.tax_codes
    columns = [
        Column("code", "Code", ("code",)),
        Column("name", "Name", ("name", "code")),
        Column("rate", "Rate", ("rate", "code"), "num"),
        Column("default", "Default", ("-is_default", "code")),
        Column("active", "Status", ("-active", "code")),
    ]
    default_sort = "code"
    filter_fields = ("q", "active")

    def get_queryset(self) -> Any:
        services.starting_tax_codes(actor=self.actor)  # a new organization sees its country's codes at once
        return None


@route("tax-codes/new/", "taxcode_create")
class TaxCodeCreate(FormPage):
    form_class, service = TaxCodeForm, services.tax_code_create
    success_url, success_message = "finance:taxcode_list", "Tax code {result.code} added."


@route("tax-codes/<int:pk>/", "taxcode_edit")
class TaxCodeEdit(FormPage):
    reader, form_class, service = selectors.tax_codes, TaxCodeForm, services.tax_code_update
    success_url, success_message = "finance:taxcode_list", "Tax code {result.code} saved."


@route("tax-codes/<int:pk>/delete/", "taxcode_delete")
class TaxCodeDelete(DeletePage):
    reader, service, redirect_to = selectors.tax_codes, services.tax_code_delete, "finance:taxcode_list"


# -- exchange rates -------------------------------------------------------------------------------------------------
@route("exchange-rates/", "exchangerate_list", menu=("Book", "Exchange rates", "arrows"))
class ExchangeRateList(ListPage):
    reader = selectors.exchange_rates
    columns = [
        Column("currency", "Currency", ("currency", "-valid_from")),
        Column("rate", "Rate", ("rate", "currency"), "num"),
        Column("from", "From", ("-valid_from", "currency")),
    ]
    default_sort = "currency"


@route("exchange-rates/new/", "exchangerate_create")
class ExchangeRateCreate(FormPage):
    form_class, service = ExchangeRateForm, services.exchange_rate_create
    success_url, success_message = "finance:exchangerate_list", "Rate for {result.currency} added."


@route("exchange-rates/<int:pk>/", "exchangerate_edit")
class ExchangeRateEdit(FormPage):
    reader, form_class, service = selectors.exchange_rates, ExchangeRateForm, services.exchange_rate_update
    success_url, success_message = "finance:exchangerate_list", "Rate for {result.currency} saved."


@route("exchange-rates/<int:pk>/delete/", "exchangerate_delete")
class ExchangeRateDelete(DeletePage):
    reader, service, redirect_to = selectors.exchange_rates, services.exchange_rate_delete, "finance:exchangerate_list"


# -- numbering ------------------------------------------------------------------------------------------------------
@route("numbering/", "numbersequence_list", menu=("Book", "Numbering", "hash"))
class SequenceList(ListPage):
    reader = selectors.number_sequences
    columns = [
        Column("kind", "Document", ("kind",)),
        Column("next", "Next number"),
        Column("prefix", "Prefix", ("prefix", "kind")),
    ]
    default_sort = "kind"

    def get_queryset(self) -> Any:
        services.sequences()  # every kind has its sequence, with the standard prefix, before it is first used
        return None


@route("numbering/<int:pk>/", "numbersequence_edit")
class SequenceEdit(FormPage):
    reader, form_class, service = selectors.number_sequences, SequenceForm, services.sequence_update
    success_url, success_message = "finance:numbersequence_list", "Numbering of {result.get_kind_display} saved."
