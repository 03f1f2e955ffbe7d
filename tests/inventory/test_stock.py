"""The stock ledger: receipts, transfers, adjustments, issues, reservations, counts, valuation, reorder, trace."""

import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from factoryos.inventory import selectors, services
from factoryos.inventory.models import Reservation, StockLevel, StockMove
from factoryos.inventory.rules import suggested_order_qty
from factoryos.kernel.tenancy import org_scope
from tests.factories import api_post as post
from tests.factories import make_world

D = Decimal


def level(world, item_key="catalog.item", location_key="inventory.location"):
    with org_scope(world.org):
        row = StockLevel.objects.get(item=world.objects[item_key], location=world.objects[location_key], lot=None)
        return row.on_hand, row.reserved


def assert_levels_match_ledger(org):
    with transaction.atomic(), org_scope(org):
        for row in StockLevel.objects.all():
            assert row.on_hand == selectors.ledger_sum(row.item_id, row.location_id, row.lot_id), row


def test_receipts_move_the_average_cost_and_transfers_keep_it(api, world):
    # world: 10 brackets received at 12.00 into A-01 (2 reserved)
    item, a, b = world.pk("catalog.item"), world.pk("inventory.location"), world.pk("inventory.location#bin2")
    post(api, "stock/receipts", {"item": item, "location": a, "quantity": "30", "unit_cost": "16.00"})
    # (10 x 12 + 30 x 16) / 40 = 15.00
    value = api.get("/api/v1/stock/valuation").json()
    assert D(value["by_location"][0]["value"]) == D("40") * D("15") + D("4") * D("180")
    post(api, "stock/transfers", {"item": item, "from_location": a, "to_location": b, "quantity": "5"})
    assert level(world) == (D("35"), D("2")) and level(world, location_key="inventory.location#bin2")[0] == 5
    assert D(api.get("/api/v1/stock/valuation").json()["total"]) == D("40") * 15 + 4 * 180
    assert_levels_match_ledger(world.org)


def test_an_issue_beyond_what_is_available_is_a_clear_409_and_writes_nothing(api, world):
    item, a = world.pk("catalog.item"), world.pk("inventory.location")
    moves_before = api.get("/api/v1/stock-moves").json()["count"]
    refused = post(api, "stock/issues", {"item": item, "location": a, "quantity": "9"}, status=409)  # 10 - 2 reserved
    assert refused["errors"] == [
        {
            "field": "quantity",
            "message": "Only 8 ea of BRK-100 available at A-01; 9 needed.",
            "code": "insufficient_stock",
        }
    ]
    assert api.get("/api/v1/stock-moves").json()["count"] == moves_before and level(world) == (D("10"), D("2"))
    post(api, "stock/issues", {"item": item, "location": a, "quantity": "8"})
    assert level(world) == (D("2"), D("2"))


def test_reservations_hold_stock_until_consumed_or_released(api, world):
    item, a = world.pk("catalog.item"), world.pk("inventory.location")
    held = world.pk("inventory.reservation")  # 2 for WO-1000
    post(api, "reservations", {"item": item, "location": a, "quantity": "9", "reference": "WO-2"}, status=409)
    # consumed in two issues: the reservation keeps its size, what it consumed grows, then it is consumed
    post(api, "stock/issues", {"item": item, "location": a, "quantity": "1.5", "reservation": held})
    partly = api.get(f"/api/v1/reservations/{held}").json()
    assert partly["status"] == "active"
    assert [D(partly[k]) for k in ("quantity", "consumed", "remaining")] == [D("2"), D("1.5"), D("0.5")]
    post(api, "stock/issues", {"item": item, "location": a, "quantity": "1", "reservation": held}, status=400)
    post(api, "stock/issues", {"item": item, "location": a, "quantity": "0.5", "reservation": held})
    assert level(world) == (D("8"), D("0"))
    done = api.get(f"/api/v1/reservations/{held}").json()
    assert done["status"] == "consumed"
    assert [D(done[k]) for k in ("quantity", "consumed", "remaining")] == [D("2"), D("2"), D("0")]
    with org_scope(world.org):
        stamped = Reservation.objects.get(pk=held)
        assert stamped.consumed_by_id == world.owner.user_id and stamped.consumed_at is not None
    mine = post(api, "reservations", {"item": item, "location": a, "quantity": "3", "reference": "WO-3"})
    assert level(world) == (D("8"), D("3"))
    assert api.post(f"/api/v1/reservations/{mine['id']}/release").json()["status"] == "released"
    assert level(world) == (D("8"), D("0"))
    again = api.post(f"/api/v1/reservations/{mine['id']}/release")
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"


