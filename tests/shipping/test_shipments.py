"""Shipments from sales orders (proposed where the stock is, picked, packed, shipped, cancelled), packing slips and
customer returns into quarantine."""

import io
import json
import threading
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from django.db import connection, transaction

from factoryos.catalog import services as catalog
from factoryos.documents import selectors as documents
from factoryos.inventory import services as inventory
from factoryos.inventory.models import Reservation, StockLevel, StockMove
from factoryos.kernel.errors import ConflictError
from factoryos.kernel.tenancy import org_scope
from factoryos.partners import services as partners
from factoryos.sales import services as sales
from factoryos.sales.models import SalesOrder, SalesOrderLine
from factoryos.shipping import services
from factoryos.shipping.models import Shipment
from tests.factories import api_post as post
from tests.factories import make_world

D = Decimal


def _shop(world):
    """Stock of the shop's own (the world's items are held and moved by other apps' worlds): gizmo GIZ-1, 10 at S-01
    and 4 at S-02; gel GEL-1 (lot tracked), none yet; and the quarantine bin the world has (QA-01)."""
    owner, objects = world.owner, world.objects
    warehouse, ea = objects["inventory.location#warehouse"], objects["catalog.unitofmeasure"]
    with transaction.atomic(), org_scope(world.org):
        objects["giz"] = catalog.item_create(actor=owner, sku="GIZ-1", name="Gizmo", item_type="purchased", uom=ea)
        objects["gel"] = catalog.item_create(
            actor=owner, sku="GEL-1", name="Gel", item_type="purchased", uom=ea, tracking="lot"
        )
        partners.partner_address_create(
            actor=owner, partner=objects["partners.partner"], kind="shipping", name="Dock 3", line1="40 Davis Road",
            city="Wetherill Park", state="NSW", postcode="2164", country="AU", is_default=True,
        )  # fmt: skip
        for code in ("S-01", "S-02"):
            objects[code] = inventory.location_create(actor=owner, code=code, name=code, kind="bin", parent=warehouse)
        for code, quantity in (("S-01", "10"), ("S-02", "4")):
            inventory.stock_receive(
                actor=owner, item=objects["giz"], location=objects[code], quantity=D(quantity), unit_cost=D("5")
            )
    return world


@pytest.fixture
def shop(world):
    return _shop(world)


def order_of(world, item_key, quantity, *, confirm=True):
    with transaction.atomic(), org_scope(world.org):
        order = sales.sales_order_create(actor=world.owner, partner=world.objects["partners.partner"])
        sales.sales_order_line_create(
            actor=world.owner, order=order, item=world.objects[item_key], quantity=D(quantity), unit_price=D("9.50")
        )
        return sales.sales_order_confirm(actor=world.owner, obj=order) if confirm else order


def level(world, code, item_key="giz", lot=None):
    with org_scope(world.org):
        row = StockLevel.objects.filter(item=world.objects[item_key], location=world.objects[code], lot=lot).first()
        return (row.on_hand, row.reserved) if row else (D("0"), D("0"))


def status_of(world, order):
    with org_scope(world.org):
        order = SalesOrder.objects.get(pk=order.pk)
        return order.status, [line.shipped for line in order.lines.order_by("position")]


def lines_of(api, shipment):
    rows = api.get(f"/api/v1/shipment-lines?shipment={shipment['id']}").json()["items"]
    return [(row["location_id"], row["lot_id"], D(row["quantity"])) for row in rows], rows


def ship(api, shipment, status=200):
    assert api.post(f"/api/v1/shipments/{shipment['id']}/pack").status_code == 200
    response = api.post(f"/api/v1/shipments/{shipment['id']}/ship")
    assert response.status_code == status, response.content
    return response.json()


