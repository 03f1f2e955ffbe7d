"""Writes to partners and what hangs off them (tax identifiers, addresses, contacts, supplier items and their price
breaks, price lists and their lines). Every one is audited (kernel.crud) in the caller's transaction."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import models, transaction

from factoryos.core.models import Membership
from factoryos.core.services import clean_tax_id  # the organization's own rules
from factoryos.kernel import crud
from factoryos.kernel.errors import DomainError, ErrorCode
from factoryos.partners.errors import PartnerError
from factoryos.partners.models import (
    Contact,
    Partner,
    PartnerAddress,
    PartnerTaxId,
    PriceList,
    PriceListLine,
    SupplierItem,
    SupplierPriceBreak,
    TermsKind,
)


def item_model() -> type[models.Model]:
    """catalog.Item, as the relation names it: the catalog is above partners and is never imported here."""
    return SupplierItem._meta.get_field("item").related_model  # type: ignore[return-value]


# -- partners -----------------------------------------------------------------------------------------------------
class PartnerFields(TypedDict, total=False):
    code: str
    legal_name: str
    trading_name: str
    is_customer: bool
    is_supplier: bool
    email: str
    phone: str
    currency: str
    terms_kind: str
    payment_terms_days: int
    credit_limit: Decimal | None
    price_list: PriceList | int | None
    notes: str
    active: bool


def _check_role(is_customer: bool, is_supplier: bool) -> None:
    if not (is_customer or is_supplier):
        raise DomainError(
            "A partner is a customer, a supplier or both: tick at least one.",
            code=PartnerError.NO_ROLE,
            field="is_customer",
        )


def _check_price_list(price_list: PriceList | None, currency: str) -> None:
    """A partner's prices are in its currency: a price list in another one cannot be its price list."""
    if price_list is not None and price_list.currency != currency:
        raise DomainError(
            f"The price list {price_list.code} is in {price_list.currency}, the partner buys in {currency}.",
            code=PartnerError.PRICE_LIST_CURRENCY,
            field="price_list",
        )


def in_role(
    partner: Partner | int | None, role: str, *, code: ErrorCode, advice: str, field: str = "partner"
) -> Partner:
    """The organization's partner (an object or an id) that is a ``role`` ("customer" or "supplier"), else a field
    error: "<partner's code> is not a <role>: <advice>", with the caller's error ``code``, on ``field``."""
    found = crud.ref(Partner, partner, field)
    if not getattr(found, f"is_{role}"):
        raise DomainError(f"{found.code} is not a {role}: {advice}", code=code, field=field)
    return found


def partner_create(*, actor: Membership, **fields: Unpack[PartnerFields]) -> Partner:
    """A partner; its currency defaults to the organization's."""
    values: dict[str, Any] = crud.refs(fields, {"price_list": PriceList})
    values["currency"] = (values.get("currency") or actor.org.currency).upper()
    _check_role(values.get("is_customer", False), values.get("is_supplier", False))
    _check_price_list(values.get("price_list"), values["currency"])
    return crud.create(Partner, actor=actor, values=values, allowed=PartnerFields)


@transaction.atomic
def partner_update(*, actor: Membership, obj: Partner, **changes: Unpack[PartnerFields]) -> Partner:
    values: dict[str, Any] = crud.refs(changes, {"price_list": PriceList})
    if values.get("currency"):
        values["currency"] = values["currency"].upper()
    _check_role(values.get("is_customer", obj.is_customer), values.get("is_supplier", obj.is_supplier))
    price_list = values.get("price_list", obj.price_list)
    _check_price_list(price_list, values.get("currency") or obj.currency)
    return crud.update(obj, actor=actor, changes=values, allowed=PartnerFields)


def partner_delete(*, actor: Membership, obj: Partner) -> None:
    crud.delete(obj, actor=actor)


