"""Writes to partners. Every one is audited (kernel.crud) in the caller's transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict, Unpack

from django.db import transaction

from factoryos.core.models import Membership
from factoryos.kernel import crud
from factoryos.kernel.errors import DomainError
from factoryos.partners.errors import PartnerError
from factoryos.partners.models import Partner


class PartnerFields(TypedDict, total=False):
    code: str
    legal_name: str
    trading_name: str
    is_customer: bool
    is_supplier: bool
    email: str
    phone: str
    currency: str
    payment_terms_days: int
    credit_limit: Decimal | None
    notes: str
    active: bool


def _check_role(is_customer: bool, is_supplier: bool) -> None:
    if not (is_customer or is_supplier):
        raise DomainError(
            "A partner is a customer, a supplier or both: tick at least one.",
            code=PartnerError.NO_ROLE,
            field="is_customer",
        )


def partner_create(*, actor: Membership, **fields: Unpack[PartnerFields]) -> Partner:
    """A partner; its currency defaults to the organization's."""
    values: PartnerFields = {**fields}
    values["currency"] = (values.get("currency") or actor.org.currency).upper()
    _check_role(values.get("is_customer", False), values.get("is_supplier", False))
    return crud.create(Partner, actor=actor, values=dict(values), allowed=PartnerFields)


@transaction.atomic
def partner_update(*, actor: Membership, obj: Partner, **changes: Unpack[PartnerFields]) -> Partner:
    if changes.get("currency"):
        changes["currency"] = changes["currency"].upper()
    _check_role(changes.get("is_customer", obj.is_customer), changes.get("is_supplier", obj.is_supplier))
    return crud.update(obj, actor=actor, changes=changes, allowed=PartnerFields)


def partner_delete(*, actor: Membership, obj: Partner) -> None:
    crud.delete(obj, actor=actor)