def test_tracked_items_need_their_lot_and_serials_move_one_at_a_time(api, world):
    sheet, a = world.pk("catalog.item#sheet"), world.pk("inventory.location")
    no_lot = post(api, "stock/receipts", {"item": sheet, "location": a, "quantity": "1"}, status=400)
    assert no_lot["errors"][0]["field"] == "lot"
    wrong_lot = post(api, "stock/issues", {"item": sheet, "location": a, "quantity": "1", "lot": "NOPE"}, status=400)
    assert wrong_lot["errors"][0]["field"] == "lot"
    serial = post(
        api,
        "items",
        {
            "sku": "LASER-HEAD",
            "name": "Laser head",
            "item_type": "purchased",
            "uom": world.pk("catalog.unitofmeasure"),
            "tracking": "serial",
        },
    )
    two = post(api, "stock/receipts", {"item": serial["id"], "location": a, "quantity": "2", "lot": "SN-1"}, status=400)
    assert "one serial number at a time" in two["errors"][0]["message"]
    post(api, "stock/receipts", {"item": serial["id"], "location": a, "quantity": "1", "lot": "SN-1"})


def test_quantities_in_another_unit_are_converted(api, world):
    sheet, a = world.pk("catalog.item#sheet"), world.pk("inventory.location")
    kg = world.pk("catalog.unitofmeasure#kg")
    move = post(api, "stock/issues", {"item": sheet, "location": a, "quantity": "69.2", "uom": kg, "lot": "HEAT-881"})
    assert D(move["quantity"]) == 2 and D(move["entered_quantity"]) == D("69.2")  # 1 sheet = 34.6 kg


def test_a_cycle_count_posts_its_variances(api, world):
    a = world.pk("inventory.location")
    sheet = post(api, "count-sheets", {"location": a})
    lines = api.get(f"/api/v1/count-lines?sheet={sheet['id']}").json()["items"]
    assert {D(line["expected"]) for line in lines} == {D("10"), D("4")}
    unposted = api.post(f"/api/v1/count-sheets/{sheet['id']}/post")
    assert unposted.status_code == 400 and unposted.json()["errors"][0]["field"] == "lines"
    for line in lines:
        counted = "7" if D(line["expected"]) == 10 else line["expected"]
        assert (
            api.patch(
                f"/api/v1/count-lines/{line['id']}", {"counted": counted}, content_type="application/json"
            ).status_code
            == 200
        )
    assert api.post(f"/api/v1/count-sheets/{sheet['id']}/post").json()["status"] == "posted"
    assert level(world) == (D("7"), D("2"))
    count_moves = api.get("/api/v1/stock-moves?reason=count").json()["items"]
    assert [(D(m["quantity"]), m["reference"]) for m in count_moves] == [(D("3"), f"COUNT-{sheet['id']}")]
    assert_levels_match_ledger(world.org)


@pytest.mark.parametrize(
    "available,point,reorder,moq,multiple,expected",
    [
        ("50", "20", "100", "0", "0", "0"),  # above the reorder point: nothing
        ("5", "20", "100", "0", "0", "100"),  # the reorder quantity
        ("-30", "20", "40", "0", "0", "50"),  # back to the reorder point needs more than the reorder quantity
        ("5", "20", "10", "25", "0", "25"),  # at least the minimum order
        ("5", "20", "100", "0", "12", "108"),  # rounded up to whole multiples
        ("5", "20", "10", "25", "12", "36"),
    ],
)
def test_reorder_quantity(available, point, reorder, moq, multiple, expected):
    assert suggested_order_qty(
        available=D(available),
        reorder_point=D(point),
        reorder_qty=D(reorder),
        min_order_qty=D(moq),
        order_multiple=D(multiple),
    ) == D(expected)


def test_reorder_report_lists_items_below_their_point(api, world):
    api.patch(
        f"/api/v1/items/{world.pk('catalog.item')}",
        {"reorder_point": "20", "reorder_qty": "25", "order_multiple": "10"},
        content_type="application/json",
    )
    (row,) = api.get("/api/v1/stock/reorder").json()
    assert (row["sku"], D(row["available"]), D(row["suggested"])) == ("BRK-100", D("8"), D("30"))


