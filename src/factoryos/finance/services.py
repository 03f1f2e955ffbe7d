"""Writes of finance: tax codes, exchange rates, numbering, and the lines of every priced document.

A priced document's lines are written here once for every kind (quote, order, invoice, bill): the document must be
editable (its Flow says so), a line's tax rate is the tax code's when it is written, its totals come from
finance.money, and the document's totals are recomputed in the same transaction, so the header always equals the
sum of its lines.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypedDict, TypeVar, Unpack

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from factoryos.core.models import Membership
from factoryos.finance import money
from factoryos.finance.errors import FinanceError
from factoryos.finance.models import (
    PREFIXES,
    ExchangeRate,
    NumberSequence,
    PricedDocument,
    PricedLine,
    SequenceKind,
    TaxCode,
)
from factoryos.kernel import crud, transitions
from factoryos.kernel.errors import DomainError
from factoryos.kernel.tenancy import require_org

L = TypeVar("L", bound=PricedLine)

# What a new organization starts with, by country: (code, name, rate, default).
STARTING_TAX_CODES = {
    "AU": [("GST", "GST 10 %", "10", True), ("FRE", "GST-free", "0", False), ("EXP", "Export (GST-free)", "0", False)],
    "NZ": [("GST", "GST 15 %", "15", True), ("ZERO", "Zero-rated", "0", False)],
    "": [("NONE", "No tax", "0", True)],  # elsewhere (a US shop adds its state's sales tax rate)
}


# -- tax codes ---------------------------------------------------------------------------------------------------
class TaxCodeFields(TypedDict, total=False):
    code: str
    name: str
    rate: Decimal
    is_default: bool
    active: bool


def _one_default(actor: Membership, keep: TaxCode | None) -> None:
    for other in TaxCode.objects.filter(is_default=True).exclude(pk=getattr(keep, "pk", None)):
        crud.update(other, actor=actor, changes={"is_default": False}, allowed=("is_default",))


@transaction.atomic
def tax_code_create(*, actor: Membership, **fields: Unpack[TaxCodeFields]) -> TaxCode:
    if fields.get("is_default"):
        _one_default(actor, None)
    return crud.create(TaxCode, actor=actor, values=dict(fields), allowed=TaxCodeFields)


@transaction.atomic
def tax_code_update(*, actor: Membership, obj: TaxCode, **changes: Unpack[TaxCodeFields]) -> TaxCode:
    if changes.get("is_default"):
        _one_default(actor, obj)
    return crud.update(obj, actor=actor, changes=changes, allowed=TaxCodeFields)


def tax_code_delete(*, actor: Membership, obj: TaxCode) -> None:
    crud.delete(obj, actor=actor)


@transaction.atomic
def starting_tax_codes(*, actor: Membership) -> list[TaxCode]:
    """The organization's tax codes, made from its country's starting set the first time any are needed."""
    codes = list(TaxCode.objects.all())
    if not codes:
        country = require_org().country
        for code, name, rate, default in STARTING_TAX_CODES.get(country, STARTING_TAX_CODES[""]):
            fields: TaxCodeFields = {"code": code, "name": name, "rate": Decimal(rate), "is_default": default}
            codes.append(crud.create(TaxCode, actor=actor, values=dict(fields), allowed=TaxCodeFields))
    return codes


def default_tax_code(*, actor: Membership) -> TaxCode:
    """The organization's default tax code (its country's starting codes are made on first use)."""
    codes = starting_tax_codes(actor=actor)
    default = next((c for c in codes if c.is_default and c.active), None)
    if default is None:
        raise DomainError(
            "Choose a tax code: the organization has no default one (Book > Tax codes).",
            code=FinanceError.NO_TAX_CODE,
            field="tax_code",
        )
    return default


# -- exchange rates ------------------------------------------------------------------------------------------------
class ExchangeRateFields(TypedDict, total=False):
    currency: str
    rate: Decimal
    valid_from: date


def exchange_rate_create(*, actor: Membership, **fields: Unpack[ExchangeRateFields]) -> ExchangeRate:
    values: dict[str, Any] = dict(fields)
    values["currency"] = str(values.get("currency", "")).upper()
    return crud.create(ExchangeRate, actor=actor, values=values, allowed=ExchangeRateFields)


def exchange_rate_update(
    *, actor: Membership, obj: ExchangeRate, **changes: Unpack[ExchangeRateFields]
) -> ExchangeRate:
    if changes.get("currency"):
        changes["currency"] = changes["currency"].upper()
    return crud.update(obj, actor=actor, changes=changes, allowed=ExchangeRateFields)


def exchange_rate_delete(*, actor: Membership, obj: ExchangeRate) -> None:
    crud.delete(obj, actor=actor)


def rate_for(currency: str, on: date | None = None) -> Decimal:
    """Organization currency per one unit of ``currency`` on ``on`` (today): 1 for the organization's own, else
    the latest rate entered from that day or before."""
    currency = currency.upper()
    if currency == require_org().currency:
        return Decimal("1")
    on = on or timezone.localdate()
    found = ExchangeRate.objects.filter(currency=currency, valid_from__lte=on).order_by("-valid_from").first()
    if found is None:
        raise DomainError(
            f"No exchange rate for {currency} on {on}: enter one under Book > Exchange rates, or give the rate.",
            code=FinanceError.NO_EXCHANGE_RATE,
            field="exchange_rate",
        )
    return found.rate


# -- numbering -----------------------------------------------------------------------------------------------------
class SequenceFields(TypedDict, total=False):
    prefix: str
    next_number: int
    padding: int


def _sequence(kind: str, *, lock: bool) -> NumberSequence:
    rows = NumberSequence.objects.filter(kind=kind)
    rows = rows.select_for_update(of=("self",)) if lock else rows
    found = rows.first()
    if found is None:
        try:
            with transaction.atomic():
                found = NumberSequence.objects.create(org=require_org(), kind=kind, prefix=PREFIXES[SequenceKind(kind)])
        except IntegrityError:  # another transaction made it first: use theirs
            pass
        found = rows.get()
    return found


def sequences() -> list[NumberSequence]:
    """Every kind's sequence (made on first sight with the standard prefix)."""
    return [_sequence(kind, lock=False) for kind in SequenceKind.values]