def due_date(partner: Partner, issued_on: date) -> date:
    """When an invoice (or bill) issued on ``issued_on`` falls due under the partner's payment terms.

    Net N: ``issued_on`` + N days. End of month + N (EOM): the last day of the month of ``issued_on`` + N days, so
    EOM + 30 from 2026-01-15 is 2026-01-31 + 30 days = 2026-03-02, and EOM + 0 is the month's last day.
    """
    days = timedelta(days=partner.payment_terms_days)
    if partner.terms_kind == TermsKind.EOM:
        last = calendar.monthrange(issued_on.year, issued_on.month)[1]
        return issued_on.replace(day=last) + days
    return issued_on + days


# -- what hangs off a partner: one of each kind is its default (the first one, or the one marked) -------------
def _make_the_one(
    obj: models.Model, *, actor: Membership, flag: str, scope: Mapping[str, Any], fields: type | tuple[str, ...]
) -> None:
    """Before ``obj`` becomes the one with ``flag`` in ``scope`` (the default address of a kind, the primary
    contact, the preferred supplier of an item), the one before it stops being it (an audited change)."""
    model = type(obj)
    current = model._default_manager.filter(**scope, **{flag: True}).exclude(pk=obj.pk).first()
    if current is not None:
        crud.update(current, actor=actor, changes={flag: False}, allowed=fields)


def _is_first(model: type[models.Model], scope: Mapping[str, Any], flag: str) -> bool:
    return not model._default_manager.filter(**scope, **{flag: True}).exists()


def _partner(partner: Partner | int, field: str = "partner") -> Partner:
    return crud.ref(Partner, partner, field)


class PartnerTaxIdFields(TypedDict, total=False):
    kind: str
    country: str
    value: str


@transaction.atomic
def partner_tax_id_create(
    *, actor: Membership, partner: Partner | int, kind: str, country: str, value: str
) -> PartnerTaxId:
    """A tax identifier of the partner, checked like the organization's (an ABN's checksum, an EIN's format)."""
    kind, country, value = clean_tax_id(kind, country, value)
    values = {"partner": _partner(partner), "kind": kind, "country": country, "value": value}
    return crud.create(
        PartnerTaxId, actor=actor, values=values, allowed=("partner", *PartnerTaxIdFields.__annotations__)
    )


@transaction.atomic
def partner_tax_id_update(
    *, actor: Membership, obj: PartnerTaxId, **fields: Unpack[PartnerTaxIdFields]
) -> PartnerTaxId:
    """Checked as a whole again (a new country or type may not fit the value)."""
    crud.refuse_unknown(fields, PartnerTaxIdFields)
    kind, country, value = clean_tax_id(
        fields.get("kind", obj.kind), fields.get("country", obj.country), fields.get("value", obj.value)
    )
    changes = {"kind": kind, "country": country, "value": value}
    return crud.update(obj, actor=actor, changes=changes, allowed=PartnerTaxIdFields)


def partner_tax_id_delete(*, actor: Membership, obj: PartnerTaxId) -> None:
    crud.delete(obj, actor=actor)


class PartnerAddressFields(TypedDict, total=False):
    kind: str
    name: str
    line1: str
    line2: str
    city: str
    state: str
    postcode: str
    country: str
    is_default: bool


ADDRESS_FIELDS = ("partner", *PartnerAddressFields.__annotations__)


@transaction.atomic
def partner_address_create(
    *, actor: Membership, partner: Partner | int, **fields: Unpack[PartnerAddressFields]
) -> PartnerAddress:
    """An address of the partner; its country defaults to the organization's. The first of its kind is the
    default; a new default replaces the one before."""
    values: dict[str, Any] = {**fields, "partner": _partner(partner)}
    values["country"] = (values.get("country") or actor.org.country).upper()
    kind = values.setdefault("kind", PartnerAddress._meta.get_field("kind").get_default())
    scope = {"partner": values["partner"], "kind": kind}
    if values.get("is_default") or _is_first(PartnerAddress, scope, "is_default"):
        values["is_default"] = True
        _make_the_one(PartnerAddress(), actor=actor, flag="is_default", scope=scope, fields=PartnerAddressFields)
    return crud.create(PartnerAddress, actor=actor, values=values, allowed=ADDRESS_FIELDS)


