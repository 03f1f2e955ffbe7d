"""Sell: quotes (prices, totals, revisions, lost with a reason, accepted into an order) and sales orders (credit
check, reservations in full or in part, cancel, what shipping reports back)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import transaction

from factoryos.audit.models import AuditEvent
from factoryos.catalog import services as catalog
from factoryos.inventory import services as inventory
from factoryos.inventory.models import Reservation, StockLevel
from factoryos.kernel.errors import ConflictError
from factoryos.kernel.tenancy import org_scope
from factoryos.sales import credit, selectors, services
from factoryos.sales.models import OrderStatus, Quote, QuoteStatus, SalesOrder
from tests.factories import api_post as post
from tests.factories import make_world

D = Decimal


@pytest.fixture
def exposure():
    """``exposure(balance, overdue)``: what the (fake) receivables say every customer owes, until the test ends."""
    previous = credit.set_exposure_provider(None)

    def install(balance: str = "0", overdue: bool = False):
        credit.set_exposure_provider(lambda partner: (D(balance), overdue))

    yield install
    credit.set_exposure_provider(previous)


def reserved_at(world, location_key="inventory.location", item_key="catalog.item"):
    with org_scope(world.org):
        level = StockLevel.objects.get(item=world.objects[item_key], location=world.objects[location_key], lot=None)
        return level.reserved


def new_order(api, world, *lines, partner="partners.partner"):
    """A draft order with ``lines`` as (item label or None, quantity, unit price)."""
    order = post(api, "sales-orders", {"partner": world.pk(partner)})
    for item, quantity, price in lines:
        body = {"order": order["id"], "quantity": quantity, "unit_price": price}
        body |= {"item": world.pk(item)} if item else {"description": "Freight"}
        post(api, "sales-order-lines", body)
    return order


def order_lines(api, order_id):
    return api.get("/api/v1/sales-order-lines", {"order": order_id, "ordering": "position"}).json()["items"]


# -- quotes ----------------------------------------------------------------------------------------------------------
def test_a_quotes_totals_are_the_sums_of_its_rounded_lines(api, world):
    quote = api.get(f"/api/v1/quotes/{world.pk('sales.quote')}").json()
    # 2 x 45.00 and 1 x 80.00 (free text) at GST 10 %, tax exclusive
    assert (D(quote["net_total"]), D(quote["tax_total"]), D(quote["total"])) == (D("170"), D("17"), D("187"))
    assert quote["number"] == "QU-00001" and quote["status"] == "draft" and quote["revision"] == 1
    line = post(
        api,
        "quote-lines",
        {"quote": quote["id"], "description": "Setup", "quantity": "3", "unit_price": "0.333", "discount_pct": "12.5"},
    )
    # 3 x 0.333 = 0.999, less 12.5 % = 0.874125 -> 0.87; tax 0.087 -> 0.09
    assert (D(line["net"]), D(line["tax"]), D(line["gross"])) == (D("0.87"), D("0.09"), D("0.96"))
    quote = api.get(f"/api/v1/quotes/{quote['id']}").json()
    assert (D(quote["net_total"]), D(quote["tax_total"]), D(quote["total"])) == (D("170.87"), D("17.09"), D("187.96"))
    changed = api.patch(f"/api/v1/quotes/{quote['id']}", {"prices_include_tax": True}, content_type="application/json")
    assert changed.status_code == 200
    quote = api.get(f"/api/v1/quotes/{quote['id']}").json()
    # inclusive: 90 -> 8.18 tax, 80 -> 7.27, 0.87 -> 0.08
    assert (D(quote["net_total"]), D(quote["tax_total"]), D(quote["total"])) == (D("155.34"), D("15.53"), D("170.87"))


def test_an_item_line_without_a_price_takes_the_customers_price(api, world):
    quote = world.objects["sales.quote"]
    sheet = world.objects["catalog.item#sheet"]  # on no price list: its standard cost, 182.50
    line = post(api, "quote-lines", {"quote": quote.pk, "item": sheet.pk, "quantity": "2"})
    assert D(line["unit_price"]) == D("182.50") and D(line["net"]) == D("365.00")
    assert line["description"] == sheet.name and line["lead_time_days"] == sheet.lead_time_days
    overridden = post(api, "quote-lines", {"quote": quote.pk, "item": sheet.pk, "quantity": "1", "unit_price": "150"})
    assert D(overridden["unit_price"]) == D("150")
    text = api.post(
        "/api/v1/quote-lines", {"quote": quote.pk, "quantity": "1"}, content_type="application/json"
    ).json()  # no item, no price
    assert text["errors"][0]["field"] in {"description", "unit_price"}


def test_a_price_list_price_is_the_default(api, world):
    quote, bracket = world.pk("sales.quote"), world.pk("catalog.item")  # ACME buys on TRADE: 45.00, 41.50 from 10
    assert D(post(api, "quote-lines", {"quote": quote, "item": bracket, "quantity": "2"})["unit_price"]) == 45
    line = post(api, "quote-lines", {"quote": quote, "item": bracket, "quantity": "12"})
    assert D(line["unit_price"]) == D("41.50") and D(line["net"]) == D("498.00")
    cleared = api.patch(
        f"/api/v1/quote-lines/{line['id']}", {"quantity": "3", "unit_price": "39"}, content_type="application/json"
    ).json()
    assert D(cleared["unit_price"]) == 39 and D(cleared["net"]) == 117  # overridden stays overridden
    order = post(api, "sales-orders", {"partner": world.pk("partners.partner")})
    ten = post(api, "sales-order-lines", {"order": order["id"], "item": bracket, "quantity": "10"})
    assert D(ten["unit_price"]) == D("41.5")


def test_a_quote_is_for_a_customer_and_its_own_contact(api, world):
    refused = post(api, "quotes", {"partner": world.pk("partners.partner#supplier")}, status=400)
    assert refused["errors"][0]["field"] == "partner" and refused["code"] == "partner_not_a_customer"
    unknown = post(api, "quotes", {"partner": 999999}, status=400)
    assert unknown["errors"][0]["field"] == "partner"
    contact = world.objects["partners.contact"]  # ACME's primary contact
    assert api.get(f"/api/v1/quotes/{world.pk('sales.quote')}").json()["contact_id"] == contact.pk
    other = post(api, "quotes", {"partner": world.pk("partners.partner#both"), "contact": contact.pk}, status=400)
    assert other["code"] == "contact_of_another_partner" and other["errors"][0]["field"] == "contact"


def test_a_sent_quote_is_locked_and_lost_needs_a_reason(api, world):
    quote = world.pk("sales.quote")
    empty = post(api, "quotes", {"partner": world.pk("partners.partner")})
    assert post(api, f"quotes/{empty['id']}/send", {}, status=400)["errors"][0]["field"] == "lines"
    sent = post(api, f"quotes/{quote}/send", {}, status=200)
    assert sent["status"] == "sent" and sent["sent_at"]
    locked = post(api, "quote-lines", {"quote": quote, "description": "More", "quantity": "1", "unit_price": "1"}, 409)
    assert locked["code"] == "locked" and locked["errors"][0]["field"] == "lines"
    assert post(api, f"quotes/{quote}/lose", {"reason": ""}, status=422)["errors"][0]["field"] == "reason"
    blank = post(api, f"quotes/{quote}/lose", {"reason": "   "}, status=400)
    assert blank["code"] == "lost_reason_required" and blank["errors"][0]["field"] == "reason"
    lost = post(api, f"quotes/{quote}/lose", {"reason": "Went with a cheaper shop"}, status=200)
    assert lost["status"] == "lost" and lost["lost_reason"] == "Went with a cheaper shop"
    again = post(api, f"quotes/{quote}/accept", {}, status=409)
    assert again["code"] == "transition_not_allowed" and again["errors"][0]["field"] == "status"


def test_revising_a_sent_quote_makes_the_next_revision_and_supersedes_it(api, world):
    sent = world.objects["sales.quote#sent"]
    revised = post(api, f"quotes/{sent.pk}/revise", {})
    assert (revised["number"], revised["revision"], revised["status"]) == (f"{sent.number}-R2", 2, "draft")
    assert revised["revised_from_id"] == sent.pk and D(revised["total"]) == sent.total
    assert api.get(f"/api/v1/quotes/{sent.pk}").json()["status"] == "superseded"
    lines = api.get("/api/v1/quote-lines", {"quote": revised["id"], "ordering": "position"}).json()["items"]
    assert [(line["description"], D(line["unit_price"]), line["lead_time_days"]) for line in lines] == [
        ("Bracket 100", D("45"), 10),
        ("Powder coat, RAL 7035", D("80"), 0),
    ]
    post(api, f"quotes/{revised['id']}/send", {}, status=200)
    third = post(api, f"quotes/{revised['id']}/revise", {})
    assert third["number"] == f"{sent.number}-R3" and third["revision"] == 3
    assert post(api, f"quotes/{sent.pk}/revise", {}, status=409)["code"] == "transition_not_allowed"


def test_accepting_a_quote_makes_an_order_with_its_lines(api, world):
    sent = world.objects["sales.quote#sent"]
    order = post(api, f"quotes/{sent.pk}/accept", {"customer_reference": "PO-5521"})
    assert order["status"] == "draft" and order["quote_id"] == sent.pk and order["customer_reference"] == "PO-5521"
    assert order["number"].startswith("SO-") and D(order["total"]) == sent.total == D("187")
    lines = order_lines(api, order["id"])
    assert [(line["description"], D(line["quantity"]), D(line["gross"]), line["lead_time_days"]) for line in lines] == [
        ("Bracket 100", D("2"), D("99"), 10),
        ("Powder coat, RAL 7035", D("1"), D("88"), 0),
    ]
    with org_scope(world.org):
        quote = Quote.objects.get(pk=sent.pk)
        order_date = SalesOrder.objects.get(pk=order["id"]).order_date
    assert quote.status == QuoteStatus.ACCEPTED and quote.accepted_by_id == world.owner.user_id
    assert lines[0]["promised_on"] == str(order_date + dt.timedelta(days=10))


def test_an_expired_quote_cannot_be_accepted(api, world):
    sent = world.objects["sales.quote#sent"]
    with transaction.atomic(), org_scope(world.org):
        Quote.objects.filter(pk=sent.pk).update(valid_until=dt.date(2020, 1, 31))
        assert services.quotes_expire_due(actor=world.owner) == 1
    assert api.get(f"/api/v1/quotes/{sent.pk}").json()["status"] == "expired"
    refused = post(api, f"quotes/{sent.pk}/accept", {}, status=409)
    assert refused["code"] == "transition_not_allowed"
    revised = post(api, f"quotes/{sent.pk}/revise", {})
    assert revised["valid_until"] is None or revised["valid_until"] >= str(dt.date.today())


# -- sales orders ----------------------------------------------------------------------------------------------------
def _stocked_item(world, sku, make_buy, stock):
    """A new item with ``stock`` as {location label: quantity} (and 1 of it reserved elsewhere at the first)."""
    owner, uom = world.owner, world.objects["catalog.unitofmeasure"]
    with transaction.atomic(), org_scope(world.org):
        item = catalog.item_create(actor=owner, sku=sku, name=sku, item_type="finished", uom=uom, make_buy=make_buy)
        for label, quantity in stock.items():
            inventory.stock_receive(actor=owner, item=item, location=world.objects[label], quantity=D(quantity))
        first = world.objects[next(iter(stock))]
        inventory.stock_reserve(actor=owner, item=item, location=first, quantity=D("1"), reference="WO-9")
    return item


def test_confirming_reserves_what_is_available_and_shows_the_rest_to_make(api, world):
    made = _stocked_item(world, "CAB-1", "make", {"inventory.location": "7", "inventory.location#bin2": "2"})
    world.objects["catalog.item#made"] = made
    # available: A-01 7 - 1 = 6 (drawn first: locations by code), B-01 2
    order = new_order(api, world, ("catalog.item#made", "9", "45"), (None, "1", "120"))
    confirmed = post(api, f"sales-orders/{order['id']}/confirm", {}, status=200)
    assert (
        confirmed["status"] == "confirmed" and confirmed["confirmed_at"] and confirmed["credit_approved_by_id"] is None
    )
    made_line, freight = order_lines(api, order["id"])
    assert D(made_line["reserved"]) == 8 and D(made_line["to_make"]) == 1 and D(made_line["to_buy"]) == 0
    assert D(freight["reserved"]) == D(freight["to_make"]) == D(freight["to_buy"]) == 0
    with org_scope(world.org):
        held = Reservation.objects.filter(reference=order["number"]).order_by("location__code")
        assert [(r.location.code, r.quantity) for r in held] == [("A-01", 6), ("B-01", 2)]
        assert [r.pk for r in selectors.line_reservations(held[0].sales_lines.get().line)] == [r.pk for r in held]
    assert reserved_at(world, item_key="catalog.item#made") == 7
    assert reserved_at(world, "inventory.location#bin2", "catalog.item#made") == 2
    # a bought item short of stock is to buy; one with a released BOM is made whatever its flag
    world.objects["catalog.item#bought"] = _stocked_item(world, "CAB-2", "buy", {"inventory.location": "5"})
    bought = new_order(api, world, ("catalog.item#bought", "5", "190"), ("catalog.item", "100", "40"))
    post(api, f"sales-orders/{bought['id']}/confirm", {}, status=200)
    bought_line, bracket_line = order_lines(api, bought["id"])
    assert (D(bought_line["reserved"]), D(bought_line["to_make"]), D(bought_line["to_buy"])) == (4, 0, 1)
    assert D(bracket_line["to_make"]) == 100 - D(bracket_line["reserved"]) and D(bracket_line["to_buy"]) == 0


def test_a_confirmed_order_is_locked_and_cancelling_it_releases_its_reservations(api, world):
    before = reserved_at(world)
    order = new_order(api, world, ("catalog.item", "3", "45"))
    post(api, f"sales-orders/{order['id']}/confirm", {}, status=200)
    assert reserved_at(world) == before + 3
    line = order_lines(api, order["id"])[0]
    locked = api.patch(f"/api/v1/sales-order-lines/{line['id']}", {"quantity": "4"}, content_type="application/json")
    assert locked.status_code == 409 and locked.json()["errors"][0]["field"] == "lines"
    cancelled = post(api, f"sales-orders/{order['id']}/cancel", {}, status=200)
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"]
    assert reserved_at(world) == before
    with org_scope(world.org):
        assert set(Reservation.objects.filter(reference=order["number"]).values_list("status", flat=True)) == {
            "released"
        }
    assert D(order_lines(api, order["id"])[0]["reserved"]) == 0
    assert post(api, f"sales-orders/{order['id']}/confirm", {}, status=409)["code"] == "transition_not_allowed"


def test_the_credit_check_holds_an_order_over_the_limit_or_with_overdue_invoices(world, member_client, exposure):
    sales = member_client("sales")  # may sell, may not approve
    order = new_order(sales, world, ("catalog.item", "1", "45"))  # 49.50 with GST; ACME's limit is 50,000
    exposure("49960.00")
    held = post(sales, f"sales-orders/{order['id']}/confirm", {}, status=409)
    assert held["code"] == "credit_hold" and held["errors"][0]["field"] == "partner"
    assert "over the limit of 50000" in held["detail"]
    exposure("0", overdue=True)
    held = post(sales, f"sales-orders/{order['id']}/confirm", {}, status=409)
    assert held["code"] == "credit_hold" and "overdue" in held["detail"]
    exposure("49950.50")  # exactly at the limit: allowed
    assert post(sales, f"sales-orders/{order['id']}/confirm", {}, status=200)["credit_approved_by_id"] is None


def test_someone_with_approve_permission_confirms_a_held_order_and_is_recorded(api, world, exposure):
    exposure("60000", overdue=True)
    order = new_order(api, world, ("catalog.item", "1", "45"))
    confirmed = post(api, f"sales-orders/{order['id']}/confirm", {}, status=200)  # the owner may approve
    assert confirmed["credit_approved_by_id"] == world.owner.user_id and confirmed["credit_approved_at"]
    with org_scope(world.org):
        event = AuditEvent.objects.filter(object_type="sales.salesorder", object_id=str(order["id"])).latest("seq")
        approval = event.metadata["credit_approval"]
    assert approval == {
        "approved_by": world.owner.user_id,
        "open_balance": "60000",
        "order_total": "49.50",
        "credit_limit": "50000.00",
        "overdue": True,
    }
    assert event.changes["status"] == ["draft", "confirmed"]


def test_shipping_moves_the_order_through_part_shipped_to_shipped_and_back(world):
    owner = world.owner
    order = world.objects["sales.salesorder#confirmed"]
    with transaction.atomic(), org_scope(world.org):
        fresh = services.sales_order_create(actor=owner, partner=order.partner)
        item = order.lines.get().item
        line = services.sales_order_line_create(
            actor=owner, order=fresh, item=item, quantity=D("5"), unit_price=D("45")
        )
        order = services.sales_order_confirm(actor=owner, obj=line.order)
        line = services.order_line_shipped(actor=owner, line=line, quantity=D("2"))
        order.refresh_from_db()
        assert (order.status, line.shipped, line.back_order) == (OrderStatus.PART_SHIPPED, 2, 3)
        first_part = order.part_shipped_at
        with pytest.raises(ConflictError) as over:
            services.order_line_shipped(actor=owner, line=line, quantity=D("4"))
        assert (over.value.code, over.value.field) == ("over_shipped", "quantity")
        services.order_line_shipped(actor=owner, line=line, quantity=D("3"))
        order.refresh_from_db()
        assert order.status == OrderStatus.SHIPPED
        services.order_line_unshipped(actor=owner, line=line, quantity=D("1"))  # a return
        order.refresh_from_db()
        assert order.status == OrderStatus.PART_SHIPPED and order.part_shipped_at == first_part
        with pytest.raises(ConflictError) as under:
            services.order_line_unshipped(actor=owner, line=line, quantity=D("5"))
        assert under.value.code == "unshipped_more_than_shipped"
        services.order_line_unshipped(actor=owner, line=line, quantity=D("4"))
        order.refresh_from_db()
        assert order.status == OrderStatus.CONFIRMED and order.confirmed_at is not None


def test_closing_a_shipped_order_releases_what_it_still_holds(api, world):
    shipped = world.objects["sales.salesorder#shipped"]
    before = reserved_at(world)
    closed = post(api, f"sales-orders/{shipped.pk}/close", {}, status=200)
    assert closed["status"] == "closed" and reserved_at(world) == before - 1
    assert post(api, f"sales-orders/{world.pk('sales.salesorder')}/close", {}, status=409)["errors"][0]["field"] == (
        "status"
    )


def test_the_lists_filter_by_status_customer_and_date(api, world):
    mine = {"q": "PO-7781"}  # the sales world's orders (other apps' worlds add theirs)
    listed = api.get("/api/v1/sales-orders", {**mine, "status": "confirmed"}).json()
    assert [o["number"] for o in listed["items"]] == [world.objects["sales.salesorder#confirmed"].number]
    assert api.get("/api/v1/sales-orders", {"partner": world.pk("partners.partner#both")}).json()["count"] == 0
    assert api.get("/api/v1/sales-orders", {**mine, "date_from": "2000-01-01"}).json()["count"] == 3
    assert api.get("/api/v1/sales-orders", {**mine, "date_to": "2000-01-01"}).json()["count"] == 0
    assert api.get("/api/v1/quotes", {"status": "sent"}).json()["count"] == 1
    assert api.get("/api/v1/quotes", {"q": "QU-00002"}).json()["items"][0]["status"] == "sent"


# -- concurrency -----------------------------------------------------------------------------------------------------
def _threads(n, work):
    results, errors, barrier = [], [], threading.Barrier(n)

    def run(k):
        from django.db import connection

        try:
            barrier.wait()
            results.append(work(k))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_orders_confirmed_at_once_never_reserve_more_than_there_is(postgres_only):
    world = make_world()
    org, owner = world.org, world.owner
    with transaction.atomic(), org_scope(org):
        uom = world.objects["catalog.unitofmeasure"]
        item = catalog.item_create(actor=owner, sku="LAST-6", name="Last six", item_type="purchased", uom=uom)
        for location in ("inventory.location", "inventory.location#bin2"):
            inventory.stock_receive(actor=owner, item=item, location=world.objects[location], quantity=D("3"))
        orders = []
        for _ in range(4):
            order = services.sales_order_create(actor=owner, partner=world.objects["partners.partner"])
            services.sales_order_line_create(actor=owner, order=order, item=item, quantity=D("4"), unit_price=D("9"))
            orders.append(order)

    def confirm(k):
        with transaction.atomic(), org_scope(org):
            return services.sales_order_confirm(actor=owner, obj=orders[k])

    confirmed, errors = _threads(4, confirm)
    assert errors == [] and len(confirmed) == 4
    with transaction.atomic(), org_scope(org):
        levels = StockLevel.objects.filter(item=item)
        assert sum(level.reserved for level in levels) == 6 and all(lv.reserved <= lv.on_hand for lv in levels)
        lines = selectors.sales_order_lines.all().filter(item=item)
        held = [line.reserved for line in lines]
        assert sum(held) == 6 and all(0 <= h <= 4 for h in held), held
        short = [line.to_buy for line in lines]
        assert sum(short) == 4 * 4 - 6