@transaction.atomic
def next_number(kind: str) -> str:
    """The next number of ``kind``, taken in the caller's transaction under a row lock: concurrent documents wait
    their turn, and a document that rolls back returns its number (no gaps, no repeats)."""
    sequence = _sequence(kind, lock=True)
    number = sequence.next_number
    NumberSequence.objects.filter(pk=sequence.pk).update(next_number=number + 1)
    return sequence.format(number)


@transaction.atomic
def sequence_update(*, actor: Membership, obj: NumberSequence, **changes: Unpack[SequenceFields]) -> NumberSequence:
    """Change a sequence's prefix, padding or next number (which may only move forward: a number is never reused)."""
    row = NumberSequence.objects.select_for_update(of=("self",)).get(pk=obj.pk)
    if "next_number" in changes and changes["next_number"] < row.next_number:
        raise DomainError(
            f"The next number can only move forward (it is {row.next_number}): numbers are never reused.",
            code=FinanceError.SEQUENCE_BACKWARDS,
            field="next_number",
        )
    return crud.update(row, actor=actor, changes=changes, allowed=SequenceFields)


# -- priced documents ------------------------------------------------------------------------------------------------
def document_defaults(*, actor: Membership, partner: Any, on: date | None = None) -> dict[str, Any]:
    """A new document's currency (the partner's), its rate to the organization's, and tax-exclusive prices."""
    currency = (partner.currency or actor.org.currency).upper()
    return {"partner": partner, "currency": currency, "exchange_rate": rate_for(currency, on)}


def priced(line: L, *, inclusive: bool) -> L:
    """``line`` with its tax rate taken from its tax code and its net, tax and gross computed (not saved)."""
    line.tax_rate = line.tax_code.rate
    totals = money.line_totals(line.quantity, line.unit_price, line.discount_pct, line.tax_rate, inclusive=inclusive)
    line.net, line.tax, line.gross = totals.net, totals.tax, totals.gross
    return line


