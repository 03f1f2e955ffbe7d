"""Work orders: release copies the revision (materials with phantoms blown through, job cards with the routing's times
and rates) and reserves the components; the floor starts, pauses, reports in transfer batches and completes job
cards; materials are backflushed; the last operation's good output goes into stock; costs planned and actual."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from factoryos.catalog import services as catalog
from factoryos.facilities import services as facilities
from factoryos.inventory import services as inventory
from factoryos.inventory.models import Reservation, ReservationStatus, StockLevel, StockMove
from factoryos.kernel.errors import ConflictError, DomainError
from factoryos.kernel.tenancy import org_scope
from factoryos.production import selectors, services
from factoryos.production.models import JobStatus, NonConformance, TimeLog, WorkOrderStatus
from factoryos.purchasing import services as purchasing

D = Decimal


@pytest.fixture
def shop(world):
    """A chassis CHS-1 (lot tracked) made in two operations: 10 Cut on SAW (labour 60/h, machine 30/h; setup 15 min,
    2 min each) using 2 bars BAR-1 (5 % scrap) each, and 20 Weld on WLD (labour 90/h, machine 20/h, 80 % efficient;
    setup 10, 5 min each) using a phantom kit KIT-1 (4 bolts BOLT-1 each). Stock: 100 bars at $3 in S-01, 30 bolts
    at $0.10 in S-02, both under WH1."""
    owner, objects = world.owner, world.objects
    ea, site = objects["catalog.unitofmeasure"], objects["facilities.site"]
    warehouse = objects["inventory.location#warehouse"]
    with transaction.atomic(), org_scope(world.org):
        saw = facilities.work_center_create(
            actor=owner, site=site, code="SAW", name="Band saw", kind="saw", labour_rate=D("60"), machine_rate=D("30")
        )
        weld = facilities.work_center_create(
            actor=owner, site=site, code="WLD", name="Weld cell", kind="welding", labour_rate=D("90"),
            machine_rate=D("20"), efficiency_pct=D("80"),
        )  # fmt: skip
        bar = catalog.item_create(actor=owner, sku="BAR-1", name="Bar", item_type="raw", uom=ea, standard_cost=D("3"))
        bolt = catalog.item_create(actor=owner, sku="BOLT-1", name="Bolt", item_type="purchased", uom=ea)
        kit = catalog.item_create(actor=owner, sku="KIT-1", name="Bolt kit", item_type="manufactured", uom=ea)
        kit_bom = catalog.bom_create(actor=owner, item=kit)
        catalog.bom_line_add(actor=owner, bom=kit_bom, component=bolt, quantity=D("4"))
        catalog.bom_release(actor=owner, obj=kit_bom)
        chassis = catalog.item_create(
            actor=owner, sku="CHS-1", name="Chassis", item_type="manufactured", uom=ea, tracking="lot"
        )
        bom = catalog.bom_create(actor=owner, item=chassis)
        cut = catalog.operation_add(
            actor=owner, bom=bom, sequence=10, work_center=saw, description="Cut", setup_minutes=D("15"),
            run_minutes_per_unit=D("2"),
        )  # fmt: skip
        weld_op = catalog.operation_add(
            actor=owner, bom=bom, sequence=20, work_center=weld, description="Weld", setup_minutes=D("10"),
            run_minutes_per_unit=D("5"),
        )  # fmt: skip
        catalog.bom_line_add(actor=owner, bom=bom, component=bar, quantity=D("2"), scrap_pct=D("5"), operation=cut)
        catalog.bom_line_add(actor=owner, bom=bom, component=kit, quantity=D("1"), phantom=True, operation=weld_op)
        catalog.bom_release(actor=owner, obj=bom)
        for code, item, quantity, cost in (("S-01", bar, "100", "3"), ("S-02", bolt, "30", "0.10")):
            bin_ = inventory.location_create(actor=owner, code=code, name=code, kind="bin", parent=warehouse)
            objects[code] = bin_
            inventory.stock_receive(actor=owner, item=item, location=bin_, quantity=D(quantity), unit_cost=D(cost))
        objects.update(saw=saw, weld=weld, bar=bar, bolt=bolt, kit=kit, chassis=chassis, chassis_bom=bom)
    return world


def _wo(world, quantity="10", **fields):
    fields.setdefault("location", world.objects["inventory.location#warehouse"])
    return services.work_order_create(
        actor=world.owner, item=world.objects["chassis"], quantity=D(quantity), due_date=date(2026, 12, 18), **fields
    )


def _scope(world):
    return org_scope(world.org)


def test_release_copies_the_revision_reserves_what_there_is_and_fixes_the_planned_cost(shop):
    owner, objects = shop.owner, shop.objects
    with _scope(shop):
        order = services.work_order_release(actor=owner, obj=_wo(shop))
        assert order.status == WorkOrderStatus.RELEASED and order.bom == objects["chassis_bom"]
        assert order.released_by == owner.user and order.number.startswith("WO-")
        cut, weld = order.job_cards.order_by("sequence")
        assert (cut.work_center, cut.setup_minutes, cut.run_minutes_per_unit) == (objects["saw"], 15, 2)
        assert (weld.work_center, weld.labour_rate, weld.machine_rate) == (objects["weld"], 90, 20)
        assert (cut.planned_minutes, weld.planned_minutes) == (35, D("75"))  # 10 + 5 x 10 at 80 %: 60 / 0.8
        materials = {m.item.sku: m for m in order.materials.select_related("item", "job_card")}
        assert set(materials) == {"BAR-1", "BOLT-1"}  # the phantom kit is blown through to its bolts
        assert materials["BAR-1"].quantity == D("21") and materials["BAR-1"].job_card == cut  # 10 x 2 x 1.05
        assert materials["BOLT-1"].quantity == D("40") and materials["BOLT-1"].job_card == weld
        # 100 bars are there: 21 reserved; only 30 bolts: all 30 reserved, 10 short
        assert selectors.held(materials["BAR-1"]) == D("21")
        assert selectors.held(materials["BOLT-1"]) == D("30")
        assert StockLevel.objects.get(item=objects["bolt"]).reserved == D("30")
        # planned: material 21 x 3 + 40 x 0.10 = 67.00; cut 15 + 20 = 35 min, weld (10 + 50) / 0.8 = 75 min
        assert order.planned_material_cost == D("67.00")
        assert order.planned_labour_cost == D("147.50")  # 35/60 x 60 + 75/60 x 90
        assert order.planned_machine_cost == D("42.50")  # 35/60 x 30 + 75/60 x 20
        # engineering changes the BOM afterwards: the released order keeps what it was released with
        draft = catalog.bom_create(actor=owner, item=objects["chassis"])
        catalog.bom_line_update(actor=owner, obj=draft.lines.get(component=objects["bar"]), quantity=D("3"))
        catalog.bom_release(actor=owner, obj=draft)
        assert order.materials.get(item=objects["bar"]).quantity == D("21")
        with pytest.raises(ConflictError) as refused:
            services.work_order_update(actor=owner, obj=order, quantity=D("12"))
        assert refused.value.code == "locked"


def test_release_refusals_name_the_field(shop):
    owner, objects = shop.owner, shop.objects
    with _scope(shop):
        with pytest.raises(DomainError) as other:
            _wo(shop, bom=objects["catalog.bom#released"])
        assert (other.value.code, other.value.field) == ("bom_of_another_item", "bom")
        with pytest.raises(DomainError) as virtual:
            _wo(shop, location=inventory.virtual_location("production"))
        assert virtual.value.field == "location"
        unplanned = catalog.item_create(
            actor=owner, sku="NEW-1", name="New", item_type="manufactured", uom=objects["catalog.unitofmeasure"]
        )
        order = services.work_order_create(
            actor=owner, item=unplanned, quantity=D("1"), location=objects["inventory.location#warehouse"],
            due_date=date(2026, 12, 1),
        )  # fmt: skip
        with pytest.raises(DomainError) as no_bom:
            services.work_order_release(actor=owner, obj=order)
        assert (no_bom.value.code, no_bom.value.field) == ("no_released_bom", "bom")
        assert order.job_cards.count() == 0 and Reservation.objects.filter(reference=order.number).count() == 0


def test_the_floor_runs_in_transfer_batches_backflushes_and_puts_the_output_into_stock(shop):
    owner, objects = shop.owner, shop.objects
    with _scope(shop):
        inventory.stock_receive(actor=owner, item=objects["bolt"], location=objects["S-02"], quantity=D("20"))
        order = services.work_order_release(actor=owner, obj=_wo(shop, lot_code="CH-2612"))
        cut, weld = order.job_cards.order_by("sequence")
        with pytest.raises(ConflictError) as early:
            services.job_card_start(actor=owner, obj=weld)
        assert early.value.code == "nothing_arrived"
        cut = services.job_card_start(actor=owner, obj=cut)
        order.refresh_from_db()
        assert order.status == WorkOrderStatus.STARTED and cut.status == JobStatus.RUNNING
        with pytest.raises(DomainError) as why:
            services.job_card_pause(actor=owner, obj=cut)
        assert why.value.field == "reason"
        TimeLog.objects.filter(job_card=cut).update(started_at=timezone.now() - timedelta(minutes=30))
        cut = services.job_card_pause(actor=owner, obj=cut, reason="material")
        log = cut.time_logs.get()
        assert log.end_reason == "material" and D("29.9") < log.minutes < D("30.2")
        cut = services.job_card_start(actor=owner, obj=cut)  # resume: a new log
        assert cut.time_logs.filter(ended_at__isnull=True).count() == 1
        # a batch of 4 good: 4 x 2.1 bars backflushed from the reservation; the weld can start on those 4
        services.job_card_report(actor=owner, obj=cut, good=D("4"))
        bar = order.materials.get(item=objects["bar"])
        assert bar.issued == D("8.4") and bar.issued_cost == D("25.20")
        assert selectors.held(bar) == D("12.6")
        weld = services.job_card_start(actor=owner, obj=weld)
        with pytest.raises(DomainError) as over:
            services.job_card_report(actor=owner, obj=weld, good=D("5"))
        assert (over.value.code, over.value.field) == ("over_reported", "good")
        with pytest.raises(DomainError) as scrap_why:
            services.job_card_report(actor=owner, obj=weld, scrap=D("1"))
        assert scrap_why.value.field == "scrap_reason"
        services.job_card_report(actor=owner, obj=weld, good=D("3"), scrap=D("1"), scrap_reason="dimension")
        made = StockMove.objects.get(reason="production", item=objects["chassis"])
        assert made.quantity == D("3") and made.lot.code == "CH-2612" and made.reference == order.number
        assert made.unit_cost == (order.planned_cost / 10).quantize(D("0.0001"))
        with pytest.raises(ConflictError) as not_yet:
            services.job_card_complete(actor=owner, obj=weld)
        assert not_yet.value.code == "previous_operation_not_done"
        services.job_card_complete(actor=owner, obj=cut, good=D("6"))
        services.job_card_complete(actor=owner, obj=weld, good=D("6"))
        order.refresh_from_db()
        assert order.status == WorkOrderStatus.COMPLETED
        assert (order.quantity_completed, order.quantity_scrapped) == (D("9"), D("1"))
        assert StockLevel.objects.get(item=objects["chassis"]).on_hand == D("9")
        assert order.materials.get(item=objects["bar"]).issued == D("21")
        assert order.materials.get(item=objects["bolt"]).issued == D("40")  # 30 reserved + 10 free
        assert not TimeLog.objects.filter(job_card__work_order=order, ended_at__isnull=True).exists()
        order = services.work_order_close(actor=owner, obj=order)
        assert not Reservation.objects.filter(reference=order.number, status=ReservationStatus.ACTIVE).exists()


def test_a_backflush_short_of_stock_is_refused_and_nothing_moves(shop):
    owner = shop.owner
    with _scope(shop):
        order = services.work_order_release(actor=owner, obj=_wo(shop))  # 30 of the 40 bolts it needs
        cut, weld = order.job_cards.order_by("sequence")
        services.job_card_start(actor=owner, obj=cut)
        services.job_card_complete(actor=owner, obj=cut, good=D("10"))
        services.job_card_start(actor=owner, obj=weld)
        moves = StockMove.objects.count()
        with pytest.raises(ConflictError) as short, transaction.atomic():
            services.job_card_report(actor=owner, obj=weld, good=D("10"))
        assert short.value.code == "material_short" and "BOLT-1" in str(short.value)
        assert StockMove.objects.count() == moves
        weld.refresh_from_db()
        assert weld.quantity_good == 0


def test_cancel_gives_the_reservations_back_and_a_started_order_cannot_be_cancelled(shop):
    owner, objects = shop.owner, shop.objects
    with _scope(shop):
        order = services.work_order_release(actor=owner, obj=_wo(shop))
        services.work_order_cancel(actor=owner, obj=order)
        assert StockLevel.objects.get(item=objects["bar"]).reserved == 0
        other = services.work_order_release(actor=owner, obj=_wo(shop, quantity="1"))
        services.job_card_start(actor=owner, obj=other.job_cards.order_by("sequence").first())
        with pytest.raises(ConflictError) as refused:
            services.work_order_cancel(actor=owner, obj=other)
        assert refused.value.code == "transition_not_allowed"


def test_actual_cost_adds_up_issues_time_and_scrap(shop):
    owner = shop.owner
    with _scope(shop):
        order = services.work_order_release(actor=owner, obj=_wo(shop, quantity="2"))
        cut, weld = order.job_cards.order_by("sequence")
        services.job_card_start(actor=owner, obj=cut)
        TimeLog.objects.filter(job_card=cut).update(started_at=timezone.now() - timedelta(minutes=20))
        services.job_card_complete(actor=owner, obj=cut, good=D("2"))
        services.job_card_start(actor=owner, obj=weld)
        TimeLog.objects.filter(job_card=weld).update(started_at=timezone.now() - timedelta(minutes=30))
        services.job_card_complete(actor=owner, obj=weld, good=D("1"), scrap=D("1"), scrap_reason="operator")
        cost = selectors.cost(order)
        assert cost.actual_material == D("12.60") + D("0.80")  # 4.2 bars x 3, 8 bolts x 0.10
        assert D("64.9") < cost.actual_labour < D("65.3")  # 20 min x 60/h + 30 min x 90/h
        assert D("19.9") < cost.actual_machine < D("20.2")  # 20 min x 30/h + 30 min x 20/h
        assert cost.scrap == (order.planned_material_cost / 2).quantize(D("0.01"))
        assert cost.planned == order.planned_cost
        assert cost.variance == cost.actual - cost.planned


def test_an_outside_operation_raises_its_service_order_goes_out_and_comes_back_at_its_price(shop):
    owner, objects = shop.owner, shop.objects
    coater = objects["partners.partner#supplier"]
    with _scope(shop):
        panel = catalog.item_create(
            actor=owner, sku="PNL-9", name="Coated panel", item_type="finished", uom=objects["catalog.unitofmeasure"]
        )
        bom = catalog.bom_create(actor=owner, item=panel)
        cut = catalog.operation_add(
            actor=owner, bom=bom, sequence=10, work_center=objects["saw"], description="Cut", run_minutes_per_unit=D(1)
        )
        catalog.operation_add(
            actor=owner, bom=bom, sequence=20, work_center=objects["weld"], description="Powder coat RAL 9005",
            supplier=coater, outside_price=D("4.50"), outside_lead_days=5,
        )  # fmt: skip
        catalog.bom_line_add(actor=owner, bom=bom, component=objects["bar"], quantity=D("1"), operation=cut)
        catalog.bom_release(actor=owner, obj=bom)
        order = services.work_order_release(
            actor=owner,
            obj=services.work_order_create(
                actor=owner, item=panel, quantity=D("10"), location=objects["inventory.location#warehouse"],
                due_date=date(2026, 12, 18),
            ),
        )  # fmt: skip
        cut_card, coat = order.job_cards.order_by("sequence")
        line = coat.purchase_order_line
        purchase = line.purchase_order
        assert (purchase.partner, purchase.status, line.item, line.quantity, line.unit_price) == (
            coater,
            "draft",
            None,
            D("10"),
            D("4.5000"),
        )
        assert "Powder coat RAL 9005: " + order.number in line.description
        assert order.planned_outside_cost == D("45.00") and coat.labour_rate == 0
        with pytest.raises(ConflictError) as not_here:
            services.job_card_start(actor=owner, obj=coat)
        assert not_here.value.code == "outside_operation"
        services.job_card_start(actor=owner, obj=cut_card)
        services.job_card_complete(actor=owner, obj=cut_card, good=D("10"))
        coat = services.job_card_send(actor=owner, obj=coat)
        assert (coat.status, coat.quantity_sent) == ("at_supplier", D("10"))
        with pytest.raises(ConflictError) as unsent, transaction.atomic():  # the coater has not been sent it yet
            services.job_card_receive(actor=owner, obj=coat, good=D("9"), scrap=D("1"), scrap_reason="damage")
        assert (unsent.value.code, unsent.value.field) == ("not_open_for_receipt", "po_line")
        purchasing.purchase_order_send(actor=owner, obj=purchasing.purchase_order_submit(actor=owner, obj=purchase))
        coat = services.job_card_receive(actor=owner, obj=coat, good=D("9"), scrap=D("1"), scrap_reason="damage")
        order.refresh_from_db()
        purchase.refresh_from_db()
        assert coat.status == "done" and order.status == WorkOrderStatus.COMPLETED
        assert StockLevel.objects.get(item=panel).on_hand == D("9") and purchase.status == "received"
        cost = selectors.cost(order)
        assert (cost.planned_outside, cost.actual_outside) == (D("45.00"), D("45.00"))


def test_a_failed_check_opens_a_non_conformance_whose_scrap_costs_the_order(shop):
    owner, objects = shop.owner, shop.objects
    with _scope(shop):
        draft = catalog.bom_create(actor=owner, item=objects["chassis"])
        weld_op = draft.operations.get(sequence=20)
        catalog.operation_check_add(
            actor=owner, operation=weld_op, name="Diagonal", kind="measure", nominal=D("1200"), minus=D("1"),
            plus=D("2"), unit="mm",
        )  # fmt: skip
        catalog.operation_check_add(actor=owner, operation=weld_op, name="Weld visual", kind="pass_fail")
        catalog.bom_release(actor=owner, obj=draft)
        order = services.work_order_release(actor=owner, obj=_wo(shop, quantity="4"))
        weld = order.job_cards.get(sequence=20)
        diagonal, visual = weld.checks.order_by("pk")
        assert (diagonal.nominal, diagonal.unit, visual.kind) == (D("1200"), "mm", "pass_fail")
        assert services.check_record(actor=owner, obj=diagonal, value=D("1201.5")).passed  # within +2
        with pytest.raises(DomainError) as missing:
            services.check_record(actor=owner, obj=diagonal)
        assert (missing.value.code, missing.value.field) == ("check_value_required", "value")
        failed = services.check_record(actor=owner, obj=diagonal, value=D("1198.5"))  # below -1
        assert not failed.passed
        ncr = NonConformance.objects.get(result=failed)
        assert ncr.description == "Diagonal: 1198.5 mm (allowed 1199 to 1202)" and ncr.job_card == weld
        assert services.check_record(actor=owner, obj=visual, passed=True).passed
        with pytest.raises(DomainError) as undecided:
            services.non_conformance_close(actor=owner, obj=ncr)
        assert undecided.value.field == "disposition"
        services.non_conformance_update(actor=owner, obj=ncr, disposition="scrap", root_cause="setup")
        ncr = services.non_conformance_close(actor=owner, obj=ncr)
        order.refresh_from_db()
        assert ncr.status == "closed" and ncr.cost == (order.planned_cost / 4).quantize(D("0.01"))
        assert selectors.cost(order).scrap == ncr.cost
        trend = selectors.ncr_trend(NonConformance.objects.filter(work_order=order))
        assert [(row["key"], row["count"], row["cost"]) for row in trend["cause"]] == [("setup", 1, ncr.cost)]
        assert trend["work_center"][0]["key"] == "WLD"