def test_an_order_ships_in_part_then_the_rest_consuming_its_reservation(api, shop):
    order = order_of(shop, "giz", "8")  # confirmed: 8 reserved at S-01
    s01 = shop.objects["S-01"]
    assert level(shop, "S-01") == (D("10"), D("8"))
    first = post(api, f"sales-orders/{order.pk}/shipments", {"carrier": "StarTrack"})
    assert first["number"].startswith("SH-") and first["status"] == "picking"
    assert first["ship_to"] == "Acme Switchgear Pty Ltd\nDock 3\n40 Davis Road\nWetherill Park NSW 2164\nAU"
    picks, rows = lines_of(api, first)
    assert picks == [(s01.pk, None, D("8"))]
    changed = api.patch(f"/api/v1/shipment-lines/{rows[0]['id']}", {"quantity": "5"}, content_type="application/json")
    assert changed.status_code == 200, changed.content
    shipped = ship(api, first)
    assert shipped["status"] == "shipped" and shipped["shipped_by_id"] == shop.owner.user_id
    assert status_of(shop, order) == ("part_shipped", [D("5")])
    assert level(shop, "S-01") == (D("5"), D("3"))
    with org_scope(shop.org):
        (reservation,) = Reservation.objects.filter(reference=order.number)
        assert (reservation.status, reservation.consumed) == ("active", D("5"))
        moves = StockMove.objects.filter(reference=first["number"])
        assert [(m.reason, m.quantity, m.to_location.kind) for m in moves] == [("shipment", D("5"), "customer")]
    # the rest: proposed from what the reservation still holds
    rest = post(api, f"sales-orders/{order.pk}/shipments", {})
    assert lines_of(api, rest)[0] == [(s01.pk, None, D("3"))]
    ship(api, rest)
    assert status_of(shop, order) == ("shipped", [D("8")])
    assert level(shop, "S-01") == (D("2"), D("0"))
    with org_scope(shop.org):
        reservation.refresh_from_db()
        assert (reservation.status, reservation.consumed) == ("consumed", D("8"))
    nothing = api.post(f"/api/v1/sales-orders/{order.pk}/shipments", {}, content_type="application/json")
    assert nothing.status_code == 409 and nothing.json()["code"] == "order_not_open"


def test_shipping_from_elsewhere_gives_back_what_the_order_no_longer_needs(api, shop):
    order = order_of(shop, "giz", "6")  # 6 reserved at S-01
    shipment = post(api, f"sales-orders/{order.pk}/shipments", {})
    _, rows = lines_of(api, shipment)
    body = {"location": shop.objects["S-02"].pk, "quantity": "4"}  # S-02 holds 4, unreserved
    assert (
        api.patch(f"/api/v1/shipment-lines/{rows[0]['id']}", body, content_type="application/json").status_code == 200
    )
    ship(api, shipment)
    assert status_of(shop, order) == ("part_shipped", [D("4")])
    assert level(shop, "S-02") == (D("0"), D("0"))
    assert level(shop, "S-01") == (D("10"), D("2"))  # only the 2 still to ship stay reserved
    with org_scope(shop.org):
        held = Reservation.objects.filter(reference=order.number).order_by("pk")
        assert [(r.status, r.quantity, r.consumed) for r in held] == [
            ("released", D("6"), D("0")),
            ("active", D("2"), D("0")),
        ]
        line = SalesOrderLine.objects.get(order=order)
        assert line.reserved == D("2")