def test_lot_trace_shows_where_a_lot_went_and_what_went_into_a_made_lot(api, world):
    sheet_lot = world.pk("inventory.lot")
    a = world.pk("inventory.location")
    bracket_lot_item = post(
        api,
        "items",
        {
            "sku": "BRK-LOT",
            "name": "Lot bracket",
            "item_type": "manufactured",
            "uom": world.pk("catalog.unitofmeasure"),
            "tracking": "lot",
        },
    )
    made = post(
        api, "stock/receipts", {"item": bracket_lot_item["id"], "location": a, "quantity": "5", "lot": "B-2611"}
    )
    post(
        api,
        "stock/issues",
        {
            "item": world.pk("catalog.item#sheet"),
            "location": a,
            "quantity": "1",
            "lot": "HEAT-881",
            "produced_lot": made["lot_id"],
        },
    )
    trace = api.get(f"/api/v1/lots/{made['lot_id']}/trace").json()
    assert [(c["sku"], c["lot"]) for c in trace["components"]] == [("SHT-304-1.5", "HEAT-881")]
    forward = api.get(f"/api/v1/lots/{sheet_lot}/trace").json()
    assert [m["reason"] for m in forward["moves"]] == ["receipt", "issue"]
    assert [(u["sku"], u["lot"]) for u in forward["used_in"]] == [("BRK-LOT", "B-2611")]
    # the made lot's own history: received once, into A-01, not (yet) used in anything else
    assert [(m["reason"], D(m["quantity"]), m["to_location"]) for m in trace["moves"]] == [("receipt", D("5"), "A-01")]
    assert trace["used_in"] == []


def test_the_database_refuses_negative_stock_even_past_the_service(world):
    with org_scope(world.org), pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(item=world.objects["catalog.item"]).update(on_hand=D("-1"))


def test_the_ledger_is_append_only_on_postgresql(world, postgres_only):
    from django.db import DatabaseError

    # the application role has no UPDATE on it (kernel/dbroles.py); the trigger refuses any other role too
    refused = "append-only|permission denied"
    with org_scope(world.org), pytest.raises(DatabaseError, match=refused), transaction.atomic():
        StockMove.objects.filter(item=world.objects["catalog.item"]).update(note="edited")


# -- concurrency (PostgreSQL: real row locks between real connections) ----------------------------------------------
def _threads(count, target):
    errors, results = [], []

    def run(n):
        try:
            results.append(target(n))
        except Exception as exc:  # noqa: BLE001 - collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_sixteen_threads_issue_from_a_stock_of_ten(postgres_only):
    from factoryos.kernel.errors import ConflictError

    world = make_world(upto="inventory")
    org, owner = world.org, world.owner
    item, location = world.objects["catalog.item"], world.objects["inventory.location#bin2"]
    with transaction.atomic(), org_scope(org):
        services.stock_receive(actor=owner, item=item, location=location, quantity=D("10"))

    def issue(_n):
        with transaction.atomic(), org_scope(org):
            return services.stock_issue(actor=owner, item=item, location=location, quantity=D("1"))

    moves, errors = _threads(16, issue)
    assert len(moves) == 10 and len(errors) == 6
    assert all(isinstance(e, ConflictError) and e.code == "insufficient_stock" for e in errors), errors
    with transaction.atomic(), org_scope(org):
        assert StockLevel.objects.get(item=item, location=location).on_hand == 0
        assert selectors.ledger_sum(item.pk, location.pk) == 0
    assert_levels_match_ledger(org)


@pytest.mark.django_db(transaction=True)
def test_eight_threads_of_random_moves_keep_every_level_equal_to_its_ledger(postgres_only):
    import random

    from factoryos.kernel.errors import ConflictError

    world = make_world(upto="inventory")
    org, owner = world.org, world.owner
    item = world.objects["catalog.item"]
    with transaction.atomic(), org_scope(org):
        bins = [world.objects["inventory.location"], world.objects["inventory.location#bin2"]]
        bins += [
            services.location_create(
                actor=owner,
                code=f"C-{n}",
                name=f"Bin C-{n}",
                kind="bin",
                parent=world.objects["inventory.location#warehouse"],
            )
            for n in range(2)
        ]
        for b in bins:
            services.stock_receive(actor=owner, item=item, location=b, quantity=D("50"))

    def worker(n):
        rng = random.Random(n)
        done = 0
        for _ in range(500):
            kind = rng.random()
            src, dst = rng.sample(bins, 2)
            qty = D(rng.randint(1, 5))
            try:
                with transaction.atomic(), org_scope(org):
                    if kind < 0.6:
                        services.stock_transfer(
                            actor=owner, item=item, from_location=src, to_location=dst, quantity=qty
                        )
                    elif kind < 0.8:
                        services.stock_receive(actor=owner, item=item, location=dst, quantity=qty)
                    else:
                        services.stock_issue(actor=owner, item=item, location=src, quantity=qty)
                done += 1
            except ConflictError:
                pass  # not enough at the source: a clean refusal is a valid outcome
        return done

    done, errors = _threads(8, worker)
    assert errors == [] and sum(done) > 3000
    assert_levels_match_ledger(org)
    with transaction.atomic(), org_scope(org):
        assert all(row.on_hand >= 0 for row in StockLevel.objects.all())