@transaction.atomic
def partner_address_update(
    *, actor: Membership, obj: PartnerAddress, **changes: Unpack[PartnerAddressFields]
) -> PartnerAddress:
    values: dict[str, Any] = dict(changes)
    if values.get("country"):
        values["country"] = values["country"].upper()
    if values.get("is_default", obj.is_default):
        scope = {"partner": obj.partner_id, "kind": values.get("kind", obj.kind)}
        _make_the_one(obj, actor=actor, flag="is_default", scope=scope, fields=PartnerAddressFields)
    return crud.update(obj, actor=actor, changes=values, allowed=PartnerAddressFields)


def partner_address_delete(*, actor: Membership, obj: PartnerAddress) -> None:
    crud.delete(obj, actor=actor)


class ContactFields(TypedDict, total=False):
    name: str
    email: str
    phone: str
    job_role: str
    is_primary: bool


@transaction.atomic
def contact_create(*, actor: Membership, partner: Partner | int, **fields: Unpack[ContactFields]) -> Contact:
    """A person at the partner; the first one is its primary contact, and a new primary replaces the one before."""
    values: dict[str, Any] = {**fields, "partner": _partner(partner)}
    scope = {"partner": values["partner"]}
    if values.get("is_primary") or _is_first(Contact, scope, "is_primary"):
        values["is_primary"] = True
        _make_the_one(Contact(), actor=actor, flag="is_primary", scope=scope, fields=ContactFields)
    return crud.create(Contact, actor=actor, values=values, allowed=("partner", *ContactFields.__annotations__))


@transaction.atomic
def contact_update(*, actor: Membership, obj: Contact, **changes: Unpack[ContactFields]) -> Contact:
    if changes.get("is_primary"):
        _make_the_one(obj, actor=actor, flag="is_primary", scope={"partner": obj.partner_id}, fields=ContactFields)
    return crud.update(obj, actor=actor, changes=changes, allowed=ContactFields)


def contact_delete(*, actor: Membership, obj: Contact) -> None:
    crud.delete(obj, actor=actor)


# -- supplier items and their price breaks -----------------------------------------------------------------------
class SupplierItemFields(TypedDict, total=False):
    supplier_sku: str
    currency: str
    lead_time_days: int
    minimum_order: Decimal
    preferred: bool


@transaction.atomic
def supplier_item_create(
    *, actor: Membership, supplier: Partner | int, item: Any, **fields: Unpack[SupplierItemFields]
) -> SupplierItem:
    """What ``supplier`` sells of ``item``; in the supplier's currency unless given. The item's first supplier is
    its preferred one; a new preferred supplier replaces the one before."""
    values: dict[str, Any] = {
        **fields,
        "supplier": in_role(
            supplier, "supplier", code=PartnerError.NOT_A_SUPPLIER, advice="tick Supplier on the partner first.",
            field="supplier",
        ),
        "item": crud.ref(item_model(), item, "item"),
    }  # fmt: skip
    values["currency"] = (values.get("currency") or values["supplier"].currency).upper()
    scope = {"item": values["item"]}
    if values.get("preferred") or _is_first(SupplierItem, scope, "preferred"):
        values["preferred"] = True
        _make_the_one(SupplierItem(), actor=actor, flag="preferred", scope=scope, fields=SupplierItemFields)
    allowed = ("supplier", "item", *SupplierItemFields.__annotations__)
    return crud.create(SupplierItem, actor=actor, values=values, allowed=allowed)


@transaction.atomic
def supplier_item_update(
    *, actor: Membership, obj: SupplierItem, **changes: Unpack[SupplierItemFields]
) -> SupplierItem:
    values: dict[str, Any] = dict(changes)
    if values.get("currency"):
        values["currency"] = values["currency"].upper()
    if values.get("preferred"):
        _make_the_one(obj, actor=actor, flag="preferred", scope={"item": obj.item_id}, fields=SupplierItemFields)
    return crud.update(obj, actor=actor, changes=values, allowed=SupplierItemFields)


def supplier_item_delete(*, actor: Membership, obj: SupplierItem) -> None:
    crud.delete(obj, actor=actor)


