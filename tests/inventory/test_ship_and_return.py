"""Stock out to customers and back: shipments, customer and supplier returns, quarantine, FEFO lot suggestions."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from factoryos.catalog import services as catalog
from factoryos.inventory import selectors, services
from factoryos.inventory.models import ItemValuation, MoveReason, StockLevel
from factoryos.kernel.errors import DomainError
from factoryos.kernel.tenancy import org_scope
from tests.factories import api_post as post
from tests.inventory.test_stock import assert_levels_match_ledger

D = Decimal


@pytest.fixture
def scoped(world):
    """The world, in its organization, with stock of its own (other apps' worlds hold and move the world's items):
    a widget W-1 (10 at X-01 at 12.00, 2 of them reserved for WO-1), a lot-tracked powder P-1, bins X-01, X-02 and
    the quarantine bin Q-01 under the warehouse."""
    with transaction.atomic(), org_scope(world.org):
        owner, warehouse, ea = (
            world.owner, world.objects["inventory.location#warehouse"], world.objects["catalog.unitofmeasure"],
        )  # fmt: skip
        objects = world.objects
        objects["w"] = catalog.item_create(actor=owner, sku="W-1", name="Widget", item_type="purchased", uom=ea)
        objects["p"] = catalog.item_create(
            actor=owner, sku="P-1", name="Powder", item_type="raw", uom=ea, tracking="lot", standard_cost=D("7")
        )
        for code, quarantined in (("X-01", False), ("X-02", False), ("Q-01", True)):
            objects[code] = services.location_create(
                actor=owner, code=code, name=code, kind="bin", parent=warehouse, quarantine=quarantined
            )
        services.stock_receive(
            actor=owner, item=objects["w"], location=objects["X-01"], quantity=D("10"), unit_cost=D("12.00")
        )
        objects["held"] = services.stock_reserve(
            actor=owner, item=objects["w"], location=objects["X-01"], quantity=D("2"), reference="WO-1"
        )
        yield world


def on_hand(item, location, lot=None):
    row = StockLevel.objects.filter(item=item, location=location, lot=lot).first()
    return (row.on_hand, row.reserved) if row else (D("0"), D("0"))


@pytest.fixture
def quarantine(scoped):
    return scoped.objects["Q-01"]


def test_a_shipment_moves_stock_to_the_customer_consuming_its_reservation(scoped):
    owner, item, x = scoped.owner, scoped.objects["w"], scoped.objects["X-01"]
    held = scoped.objects["held"]  # 2 of the 10 at X-01, for WO-1
    move = services.stock_ship(
        actor=owner, item=item, location=x, quantity=D("1.5"), reservation=held, reference="SH-1"
    )
    assert (move.reason, move.to_location.kind, move.to_location.code, move.reference) == (
        MoveReason.SHIPMENT, "customer", "~CUSTOMER", "SH-1",
    )  # fmt: skip
    assert on_hand(item, x) == (D("8.5"), D("0.5"))
    held.refresh_from_db()
    assert (held.status, held.consumed) == ("active", D("1.5"))
    services.stock_ship(actor=owner, item=item, location=x, quantity=D("0.5"), reservation=held)
    held.refresh_from_db()
    assert (held.status, held.consumed, held.consumed_by_id) == ("consumed", D("2"), owner.user_id)
    # unreserved stock ships too, but never what others hold
    res = services.stock_reserve(actor=owner, item=item, location=x, quantity=D("3"), reference="SO-9")
    with pytest.raises(DomainError) as refused:
        services.stock_ship(actor=owner, item=item, location=x, quantity=D("6"))
    assert (refused.value.code, refused.value.field) == ("insufficient_stock", "quantity")
    services.stock_ship(actor=owner, item=item, location=x, quantity=D("5"))
    assert on_hand(item, x) == (D("3"), D("3"))
    with pytest.raises(DomainError) as over:
        services.stock_ship(actor=owner, item=item, location=x, quantity=D("4"), reservation=res)
    assert (over.value.code, over.value.field) == ("reservation_exceeded", "quantity")
    with pytest.raises(DomainError) as elsewhere:
        services.stock_ship(actor=owner, item=item, location=scoped.objects["X-02"], quantity=D("1"), reservation=res)
    assert (elsewhere.value.code, elsewhere.value.field) == ("reservation_mismatch", "reservation")
    # the valuation's quantity follows the stock out; its average stays
    valuation = ItemValuation.objects.get(item=item)
    assert (valuation.quantity, valuation.average_cost) == (D("3"), D("12"))
    assert_levels_match_ledger(scoped.org)


def test_a_lot_of_another_item_is_refused(scoped):
    owner, powder, x = scoped.owner, scoped.objects["p"], scoped.objects["X-01"]
    services.stock_receive(actor=owner, item=powder, location=x, quantity=D("4"), lot="P-100")
    lot = powder.lots.get(code="P-100")
    services.stock_ship(actor=owner, item=powder, location=x, quantity=D("1"), lot=lot)
    assert on_hand(powder, x, lot) == (D("3"), D("0"))
    with pytest.raises(DomainError) as wrong:
        services.stock_ship(actor=owner, item=scoped.objects["w"], location=x, quantity=D("1"), lot=lot)
    assert (wrong.value.code, wrong.value.field) == ("lot_of_other_item", "lot")


def test_quarantined_stock_is_never_reserved_or_shipped(scoped, quarantine):
    owner, item, x = scoped.owner, scoped.objects["w"], scoped.objects["X-01"]
    services.stock_transfer(actor=owner, item=item, from_location=x, to_location=quarantine, quantity=D("3"))
    for attempt in (services.stock_reserve, services.stock_ship):
        kwargs = {"reference": "SO-1"} if attempt is services.stock_reserve else {}
        with pytest.raises(DomainError) as refused:
            attempt(actor=owner, item=item, location=quarantine, quantity=D("1"), **kwargs)
        assert (refused.value.code, refused.value.field) == ("quarantined", "location")
    assert on_hand(item, quarantine) == (D("3"), D("0"))
    # rejects wait there for their supplier: a return to the supplier may take them
    move = services.stock_return_to_supplier(actor=owner, item=item, location=quarantine, quantity=D("2"))
    assert (move.reason, move.to_location.kind) == (MoveReason.RETURN, "supplier")
    assert on_hand(item, quarantine) == (D("1"), D("0"))


def test_only_a_physical_location_without_reservations_becomes_quarantine(scoped):
    owner, x = scoped.owner, scoped.objects["X-01"]
    with pytest.raises(DomainError) as virtual:
        services.location_create(actor=owner, code="~X", name="X", kind="customer", quarantine=True)
    assert (virtual.value.code, virtual.value.field) == ("virtual_location", "quarantine")
    with pytest.raises(DomainError) as reserved:  # X-01 holds WO-1's reservation
        services.location_update(actor=owner, obj=x, quarantine=True)
    assert (reserved.value.code, reserved.value.field) == ("quarantined", "quarantine")
    services.reservation_release(actor=owner, obj=scoped.objects["held"])
    assert services.location_update(actor=owner, obj=x, quarantine=True).quarantine is True


def test_a_customer_return_comes_back_into_quarantine_at_the_average_cost(scoped, quarantine):
    owner, item, x = scoped.owner, scoped.objects["w"], scoped.objects["X-01"]
    services.stock_receive(actor=owner, item=item, location=x, quantity=D("10"), unit_cost=D("13.00"))  # avg 12.50
    services.stock_ship(actor=owner, item=item, location=x, quantity=D("4"))
    move = services.stock_return_from_customer(
        actor=owner, item=item, location=quarantine, quantity=D("3"), reference="RMA-1"
    )
    assert (move.reason, move.from_location.code, move.unit_cost, move.reference) == (
        MoveReason.RETURN, "~CUSTOMER", D("12.5"), "RMA-1",
    )  # fmt: skip
    assert on_hand(item, quarantine) == (D("3"), D("0"))
    valuation = ItemValuation.objects.get(item=item)
    assert (valuation.quantity, valuation.average_cost) == (D("19"), D("12.5"))
    powder = scoped.objects["p"]
    services.stock_receive(actor=owner, item=powder, location=x, quantity=D("2"), lot="P-7")
    with pytest.raises(DomainError) as unknown:  # a return brings back a lot we know, never a new one
        services.stock_return_from_customer(actor=owner, item=powder, location=quarantine, quantity=D("1"), lot="NEW")
    assert (unknown.value.code, unknown.value.field) == ("unknown_lot", "lot")
    with pytest.raises(DomainError) as untracked:
        services.stock_return_from_customer(actor=owner, item=powder, location=quarantine, quantity=D("1"))
    assert (untracked.value.code, untracked.value.field) == ("lot_required", "lot")
    lot = services.stock_return_from_customer(
        actor=owner, item=powder, location=quarantine, quantity=D("1"), lot="P-7"
    ).lot
    assert on_hand(powder, quarantine, lot) == (D("1"), D("0"))
    assert_levels_match_ledger(scoped.org)


def test_quarantine_is_set_through_the_api(api, world):
    body = {"code": "Q-9", "name": "Quarantine", "kind": "bin", "quarantine": True, "site": world.pk("facilities.site")}
    assert post(api, "locations", body)["quarantine"] is True


# -- lot suggestions -----------------------------------------------------------------------------------------------
@pytest.fixture
def lots(scoped, quarantine):
    """The powder P-1 in lots: FIRST (4 at X-01, no expiry, received first), then LATE (5 at X-01, expires
    2027-06-01), SOON (3 at X-02, expires 2027-01-15, 1 reserved), NOEXP (2 at X-02, no expiry, received after
    FIRST), GONE (5 at X-01, expired 2026-01-01) and QUAR (5 in quarantine, expiring first of all)."""
    owner, powder, x1, x2 = scoped.owner, scoped.objects["p"], scoped.objects["X-01"], scoped.objects["X-02"]
    for code, where, qty, expires in (
        ("FIRST", x1, "4", None),
        ("LATE", x1, "5", date(2027, 6, 1)),
        ("SOON", x2, "3", date(2027, 1, 15)),
        ("NOEXP", x2, "2", None),
        ("GONE", x1, "5", date(2026, 1, 1)),
        ("QUAR", quarantine, "5", date(2026, 12, 20)),
    ):
        services.stock_receive(actor=owner, item=powder, location=where, quantity=D(qty), lot=code, expires_on=expires)
    services.stock_reserve(actor=owner, item=powder, location=x2, quantity=D("1"), lot="SOON", reference="SO-1")
    return scoped


def suggested(world, location, quantity, on=date(2026, 12, 1)):
    rows = selectors.suggest_lots(world.objects["p"], location, D(quantity), on=on)
    return [(level.lot.code, level.location.code, take) for level, take in rows]


def test_lots_are_suggested_first_expiry_first_then_first_in_first_out(lots):
    assert suggested(lots, None, "10") == [
        ("SOON", "X-02", D("2")),
        ("LATE", "X-01", D("5")),
        ("FIRST", "X-01", D("3")),
    ]
    # not enough: everything available, in order (never the expired lot, nor the quarantined one)
    assert suggested(lots, None, "100") == [
        ("SOON", "X-02", D("2")), ("LATE", "X-01", D("5")), ("FIRST", "X-01", D("4")), ("NOEXP", "X-02", D("2")),
    ]  # fmt: skip
    assert suggested(lots, lots.objects["X-02"], "3") == [("SOON", "X-02", D("2")), ("NOEXP", "X-02", D("1"))]
    # a warehouse covers the bins below it
    assert suggested(lots, lots.objects["inventory.location#warehouse"], "3") == [
        ("SOON", "X-02", D("2")), ("LATE", "X-01", D("1")),
    ]  # fmt: skip


def test_a_quarantined_or_expired_lot_is_never_suggested(lots, quarantine):
    assert {code for code, _, _ in suggested(lots, None, "1000")} == {"SOON", "LATE", "FIRST", "NOEXP"}
    assert suggested(lots, quarantine, "1") == []
    # the day after LATE expires, only the lots without expiry are left, oldest receipt first
    assert suggested(lots, None, "100", on=date(2027, 6, 2)) == [("FIRST", "X-01", D("4")), ("NOEXP", "X-02", D("2"))]


def test_untracked_stock_is_suggested_by_location(scoped):
    owner, item = scoped.owner, scoped.objects["w"]
    services.stock_receive(actor=owner, item=item, location=scoped.objects["X-02"], quantity=D("4"))
    rows = selectors.suggest_lots(item, None, D("10"))
    assert [(level.location.code, level.lot, take) for level, take in rows] == [
        ("X-01", None, D("8")), ("X-02", None, D("2")),
    ]  # fmt: skip
