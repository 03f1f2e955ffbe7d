"""Partners in a test world: a customer on a price list with an address, a contact and a tax identifier; a supplier
selling the catalog's sheet with price breaks; one partner that is both. Built after the catalog (its items)."""

from __future__ import annotations

from decimal import Decimal

from factoryos.partners import services


def build(owner, objects: dict) -> dict:
    bracket, sheet = objects["catalog.item"], objects["catalog.item#sheet"]
    trade = services.price_list_create(actor=owner, code="TRADE", name="Trade prices")
    line = services.price_list_line_create(
        actor=owner, price_list=trade, item=bracket, min_quantity=Decimal("1"), unit_price=Decimal("45.00")
    )
    services.price_list_line_create(
        actor=owner, price_list=trade, item=bracket, min_quantity=Decimal("10"), unit_price=Decimal("41.50")
    )
    customer = services.partner_create(
        actor=owner,
        code="ACME",
        legal_name="Acme Switchgear Pty Ltd",
        trading_name="Acme Switchgear",
        is_customer=True,
        email="orders@acme.example",
        terms_kind="eom",
        payment_terms_days=30,
        credit_limit=Decimal("50000"),
        price_list=trade,
    )
    address = services.partner_address_create(
        actor=owner,
        partner=customer,
        kind="billing",
        name="Accounts payable",
        line1="12 Foundry Road",
        city="Seven Hills",
        state="NSW",
        postcode="2147",
    )
    contact = services.contact_create(
        actor=owner,
        partner=customer,
        name="Dana Whitfield",
        email="dana.whitfield@acme.example",
        phone="+61 2 9620 1100",
        job_role="Purchasing officer",
    )
    tax_id = services.partner_tax_id_create(
        actor=owner, partner=customer, kind="ABN", country="AU", value="51824753556"
    )
    supplier = services.partner_create(
        actor=owner, code="BLUE", legal_name="BlueScope Distribution Pty Ltd", is_supplier=True, payment_terms_days=45
    )
    supplied = services.supplier_item_create(
        actor=owner,
        supplier=supplier,
        item=sheet,
        supplier_sku="BS-304-15",
        lead_time_days=5,
        minimum_order=Decimal("5"),
    )
    price_break = services.supplier_price_break_create(
        actor=owner, supplier_item=supplied, min_quantity=Decimal("1"), unit_price=Decimal("182.50")
    )
    services.supplier_price_break_create(
        actor=owner, supplier_item=supplied, min_quantity=Decimal("10"), unit_price=Decimal("171.00")
    )
    both = services.partner_create(
        actor=owner, code="MCL", legal_name="McLean Laser Cutting", is_customer=True, is_supplier=True
    )
    # the bracket is bought in too (from McLean), so its item page shows a supplier with price breaks from the start
    bought = services.supplier_item_create(actor=owner, supplier=both, item=bracket, supplier_sku="MCL-BRK")
    services.supplier_price_break_create(
        actor=owner, supplier_item=bought, min_quantity=Decimal("1"), unit_price=Decimal("9.80")
    )
    return {
        "partners.partner": customer,
        "partners.partner#supplier": supplier,
        "partners.partner#both": both,
        "partners.partneraddress": address,
        "partners.contact": contact,
        "partners.partnertaxid": tax_id,
        "partners.supplieritem": supplied,
        "partners.supplierpricebreak": price_break,
        "partners.pricelist": trade,
        "partners.pricelistline": line,
    }


def grow(owner, objects: dict, n: int) -> None:
    item = objects["catalog.item"]
    for k in range(n):
        partner = services.partner_create(
            actor=owner, code=f"P{k:03}", legal_name=f"Partner {k} Pty Ltd", is_customer=k % 2 == 0, is_supplier=True
        )
        services.partner_address_create(actor=owner, partner=partner, line1=f"{k} Rolling Mill Way", city="Kembla")
        services.contact_create(actor=owner, partner=partner, name=f"Contact {k}", email=f"c{k}@p{k}.example")
        services.partner_tax_id_create(actor=owner, partner=partner, kind="VAT", country="GB", value=f"GB{k:09}")
        supplied = services.supplier_item_create(actor=owner, supplier=partner, item=item, supplier_sku=f"S-{k}")
        services.supplier_price_break_create(
            actor=owner, supplier_item=supplied, min_quantity=Decimal(k), unit_price=Decimal("10.00")
        )
        price_list = services.price_list_create(actor=owner, code=f"PL{k:03}", name=f"List {k}")
        services.price_list_line_create(
            actor=owner, price_list=price_list, item=item, min_quantity=Decimal(k), unit_price=Decimal("12.00")
        )