def test_lots_are_proposed_first_expiry_first_and_never_from_quarantine(api, shop):
    owner, gel = shop.owner, shop.objects["gel"]
    order = order_of(shop, "gel", "6")  # confirmed with no gel in stock: nothing reserved
    other = order_of(shop, "gel", "1")
    quarantine = shop.objects["inventory.location#quarantine"]
    with transaction.atomic(), org_scope(shop.org):
        for code, where, quantity, expires in (
            ("G-LATE", "S-01", "5", date(2099, 6, 1)),
            ("G-SOON", "S-02", "2", date(2099, 1, 1)),
            ("G-NONE", "S-01", "9", None),
        ):
            inventory.stock_receive(
                actor=owner, item=gel, location=shop.objects[where], quantity=D(quantity), lot=code, expires_on=expires
            )
        inventory.stock_receive(
            actor=owner, item=gel, location=shop.objects["S-01"], quantity=D("9"), lot="G-QUAR",
            expires_on=date(2098, 1, 1),
        )  # fmt: skip
        inventory.stock_transfer(
            actor=owner, item=gel, from_location=shop.objects["S-01"], to_location=quarantine, quantity=D("9"),
            lot="G-QUAR",
        )  # fmt: skip
    proposal = api.get(f"/api/v1/sales-orders/{order.pk}/shipment-proposal").json()
    assert [(row["lot"], D(row["quantity"])) for row in proposal] == [("G-SOON", D("2")), ("G-LATE", D("4"))]
    shipment = post(api, f"sales-orders/{order.pk}/shipments", {})
    ship(api, shipment)
    with org_scope(shop.org):
        moved = StockMove.objects.filter(reference=shipment["number"]).order_by("lot__code")
        assert [(m.lot.code, m.quantity) for m in moved] == [("G-LATE", D("4")), ("G-SOON", D("2"))]
    # a quarantined lot cannot be picked by hand either
    picking = post(api, f"sales-orders/{other.pk}/shipments", {})
    _, rows = lines_of(api, picking)
    with org_scope(shop.org):
        quarantined = gel.lots.get(code="G-QUAR")
    body = {"location": quarantine.pk, "lot": quarantined.pk}
    refused = api.patch(f"/api/v1/shipment-lines/{rows[0]['id']}", body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "location"


def test_a_cancelled_shipment_moves_no_stock_and_a_shipped_one_cannot_be_cancelled(api, shop):
    order = order_of(shop, "giz", "3")
    moves_before = api.get("/api/v1/stock-moves").json()["count"]
    shipment = post(api, f"sales-orders/{order.pk}/shipments", {})
    assert api.post(f"/api/v1/shipments/{shipment['id']}/pack").status_code == 200
    cancelled = api.post(f"/api/v1/shipments/{shipment['id']}/cancel").json()
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"]
    assert level(shop, "S-01") == (D("10"), D("3")) and status_of(shop, order) == ("confirmed", [D("0")])
    assert api.get("/api/v1/stock-moves").json()["count"] == moves_before
    late = api.post(f"/api/v1/shipments/{shipment['id']}/ship")
    assert late.status_code == 409 and late.json()["code"] == "transition_not_allowed"
    # what the cancelled shipment held is free to pick again; once shipped, no cancel
    again = post(api, f"sales-orders/{order.pk}/shipments", {})
    ship(api, again)
    refused = api.post(f"/api/v1/shipments/{again['id']}/cancel")
    assert refused.status_code == 409 and refused.json()["code"] == "transition_not_allowed"
    assert level(shop, "S-01") == (D("7"), D("0"))


def test_picking_is_checked_line_by_line(api, shop):
    order = order_of(shop, "giz", "5")
    shipment = post(api, f"sales-orders/{order.pk}/shipments", {})
    _, (row,) = lines_of(api, shipment)

    def refused(method, path, body, field, code):  # noqa: PLR0913
        response = api.generic(method, f"/api/v1/{path}", body, content_type="application/json")
        assert response.status_code == 400, response.content
        assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (field, code)

    line_path = f"shipment-lines/{row['id']}"
    refused("PATCH", line_path, json.dumps({"quantity": "6"}), "quantity", "over_picked")
    refused("PATCH", line_path, json.dumps({"lot": shop.pk("inventory.lot")}), "lot", "not_tracked")
    other = order_of(shop, "giz", "1")
    with org_scope(shop.org):
        other_line = other.lines.get().pk
    body = {"shipment": shipment["id"], "order_line": other_line, "location": shop.objects["S-02"].pk, "quantity": "1"}
    refused("POST", "shipment-lines", json.dumps(body), "order_line", "line_of_another_order")
    # 5 ordered, 5 picked: a second shipment has nothing to pick, a draft order none at all
    nothing = api.post(f"/api/v1/sales-orders/{order.pk}/shipments", {}, content_type="application/json")
    assert nothing.status_code == 409 and nothing.json()["code"] == "nothing_to_ship"
    draft = order_of(shop, "giz", "1", confirm=False)
    closed = api.post(f"/api/v1/sales-orders/{draft.pk}/shipments", {}, content_type="application/json")
    assert closed.status_code == 409 and closed.json()["code"] == "order_not_open"
    # the split: 3 from S-01, 2 more from S-02
    assert api.patch(f"/api/v1/{line_path}", {"quantity": "3"}, content_type="application/json").status_code == 200
    body = {"shipment": shipment["id"], "order_line": row["order_line_id"], "location": shop.objects["S-02"].pk}
    post(api, "shipment-lines", {**body, "quantity": "2"})
    assert api.post(f"/api/v1/shipments/{shipment['id']}/pack").status_code == 200
    locked = api.patch(f"/api/v1/{line_path}", {"quantity": "2"}, content_type="application/json")
    assert locked.status_code == 409 and locked.json()["code"] == "locked"
    done = api.post(f"/api/v1/shipments/{shipment['id']}/ship").json()
    assert done["status"] == "shipped" and status_of(shop, order) == ("shipped", [D("5")])
    assert level(shop, "S-01") == (D("7"), D("1")) and level(shop, "S-02") == (D("2"), D("0"))  # 1 for the other
    tracked = api.patch(
        f"/api/v1/shipments/{shipment['id']}", {"tracking_number": "TRK-9"}, content_type="application/json"
    )
    assert tracked.status_code == 200 and tracked.json()["tracking_number"] == "TRK-9"
    moved = api.patch(f"/api/v1/shipments/{shipment['id']}", {"ship_to": "Elsewhere"}, content_type="application/json")
    assert moved.status_code == 409 and moved.json()["errors"][0]["field"] == "ship_to"


def test_the_packing_slip_lists_what_is_in_the_box(api, shop):
    order = order_of(shop, "giz", "2")
    shipment = post(api, f"sales-orders/{order.pk}/shipments", {"carrier": "TNT", "notes": "Fragile"})
    slip = post(api, f"shipments/{shipment['id']}/packing-slip", {})
    assert (slip["kind"], slip["number"], slip["view_permission"]) == ("packing_slip", shipment["number"], "sales.view")
    with org_scope(shop.org):
        pdf = documents.pdf_of(documents.documents.fetch(slip["id"]))
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("Packing slip", shipment["number"], f"Order {order.number}", "GIZ-1", "S-01", "TNT", "Fragile"):
        assert expected in text, (expected, text)
    assert "9.50" not in text  # no prices on a packing slip


def test_a_return_comes_back_into_quarantine_and_the_order_learns(api, shop):
    order = order_of(shop, "giz", "4")
    shipment = post(api, f"sales-orders/{order.pk}/shipments", {})
    ship(api, shipment)
    _, (row,) = lines_of(api, shipment)
    rma = post(api, "returns", {"shipment": shipment["id"], "reason": "Two arrived scratched"})
    assert rma["number"].startswith("RMA-") and rma["customer_id"] == shop.pk("partners.partner")
    line = {"customer_return": rma["id"], "shipment_line": row["id"], "quantity": "2"}
    not_quarantine = post(api, "return-lines", {**line, "location": shop.objects["S-01"].pk}, status=400)
    assert not_quarantine["errors"][0] == {
        "field": "location",
        "message": "Returns come back into quarantine: choose a quarantine location.",
        "code": "not_a_quarantine_location",
    }
    quarantine = shop.objects["inventory.location#quarantine"]
    too_many = post(api, "return-lines", {**line, "quantity": "5", "location": quarantine.pk}, status=400)
    assert too_many["errors"][0]["code"] == "over_returned"
    post(api, "return-lines", {**line, "location": quarantine.pk})
    received = api.post(f"/api/v1/returns/{rma['id']}/receive").json()
    assert received["status"] == "received" and received["received_by_id"] == shop.owner.user_id
    assert level(shop, "inventory.location#quarantine") == (D("2"), D("0"))
    assert status_of(shop, order) == ("part_shipped", [D("2")])
    with org_scope(shop.org):
        (move,) = StockMove.objects.filter(reference=rma["number"])
        assert (move.reason, move.from_location.kind, move.to_location_id) == ("return", "customer", quarantine.pk)
    # what came back is quarantined: a new shipment of the 2 proposes stock from S-01, not the returned units
    again = post(api, f"sales-orders/{order.pk}/shipments", {})
    assert lines_of(api, again)[0] == [(shop.objects["S-01"].pk, None, D("2"))]
    again_line = {"customer_return": rma["id"], "shipment_line": row["id"], "quantity": "1", "location": quarantine.pk}
    locked = post(api, "return-lines", again_line, status=409)
    assert locked["code"] == "locked"


def test_the_last_unit_ships_once(api, shop):
    orders = [order_of(shop, "giz", "1", confirm=False) for _ in range(2)]
    with transaction.atomic(), org_scope(shop.org):
        for code in ("S-01", "S-02"):  # nothing in stock while the orders are confirmed: nothing reserved
            held = StockLevel.objects.get(item=shop.objects["giz"], location=shop.objects[code]).on_hand
            inventory.stock_adjust(
                actor=shop.owner, item=shop.objects["giz"], location=shop.objects[code], quantity=-held, reason="lost"
            )
        for order in orders:
            sales.sales_order_confirm(actor=shop.owner, obj=order)
        inventory.stock_receive(actor=shop.owner, item=shop.objects["giz"], location=shop.objects["S-02"], quantity=1)
    first, second = (post(api, f"sales-orders/{order.pk}/shipments", {}) for order in orders)
    ship(api, first)
    refused = ship(api, second, status=409)
    assert refused["code"] == "insufficient_stock" and refused["errors"][0]["field"] == "quantity"
    assert api.get(f"/api/v1/shipments/{second['id']}").json()["status"] == "packed"
    assert level(shop, "S-02") == (D("0"), D("0")) and status_of(shop, orders[1]) == ("confirmed", [D("0")])


# -- concurrency (PostgreSQL: real row locks between real connections) ----------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_shipments_of_the_last_unit_one_ships_the_other_is_refused(postgres_only):
    world = _shop(make_world())
    owner = world.owner
    orders = [order_of(world, "giz", "1", confirm=False) for _ in range(2)]
    with transaction.atomic(), org_scope(world.org):
        for code in ("S-01", "S-02"):
            held = StockLevel.objects.get(item=world.objects["giz"], location=world.objects[code]).on_hand
            inventory.stock_adjust(
                actor=owner, item=world.objects["giz"], location=world.objects[code], quantity=-held, reason="lost"
            )
        for order in orders:
            sales.sales_order_confirm(actor=owner, obj=order)
        inventory.stock_receive(actor=owner, item=world.objects["giz"], location=world.objects["S-02"], quantity=1)
        shipments = [services.shipment_create(actor=owner, order=order) for order in orders]
        for shipment in shipments:
            services.shipment_pack(actor=owner, obj=shipment)
    barrier = threading.Barrier(2)
    errors, done = [], []

    def run(shipment):
        try:
            barrier.wait()
            with transaction.atomic(), org_scope(world.org):  # the organization is set inside the transaction
                done.append(services.shipment_ship(actor=owner, obj=shipment).pk)
        except Exception as exc:  # noqa: BLE001 - collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(s,)) for s in shipments]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(done) == 1 and len(errors) == 1, errors
    assert isinstance(errors[0], ConflictError) and errors[0].code == "insufficient_stock"
    with transaction.atomic(), org_scope(world.org):
        assert sorted(Shipment.objects.filter(pk__in=[s.pk for s in shipments]).values_list("status", flat=True)) == [
            "packed",
            "shipped",
        ]
        assert StockLevel.objects.get(item=world.objects["giz"], location=world.objects["S-02"]).on_hand == 0
        assert StockMove.objects.filter(item=world.objects["giz"], reason="shipment").count() == 1
        statuses = sorted(SalesOrder.objects.filter(pk__in=[o.pk for o in orders]).values_list("status", flat=True))
        assert statuses == ["confirmed", "shipped"]
