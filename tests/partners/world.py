"""Partners in a test world: a customer, a supplier, and one that is both."""

from __future__ import annotations

from decimal import Decimal

from factoryos.partners import services


def build(owner, objects: dict) -> dict:
    customer = services.partner_create(
        actor=owner,
        code="ACME",
        legal_name="Acme Switchgear Pty Ltd",
        trading_name="Acme Switchgear",
        is_customer=True,
        email="orders@acme.example",
        payment_terms_days=30,
        credit_limit=Decimal("50000"),
    )
    supplier = services.partner_create(
        actor=owner, code="BLUE", legal_name="BlueScope Distribution Pty Ltd", is_supplier=True, payment_terms_days=45
    )
    both = services.partner_create(
        actor=owner, code="MCL", legal_name="McLean Laser Cutting", is_customer=True, is_supplier=True
    )
    return {"partners.partner": customer, "partners.partner#supplier": supplier, "partners.partner#both": both}


def grow(owner, objects: dict, n: int) -> None:
    for k in range(n):
        services.partner_create(
            actor=owner, code=f"P{k:03}", legal_name=f"Partner {k} Pty Ltd", is_customer=k % 2 == 0, is_supplier=True
        )