def totals_of(document: PricedDocument) -> money.Totals:
    """The document's totals by tax rate, from its stored lines (for the page and the PDF)."""
    return money.document_totals(
        (line.tax_rate, money.LineTotals(line.net, line.tax, line.gross))
        for line in document.lines.all()  # type: ignore[attr-defined]
    )


def recompute(document: PricedDocument) -> PricedDocument:
    """Set the document's totals to the sums of its lines and save them (in the caller's transaction)."""
    totals = totals_of(document)
    document.net_total, document.tax_total, document.total = totals.net, totals.tax, totals.gross
    type(document)._base_manager.filter(pk=document.pk).update(
        net_total=totals.net, tax_total=totals.tax, total=totals.gross
    )
    return document


def reprice(document: PricedDocument) -> PricedDocument:
    """Price every line again (after the document's tax inclusion changed) and recompute its totals."""
    for line in document.lines.select_related("tax_code"):  # type: ignore[attr-defined]
        priced(line, inclusive=document.prices_include_tax)
        line.save(update_fields=["tax_rate", "net", "tax", "gross"])
    return recompute(document)


class LineFields(TypedDict, total=False):
    item: Any
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    tax_code: TaxCode | int | None
    position: int


LINE_TOTALS = ("tax_rate", "net", "tax", "gross")


def _line_values(actor: Membership, fields: dict[str, Any], line_model: type[PricedLine]) -> dict[str, Any]:
    item_model = line_model._meta.get_field("item").related_model
    fields = crud.refs(fields, {"item": item_model, "tax_code": TaxCode})  # type: ignore[dict-item]
    if "tax_code" in fields and fields["tax_code"] is None:
        fields["tax_code"] = default_tax_code(actor=actor)
    return fields


@transaction.atomic
def line_add(*, actor: Membership, document: PricedDocument, **fields: Any) -> PricedLine:
    """A line on ``document``: an item (its name is the description unless one is given) or free text. ``fields``:
    ``LineFields``, and the line model's own fields (a quote line's lead time)."""
    document = transitions.locked(document)
    transitions.check_editable(document, field="lines")
    line_model: type[PricedLine] = document.lines.model  # type: ignore[attr-defined]
    values = _line_values(actor, {"tax_code": None, **fields}, line_model)
    item = values.get("item")
    if not values.get("description"):
        if item is None:
            raise DomainError(
                "A line without an item needs a description.",
                code=FinanceError.LINE_WITHOUT_DESCRIPTION,
                field="description",
            )
        values["description"] = item.name[:300]
    if values.get("unit_price") is None:
        raise DomainError("Give the line's unit price.", code=FinanceError.NO_PRICE, field="unit_price")
    if "position" not in values:
        last = document.lines.aggregate(last=Max("position"))["last"]  # type: ignore[attr-defined]
        values["position"] = (last or 0) + 1
    probe = priced(line_model(**values), inclusive=document.prices_include_tax)
    values.update({name: getattr(probe, name) for name in LINE_TOTALS})
    values[line_model.document_field] = document
    line = crud.create(line_model, actor=actor, values=values, allowed=[*values])
    recompute(document)
    return line


@transaction.atomic
def line_update(*, actor: Membership, obj: PricedLine, **changes: Any) -> PricedLine:
    """Change a line (``LineFields`` and the line model's own fields); the document's totals follow."""
    document = transitions.locked(obj.document)
    transitions.check_editable(document, field="lines")
    values = _line_values(actor, dict(changes), type(obj))
    if "unit_price" in values and values["unit_price"] is None:
        raise DomainError("Give the line's unit price.", code=FinanceError.NO_PRICE, field="unit_price")
    probe = type(obj)._base_manager.get(pk=obj.pk)
    for name, value in values.items():
        setattr(probe, name, value)
    priced(probe, inclusive=document.prices_include_tax)
    values.update({name: getattr(probe, name) for name in LINE_TOTALS})
    line = crud.update(obj, actor=actor, changes=values, allowed=[*values])
    recompute(document)
    return line


@transaction.atomic
def line_delete(*, actor: Membership, obj: PricedLine) -> None:
    document = transitions.locked(obj.document)
    transitions.check_editable(document, field="lines")
    crud.delete(obj, actor=actor)
    recompute(document)
