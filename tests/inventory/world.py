"""Inventory objects for make_world: a warehouse with two bins, stock received (one lot), a reservation, a count."""

from decimal import Decimal

from factoryos.inventory import services


def build(owner, objects: dict) -> dict:
    site = objects["facilities.site"]
    warehouse = services.location_create(actor=owner, code="WH1", name="Main warehouse", kind="warehouse", site=site)
    bin_a = services.location_create(actor=owner, code="A-01", name="Bin A-01", kind="bin", parent=warehouse)
    bin_b = services.location_create(actor=owner, code="B-01", name="Bin B-01", kind="bin", parent=warehouse)
    bracket, sheet = objects["catalog.item"], objects["catalog.item#sheet"]
    move = services.stock_receive(
        actor=owner,
        item=bracket,
        location=bin_a,
        quantity=Decimal("10"),
        unit_cost=Decimal("12.00"),
        reference="PO-1001",
    )
    services.stock_receive(
        actor=owner,
        item=sheet,
        location=bin_a,
        quantity=Decimal("4"),
        lot="HEAT-881",
        unit_cost=Decimal("180.00"),
        reference="PO-1002",
    )
    reservation = services.stock_reserve(
        actor=owner, item=bracket, location=bin_a, quantity=Decimal("2"), reference="WO-1000"
    )
    sheet_count = services.count_sheet_create(actor=owner, location=bin_a)
    lines = list(sheet_count.lines.all())
    for line in lines:
        services.count_line_set(actor=owner, obj=line, counted=line.expected)
    level = bracket.stock_levels.get(location=bin_a)
    return {
        "inventory.location": bin_a,
        "inventory.location#bin2": bin_b,
        "inventory.location#warehouse": warehouse,
        "inventory.lot": move.lot or sheet.lots.get(),
        "inventory.stocklevel": level,
        "inventory.stockmove": move,
        "inventory.reservation": reservation,
        "inventory.countsheet": sheet_count,
        "inventory.countline": lines[0],
    }


def grow(owner, objects: dict, n: int) -> None:
    """``n`` more bins, each holding the bracket and a new lot of the sheet, with a reservation and an open count;
    the moves, lots, levels and reservations grow with them."""
    warehouse = objects["inventory.location#warehouse"]
    bracket, sheet = objects["catalog.item"], objects["catalog.item#sheet"]
    for k in range(n):
        bin_ = services.location_create(
            actor=owner, code=f"C-{k:02}", name=f"Bin C-{k:02}", kind="bin", parent=warehouse
        )
        services.stock_receive(
            actor=owner,
            item=bracket,
            location=bin_,
            quantity=Decimal(5 + k),
            unit_cost=Decimal("11"),
            reference=f"PO-2{k:03}",
        )
        services.stock_receive(
            actor=owner,
            item=sheet,
            location=bin_,
            quantity=Decimal("2"),
            lot=f"HEAT-9{k:02}",
            unit_cost=Decimal("181"),
            reference=f"PO-3{k:03}",
        )
        services.stock_transfer(
            actor=owner,
            item=bracket,
            from_location=bin_,
            to_location=objects["inventory.location"],
            quantity=Decimal("1"),
        )
        services.stock_reserve(actor=owner, item=bracket, location=bin_, quantity=Decimal("1"), reference=f"WO-2{k:03}")
        services.count_sheet_create(actor=owner, location=bin_)
