"""The catalog in a test world: units (ea, kg), a sheet with an item-specific kg conversion, a bracket made from it
with a released BOM and routing, and a draft revision 2 (the default object of each BOM model, so writes to it are
allowed)."""

from __future__ import annotations

from decimal import Decimal

from factoryos.catalog import services


def build(owner, objects: dict) -> dict:
    ea = services.uom_create(actor=owner, code="ea", name="Each", kind="count")
    kg = services.uom_create(actor=owner, code="kg", name="Kilogram", kind="mass")
    category = services.category_create(actor=owner, name="Enclosures")
    tag = services.tag_create(actor=owner, name="stainless")
    sheet = services.item_create(
        actor=owner,
        sku="SHT-304-1.5",
        name="Sheet 304 1.5 mm 2400x1200",
        item_type="raw",
        uom=ea,
        standard_cost=Decimal("182.50"),
        material="SS304",
        tracking="lot",
        tags=[tag.pk],
    )
    conversion = services.conversion_create(actor=owner, from_uom=ea, to_uom=kg, factor=Decimal("34.6"), item=sheet)
    bracket = services.item_create(
        actor=owner, sku="BRK-100", name="Bracket 100", item_type="manufactured", uom=ea, category=category
    )
    released = services.bom_create(actor=owner, item=bracket)
    services.operation_add(
        actor=owner,
        bom=released,
        work_center=objects["facilities.workcenter"],
        description="Laser cut",
        setup_minutes=Decimal("10"),
        run_minutes_per_unit=Decimal("1.5"),
    )
    services.bom_line_add(actor=owner, bom=released, component=sheet, quantity=Decimal("0.05"))
    services.bom_release(actor=owner, obj=released)
    draft = services.bom_create(actor=owner, item=bracket)
    return {
        "catalog.unitofmeasure": ea,
        "catalog.unitofmeasure#kg": kg,
        "catalog.uomconversion": conversion,
        "catalog.category": category,
        "catalog.tag": tag,
        "catalog.item": bracket,
        "catalog.item#sheet": sheet,
        "catalog.bom": draft,
        "catalog.bom#draft": draft,
        "catalog.bom#released": released,
        "catalog.bomline": draft.lines.get(),
        "catalog.operation": draft.operations.get(),
        "catalog.operationcheck": services.operation_check_add(
            actor=owner, operation=draft.operations.get(), name="Edge burr", kind="pass_fail"
        ),
    }


def grow(owner, objects: dict, n: int) -> None:
    """``n`` more units, categories, tags and conversions; ``n`` more parts, each tagged and in a category, used on
    the draft BOM and the released one's siblings; ``n`` more operations on the draft; ``n`` more made items with a
    released BOM that uses the sheet and the part by weight (so the sheet is used in more places, and every cost
    roll-up converts more lines)."""
    ea, kg = objects["catalog.unitofmeasure"], objects["catalog.unitofmeasure#kg"]
    sheet, draft = objects["catalog.item#sheet"], objects["catalog.bom"]
    for k in range(n):
        unit = services.uom_create(actor=owner, code=f"u{k}", name=f"Unit {k}", kind="count")
        services.conversion_create(actor=owner, from_uom=unit, to_uom=ea, factor=Decimal(k + 2))
        category = services.category_create(actor=owner, name=f"Category {k}", parent=objects["catalog.category"])
        tag = services.tag_create(actor=owner, name=f"tag-{k}")
        part = services.item_create(
            actor=owner,
            sku=f"PRT-{k:03}",
            name=f"Part {k}",
            item_type="purchased",
            uom=ea,
            category=category,
            standard_cost=Decimal("3.25"),
            tags=[tag.pk, objects["catalog.tag"].pk],
        )
        services.conversion_create(actor=owner, from_uom=ea, to_uom=kg, factor=Decimal("0.5"), item=part)
        services.bom_line_add(actor=owner, bom=draft, component=part, quantity=Decimal(k + 1))
        services.operation_add(
            actor=owner,
            bom=draft,
            work_center=objects["facilities.workcenter"],
            description=f"Step {k}",
            run_minutes_per_unit=Decimal("2"),
        )
        made = services.item_create(
            actor=owner, sku=f"ASM-{k:03}", name=f"Assembly {k}", item_type="subassembly", uom=ea, category=category
        )
        bom = services.bom_create(actor=owner, item=made)
        services.bom_line_add(actor=owner, bom=bom, component=sheet, quantity=Decimal("8.5"), uom=kg)  # in kg
        services.bom_line_add(actor=owner, bom=bom, component=part, quantity=Decimal("1"), uom=kg)
        services.bom_release(actor=owner, obj=bom)
