"""MRP from the database: a sales order for an assembly plans a work order for it and its sub-assembly and a purchase
of the raw material, on working days, lot-sized and pegged (the answers worked out by hand below); forecasts are
consumed by orders; firming makes real orders, and the next run counts them as supply."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from factoryos.catalog import services as catalog
from factoryos.facilities import services as facilities
from factoryos.inventory import services as inventory
from factoryos.kernel.errors import ConflictError, DomainError
from factoryos.kernel.tenancy import org_scope
from factoryos.mrp import selectors, services
from factoryos.mrp.models import MrpMessage, PlannedOrder
from factoryos.partners import services as partners
from factoryos.production.models import WorkOrder
from factoryos.purchasing.models import PurchaseOrder
from factoryos.sales import services as sales

D = Decimal
MONDAY = date(2026, 12, 7)  # period 1 of the plans below


@pytest.fixture
def plant(world):
    """The world's calendar worked Monday to Friday (it has a Monday shift and Christmas Day off). A frame FRM-1
    (make, 2 days) is 2 sides SIDE-1 (make, 1 day; 4 in stock) and each side 3 tubes TUBE-1 (bought from the world's
    supplier in 3 days, at least 50 then tens; 10 in stock, 1.20 each from 50)."""
    owner, objects = world.owner, world.objects
    ea, calendar = objects["catalog.unitofmeasure"], objects["facilities.calendar"]
    with transaction.atomic(), org_scope(world.org):
        shift = objects["facilities.shift"]
        for weekday in (1, 2, 3, 4):
            facilities.shift_create(actor=owner, calendar=calendar, weekday=weekday, start=shift.start, end=shift.end)
        frame = catalog.item_create(
            actor=owner, sku="FRM-1", name="Frame", item_type="finished", uom=ea, lead_time_days=2
        )
        side = catalog.item_create(
            actor=owner, sku="SIDE-1", name="Side", item_type="subassembly", uom=ea, lead_time_days=1
        )
        tube = catalog.item_create(
            actor=owner, sku="TUBE-1", name="Tube", item_type="raw", uom=ea, min_order_qty=D("50"),
            order_multiple=D("10"), lot_rule="min_multiple",
        )  # fmt: skip
        for parent, child, qty in ((frame, side, "2"), (side, tube, "3")):
            bom = catalog.bom_create(actor=owner, item=parent)
            catalog.bom_line_add(actor=owner, bom=bom, component=child, quantity=D(qty))
            catalog.bom_release(actor=owner, obj=bom)
        supplied = partners.supplier_item_create(
            actor=owner, supplier=objects["partners.partner#supplier"], item=tube, lead_time_days=3, preferred=True
        )
        partners.supplier_price_break_create(
            actor=owner, supplier_item=supplied, min_quantity=D("50"), unit_price=D("1.20")
        )
        bin_ = objects["inventory.location"]
        inventory.stock_receive(actor=owner, item=side, location=bin_, quantity=D("4"), unit_cost=D("9"))
        inventory.stock_receive(actor=owner, item=tube, location=bin_, quantity=D("10"), unit_cost=D("1.1"))
        order = sales.sales_order_create(actor=owner, partner=objects["partners.partner"])
        sales.sales_order_line_create(
            actor=owner, order=order, item=frame, quantity=D("5"), unit_price=D("300"), promised_date=date(2026, 12, 16)
        )
        order = sales.sales_order_confirm(actor=owner, obj=order)
        objects.update(frame=frame, side=side, tube=tube, order=order)
    return world


def _plan(world, on=MONDAY):
    with org_scope(world.org):
        run = services.mrp_run(actor=world.owner, horizon_days=60, on=on)
        orders = {
            p.item.sku: p
            for p in PlannedOrder.objects.filter(run=run, item__sku__in=("FRM-1", "SIDE-1", "TUBE-1")).select_related(
                "item", "supplier"
            )
        }
        return run, orders


def test_a_sales_order_plans_the_assembly_its_sub_assembly_and_the_raw_material(plant):
    run, orders = _plan(plant)
    ref = f"{plant.objects['order'].number}/1"
    # FRM-1: 5 due Wed 16 Dec (period 8), released 2 working days before: Mon 14 Dec
    frame = orders["FRM-1"]
    assert (frame.source, frame.quantity, frame.due_date, frame.release_date) == (
        "make",
        D("5"),
        date(2026, 12, 16),
        date(2026, 12, 14),
    )
    # SIDE-1: 10 needed Mon 14 Dec, 4 in stock: 6 due then, released Fri 11 Dec
    side = orders["SIDE-1"]
    assert (side.quantity, side.due_date, side.release_date) == (D("6"), date(2026, 12, 14), date(2026, 12, 11))
    # TUBE-1: 18 needed Fri 11 Dec, 10 in stock: 8 short, at least 50: 50 from the supplier, released Tue 8 Dec
    tube = orders["TUBE-1"]
    assert (tube.source, tube.quantity, tube.due_date, tube.release_date) == (
        "buy",
        D("50"),
        date(2026, 12, 11),
        date(2026, 12, 8),
    )
    assert tube.supplier == plant.objects["partners.partner#supplier"]
    # each serves the sales order, traced down the BOM; the tubes the minimum adds are surplus
    assert frame.pegging == [{"ref": ref, "qty": "5"}] and side.pegging == [{"ref": ref, "qty": "6"}]
    assert [(peg["ref"], D(peg["qty"])) for peg in tube.pegging] == [(ref, D("8")), ("surplus", D("42"))]
    assert run.stats["demands"] >= 1 and run.stats["planned_make"] >= 2 and run.finished_at is not None
    assert run.starts_on == MONDAY


def test_an_items_projected_stock_counts_its_parents_proposals_as_they_are_released(plant):
    run, orders = _plan(plant)
    with org_scope(plant.org):
        # SIDE-1: 4 in stock; the frames' proposal takes 10 when released on Mon 14 Dec, its own 6 arrive that day
        assert selectors.projected(plant.objects["side"], run) == [(MONDAY, D("4")), (date(2026, 12, 14), D("0"))]
        # TUBE-1: 10 in stock; the sides take 18 on Fri 11 Dec, the 50 bought arrive then: 42 left over
        assert selectors.projected(plant.objects["tube"], run) == [(MONDAY, D("10")), (date(2026, 12, 11), D("42"))]


def test_a_release_already_late_is_a_message_and_the_forecast_is_consumed(plant):
    owner, objects = plant.owner, plant.objects
    with org_scope(plant.org):
        # 8 frames forecast for the week of 14 Dec: the order's 5 promised on the 16th consume 5 of them
        services.forecast_create(
            actor=owner, item=objects["frame"], starts_on=date(2026, 12, 14), ends_on=date(2026, 12, 18), quantity=D(8)
        )
    run, orders = _plan(plant, on=date(2026, 12, 15))  # Tuesday: the frames had to start on Monday
    with org_scope(plant.org):
        frames = PlannedOrder.objects.filter(run=run, item=objects["frame"]).order_by("due_date")
        # the 3 left of the forecast from today (its week began yesterday), the order's 5 on the 16th
        assert [(p.quantity, p.due_date, p.past_due) for p in frames] == [
            (D("3"), date(2026, 12, 15), True),
            (D("5"), date(2026, 12, 16), True),
        ]
        late = MrpMessage.objects.filter(run=run, item=objects["frame"], kind="past_due")
        assert late.exists() and "should have started" in late.first().text


def test_firming_makes_real_orders_and_the_next_run_counts_them(plant):
    owner, objects = plant.owner, plant.objects
    run, orders = _plan(plant)
    with org_scope(plant.org):
        chosen = [p.pk for p in orders.values()]
        made = services.planned_orders_firm(actor=owner, planned_orders=chosen)
        (po,) = made["purchase_orders"]
        assert po.partner == objects["partners.partner#supplier"] and po.status == "draft"
        line = po.lines.get()
        assert (line.item, line.quantity, line.unit_price, line.expected_date) == (
            objects["tube"],
            D("50"),
            D("1.2000"),
            date(2026, 12, 11),
        )
        works = {w.item.sku: w for w in made["work_orders"]}
        assert works["FRM-1"].source == "mrp" and works["FRM-1"].due_date == date(2026, 12, 16)
        assert works["SIDE-1"].quantity == D("6")
        assert set(PlannedOrder.objects.filter(pk__in=chosen).values_list("firmed_as", flat=True)) == {
            po.number,
            works["FRM-1"].number,
            works["SIDE-1"].number,
        }
        with pytest.raises(ConflictError) as twice:
            services.planned_orders_firm(actor=owner, planned_orders=chosen[:1])
        assert twice.value.code == "planned_order_already_firmed"
        with pytest.raises(DomainError) as none:
            services.planned_orders_firm(actor=owner, planned_orders=[])
        assert none.value.field == "planned_orders"
    rerun, again = _plan(plant)
    assert again == {}  # the draft work orders and the purchase order cover it all now
    with org_scope(plant.org):
        assert PlannedOrder.objects.filter(firmed_as=po.number).exists()  # firmed proposals outlive their run
        assert WorkOrder.objects.filter(source="mrp").count() == 2 and PurchaseOrder.objects.filter(pk=po.pk).exists()


def _proposals(world) -> dict[str, list[tuple]]:
    with org_scope(world.org):
        rows = PlannedOrder.objects.filter(status="proposed").select_related("item").order_by("due_date", "quantity")
        found: dict[str, list[tuple]] = {}
        for p in rows:
            pegs = tuple(sorted((peg["ref"], D(peg["qty"])) for peg in p.pegging))
            found.setdefault(p.item.sku, []).append((p.source, p.quantity, p.release_date, p.due_date, pegs, p.pk))
        return found


def test_a_net_change_after_a_new_order_replans_only_what_is_under_it_as_a_full_run_would(plant):
    """A bracket BRK-1 (make) also takes a tube and is sold too, so the tubes serve two parents. After the full run a
    new order for 4 spare sides: the net change replans SIDE-1 and TUBE-1 only (FRM-1 and BRK-1 keep their
    proposals, row for row), the frames' and brackets' pegs coming down as demand; and it plans what a full run
    plans."""
    owner, objects = plant.owner, plant.objects
    with org_scope(plant.org):
        bracket = catalog.item_create(actor=owner, sku="BRK-1", name="Bracket", item_type="finished",
                                      uom=objects["catalog.unitofmeasure"])  # fmt: skip
        bom = catalog.bom_create(actor=owner, item=bracket)
        catalog.bom_line_add(actor=owner, bom=bom, component=objects["tube"], quantity=D("2"))
        catalog.bom_release(actor=owner, obj=bom)
        order = sales.sales_order_create(actor=owner, partner=objects["partners.partner"])
        sales.sales_order_line_create(actor=owner, order=order, item=bracket, quantity=D("30"), unit_price=D("9"),
                                      promised_date=date(2026, 12, 21))  # fmt: skip
        sales.sales_order_confirm(actor=owner, obj=order)
    run, _ = _plan(plant)
    before = _proposals(plant)
    with org_scope(plant.org):
        spares = sales.sales_order_create(actor=owner, partner=objects["partners.partner"])
        sales.sales_order_line_create(actor=owner, order=spares, item=objects["side"], quantity=D("4"),
                                      unit_price=D("40"), promised_date=date(2026, 12, 10))  # fmt: skip
        spares = sales.sales_order_confirm(actor=owner, obj=spares)
        assert selectors.changed_since(run) == {objects["side"].pk}
        net = services.mrp_net_change(actor=owner)
        for source in ("make", "buy"):  # the run's counts kept true without counting the whole run again
            assert net.stats[f"planned_{source}"] == PlannedOrder.objects.filter(run=run, source=source).count()
        assert net.stats["messages"] == MrpMessage.objects.filter(run=run).count()
    after = _proposals(plant)
    assert net.pk == run.pk and net.stats["net_changes"][-1]["changed"] == 1
    assert net.stats["net_changes"][-1]["replanned"] == 2  # SIDE-1, then (a level down) the tubes under it
    assert net.stats["net_changes"][-1]["rewritten"] == 2 and net.stats["net_changes"][-1]["levels"] == 2
    assert after["FRM-1"] == before["FRM-1"] and after["BRK-1"] == before["BRK-1"]  # not touched: same rows
    # the 4 in stock go to the spares (needed first), so the frames' 10 sides are all to make now (6 before)
    assert [row[1] for row in before["SIDE-1"]] == [D("6")] and [row[1] for row in after["SIDE-1"]] == [D("10")]
    _plan(plant)  # the full run, from scratch
    full = _proposals(plant)
    assert {sku: [row[:5] for row in rows] for sku, rows in after.items()} == {
        sku: [row[:5] for row in rows] for sku, rows in full.items()
    }


def _in_order(world) -> dict[str, list[tuple]]:
    """Every proposal with its pegs in the order they were taken (first in, first out)."""
    with org_scope(world.org):
        rows = PlannedOrder.objects.filter(status="proposed").select_related("item").order_by("item__sku", "due_date")
        found: dict[str, list[tuple]] = {}
        for p in rows:
            pegs = tuple((peg["ref"], D(peg["qty"])) for peg in p.pegging)
            found.setdefault(p.item.sku, []).append((p.quantity, p.release_date, p.due_date, pegs, p.pk))
        return found


def test_a_net_change_pegs_as_a_full_run_even_when_parents_need_the_same_day_and_through_a_phantom(plant):
    """Three parents need tubes on Friday 11 Dec: BRK-1 (sold for the 11th), the sides (released the 11th for the
    frames due the 14th) and KIT-1 (sold for the 11th) through a phantom holder (HOLDER-1, its own BOM a tube). The
    10 tubes in stock go to whichever requirement comes first: the full run takes parents in its order (BRK-1 before
    KIT-1 before SIDE-1). A new order for brackets is replanned a level at a time, the kit's and the sides'
    proposals standing; the tubes' pegs come out in the full run's order. Then a net change of the frames, whose
    plan has not changed, stops there: nothing under them is read."""
    owner, objects = plant.owner, plant.objects
    ea, customer = objects["catalog.unitofmeasure"], objects["partners.partner"]
    with org_scope(plant.org):
        made = {}
        for sku, item_type in (("BRK-1", "finished"), ("KIT-1", "finished"), ("HOLDER-1", "subassembly")):
            made[sku] = catalog.item_create(actor=owner, sku=sku, name=sku, item_type=item_type, uom=ea)
        for parent, child, phantom in (("BRK-1", objects["tube"], False), ("HOLDER-1", objects["tube"], False),
                                       ("KIT-1", made["HOLDER-1"], True)):  # fmt: skip
            bom = catalog.bom_create(actor=owner, item=made[parent])
            catalog.bom_line_add(actor=owner, bom=bom, component=child, quantity=D("2"), phantom=phantom)
            catalog.bom_release(actor=owner, obj=bom)
        orders = {}
        for sku, quantity in (("BRK-1", "3"), ("KIT-1", "4")):
            orders[sku] = order = sales.sales_order_create(actor=owner, partner=customer)
            sales.sales_order_line_create(actor=owner, order=order, item=made[sku], quantity=D(quantity),
                                          unit_price=D("9"), promised_date=date(2026, 12, 11))  # fmt: skip
            sales.sales_order_confirm(actor=owner, obj=order)
    run, _ = _plan(plant)
    before = _in_order(plant)
    with org_scope(plant.org):
        more = sales.sales_order_create(actor=owner, partner=customer)
        sales.sales_order_line_create(actor=owner, order=more, item=made["BRK-1"], quantity=D("2"),
                                      unit_price=D("9"), promised_date=date(2026, 12, 11))  # fmt: skip
        sales.sales_order_confirm(actor=owner, obj=more)
        net = services.mrp_net_change(actor=owner).stats["net_changes"][-1]
    after = _in_order(plant)
    assert (net["replanned"], net["rewritten"], net["levels"]) == (2, 2, 2)  # the brackets, then the tubes
    for sku in ("FRM-1", "SIDE-1", "KIT-1"):
        assert after[sku] == before[sku]  # standing: the same rows
    _plan(plant)
    full = _in_order(plant)
    assert {sku: [row[:4] for row in rows] for sku, rows in after.items()} == {
        sku: [row[:4] for row in rows] for sku, rows in full.items()
    }
    # the brackets' 10 (first) took the 10 in stock; the order of 50 serves the kit's 16, then the sides' 18
    assert [(ref, qty) for ref, qty in full["TUBE-1"][0][3]] == [
        (f"{orders['KIT-1'].number}/1", 16),
        (f"{objects['order'].number}/1", 18),
        ("surplus", 16),
    ]
    with org_scope(plant.org):
        again = services.mrp_net_change(actor=owner, items={objects["frame"].pk}).stats["net_changes"][-1]
    assert (again["replanned"], again["rewritten"], again["under"]) == (1, 0, 2)
    assert _in_order(plant) == full


def test_a_net_change_needs_a_plan_to_change(world):
    with org_scope(world.org), transaction.atomic():
        from factoryos.mrp.models import MrpRun

        MrpRun.objects.all().delete()
        with pytest.raises(DomainError) as none:
            services.mrp_net_change(actor=world.owner)
        assert none.value.code == "no_full_run_yet"
        transaction.set_rollback(True)


def test_working_days_skip_weekends_and_holidays():
    days = selectors.WorkingDays.of(MONDAY, 60, {0, 1, 2, 3, 4}, {date(2026, 12, 25)})
    assert days.period(MONDAY) == 1 and days.date(1) == MONDAY
    assert days.period(date(2026, 12, 12)) == 6  # Saturday belongs to Monday 14th
    assert days.date(15) == date(2026, 12, 28)  # the 25th is skipped
    assert days.period(date(2026, 12, 4)) == 0 and days.date(0) == date(2026, 12, 4)  # the Friday before