class SupplierPriceBreakFields(TypedDict, total=False):
    min_quantity: Decimal
    unit_price: Decimal


def supplier_price_break_create(
    *, actor: Membership, supplier_item: SupplierItem | int, **fields: Unpack[SupplierPriceBreakFields]
) -> SupplierPriceBreak:
    """The supplier's unit price from ``min_quantity`` up (in the supplier item's currency)."""
    values: dict[str, Any] = {**fields, "supplier_item": crud.ref(SupplierItem, supplier_item, "supplier_item")}
    allowed = ("supplier_item", *SupplierPriceBreakFields.__annotations__)
    return crud.create(SupplierPriceBreak, actor=actor, values=values, allowed=allowed)


def supplier_price_break_update(
    *, actor: Membership, obj: SupplierPriceBreak, **changes: Unpack[SupplierPriceBreakFields]
) -> SupplierPriceBreak:
    return crud.update(obj, actor=actor, changes=changes, allowed=SupplierPriceBreakFields)


def supplier_price_break_delete(*, actor: Membership, obj: SupplierPriceBreak) -> None:
    crud.delete(obj, actor=actor)


# -- price lists and their lines ---------------------------------------------------------------------------------
class PriceListFields(TypedDict, total=False):
    code: str
    name: str
    currency: str
    active: bool


def price_list_create(*, actor: Membership, **fields: Unpack[PriceListFields]) -> PriceList:
    """A customer price list; its currency defaults to the organization's."""
    values: dict[str, Any] = dict(fields)
    values["currency"] = (values.get("currency") or actor.org.currency).upper()
    return crud.create(PriceList, actor=actor, values=values, allowed=PriceListFields)


@transaction.atomic
def price_list_update(*, actor: Membership, obj: PriceList, **changes: Unpack[PriceListFields]) -> PriceList:
    values: dict[str, Any] = dict(changes)
    if values.get("currency"):
        values["currency"] = values["currency"].upper()
        other = Partner.objects.filter(price_list=obj).exclude(currency=values["currency"]).first()
        if other is not None:
            raise DomainError(
                f"{other.code} buys on this list in {other.currency}: its currency cannot change.",
                code=PartnerError.PRICE_LIST_CURRENCY,
                field="currency",
            )
    return crud.update(obj, actor=actor, changes=values, allowed=PriceListFields)


def price_list_delete(*, actor: Membership, obj: PriceList) -> None:
    """Remove a price list (and its lines); one a partner still buys on is refused."""
    crud.delete(obj, actor=actor)


class PriceListLineFields(TypedDict, total=False):
    min_quantity: Decimal
    unit_price: Decimal
    valid_from: date | None
    valid_to: date | None


def _check_validity(valid_from: date | None, valid_to: date | None) -> None:
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise DomainError("The end of validity is before its start.", code=PartnerError.VALIDITY, field="valid_to")


@transaction.atomic
def price_list_line_create(
    *, actor: Membership, price_list: PriceList | int, item: Any, **fields: Unpack[PriceListLineFields]
) -> PriceListLine:
    """The item's price on the list from ``min_quantity`` up, optionally between two dates (inclusive)."""
    values: dict[str, Any] = {
        **fields,
        "price_list": crud.ref(PriceList, price_list, "price_list"),
        "item": crud.ref(item_model(), item, "item"),
    }
    _check_validity(values.get("valid_from"), values.get("valid_to"))
    allowed = ("price_list", "item", *PriceListLineFields.__annotations__)
    return crud.create(PriceListLine, actor=actor, values=values, allowed=allowed)


@transaction.atomic
def price_list_line_update(
    *, actor: Membership, obj: PriceListLine, **changes: Unpack[PriceListLineFields]
) -> PriceListLine:
    _check_validity(changes.get("valid_from", obj.valid_from), changes.get("valid_to", obj.valid_to))
    return crud.update(obj, actor=actor, changes=changes, allowed=PriceListLineFields)


def price_list_line_delete(*, actor: Membership, obj: PriceListLine) -> None:
    crud.delete(obj, actor=actor)
