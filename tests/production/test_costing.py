"""Costing: the batched cost read, the variance report of completed and closed work orders and the work in process of
open ones, on the pages (filters, sort, totals, downloads, the work order's page) and the API, with known answers
computed by hand from the module's world, and never another organization's orders.

The world's brackets BRK-100 take 0.05 sheet (at 180.00) and one laser operation on LSR1 (setup 10 min, 1.5 min each;
labour 65/h, machine 120/h), so an order of n plans material 9.00 n, labour (10 + 1.5 n)/60 x 65 and machine
(10 + 1.5 n)/60 x 120; its finished goods go into stock at the planned cost over n, to 4 decimals. The fixture
``costed`` fixes the minutes logged (the clock's own are a few milliseconds) and the completion dates, finishes one
more order of 2 and closes it:

=========================  ======  ===========================  ==============================  ========  =========
order                      status  planned (mat + lab + mach)   actual (mat + lab + mach + out) variance  in stock
=========================  ======  ===========================  ==============================  ========  =========
#completed: 1, 14 min      compl.  9.00 + 12.46 + 23.00 = 44.46 9.00 + 15.17 + 28.00 = 52.17   +7.71     1 x 44.46
#closed: 2, 9 min          closed  18.00 + 14.08 + 26.00 = 58.08 18.00 + 9.75 + 18.00 = 45.75   -12.33    2 x 29.04
#started: 4 (1 made), 45   started 36.00 + 17.33 + 32.00 = 85.33 9.00 + 48.75 + 90.00 = 147.75             1 x 21.3325
#coated: 2 CLP-200, 6 min  started                              18.00 + 6.50 + 12.00 + 3.20 = 39.70      1 x 15.285
#released: 10              rel.                                 0                                         0
=========================  ======  ===========================  ==============================  ========  =========

(14/60 x 65 = 15.1666..., 45/60 x 65 = 48.75, 6/60 x 65 = 6.50; the coated clip's one coated part back from the
coater at 3.20 puts 1 clip into stock at (18.00 + 2.17 + 4.00 + 6.40)/2 = 15.285, 15.29 to the cent.)
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factoryos.kernel.tenancy import org_scope
from factoryos.production import costing, selectors, services
from factoryos.production.models import TimeLog, WorkOrder, WorkOrderStatus
from tests.factories import HTMX, page_text

D = Decimal


def _minutes(order: WorkOrder, minutes: str) -> None:
    """The order's closed time logs total ``minutes`` (all on its first job card's first closed log)."""
    logs = TimeLog.objects.filter(job_card__work_order=order, ended_at__isnull=False)
    logs = logs.order_by("job_card__sequence", "pk")
    assert logs.exists(), f"{order} has no closed time log"
    TimeLog.objects.filter(job_card__work_order=order).update(minutes=0)
    TimeLog.objects.filter(pk=logs.first().pk).update(minutes=D(minutes))


def _completed_on(order: WorkOrder, day: int, month: int) -> None:
    WorkOrder.objects.filter(pk=order.pk).update(completed_at=datetime(2026, month, day, 12, tzinfo=UTC))


@pytest.fixture
def costed(world):
    """The world's orders with known minutes and completion dates, one more order of 2 brackets finished and closed,
    and the coated clips' first coated part back from the coater (see the module's docstring)."""
    owner, objects = world.owner, world.objects
    with transaction.atomic(), org_scope(world.org):
        completed = objects["production.workorder#completed"]
        _minutes(completed, "14")
        _completed_on(completed, 2, 11)
        order = services.work_order_create(
            actor=owner, item=objects["catalog.item"], quantity=D("2"),
            location=objects["inventory.location#warehouse"], due_date=datetime(2026, 12, 18).date(),
        )  # fmt: skip
        order = services.work_order_release(actor=owner, obj=order)
        card = services.job_card_start(actor=owner, obj=order.job_cards.get())
        services.job_card_complete(actor=owner, obj=card, good=D("2"))
        _minutes(order, "9")
        services.work_order_close(actor=owner, obj=WorkOrder.objects.get(pk=order.pk))
        _completed_on(order, 15, 10)
        started = objects["production.workorder#started"]
        services.job_card_pause(actor=owner, obj=objects["production.jobcard#running"], reason="break")
        _minutes(started, "45")
        coated = objects["production.workorder#coated"]
        _minutes(coated, "6")
        services.job_card_receive(actor=owner, obj=objects["production.jobcard#at_supplier"], good=D("1"))
        objects["production.workorder#closed"] = order
    return world


def _order(world, label: str) -> WorkOrder:
    with org_scope(world.org):
        return WorkOrder.objects.get(pk=world.pk(label))


# -- the batched read ------------------------------------------------------------------------------------------------
def test_costs_of_many_orders_are_each_ones_cost_in_five_queries_however_many(costed):
    with org_scope(costed.org):
        orders = WorkOrder.objects.exclude(status=WorkOrderStatus.DRAFT)
        first = orders.first()
        with CaptureQueriesContext(connection) as one:
            single = selectors.costs([first])
        with CaptureQueriesContext(connection) as many:
            batched = selectors.costs(orders)
        assert len(batched) == orders.count() >= 5
        assert len(one) == 5 and len(many) == 5 + 1  # the orders themselves, then the same five
        assert set(single.items()) <= set(batched.items())
        for order in orders:
            assert selectors.cost(order) == batched[order.pk]
        assert selectors.costs([]) == {} and selectors.wips([]) == {}


def test_the_variance_of_a_finished_order_is_exact_to_the_cent(costed):
    with org_scope(costed.org):
        cost = selectors.cost(_order(costed, "production.workorder#completed"))
        closed = selectors.cost(_order(costed, "production.workorder#closed"))
    assert (cost.planned_material, cost.planned_labour, cost.planned_machine) == (D("9.00"), D("12.46"), D("23.00"))
    assert (cost.actual_material, cost.actual_labour, cost.actual_machine) == (D("9.00"), D("15.17"), D("28.00"))
    assert (cost.planned, cost.actual, cost.variance) == (D("44.46"), D("52.17"), D("7.71"))
    assert (closed.planned_material, closed.planned_labour, closed.planned_machine) == (D("18.00"), D("14.08"), D("26"))
    assert (closed.actual_material, closed.actual_labour, closed.actual_machine) == (D("18"), D("9.75"), D("18.00"))
    assert (closed.planned, closed.actual, closed.variance) == (D("58.08"), D("45.75"), D("-12.33"))


def test_work_in_process_is_the_cost_so_far_less_the_finished_goods_in_stock(costed, their_world):
    """Another organization's orders have the same numbers (WO-00001...): their production moves never count."""
    labels = ("released", "started", "completed", "coated")
    with org_scope(costed.org):
        orders = [_order(costed, f"production.workorder#{label}") for label in labels]
        wips = selectors.wips(orders)
        variance = selectors.cost(orders[2]).variance
    found = {label: wips[order.pk] for label, order in zip(labels, orders, strict=True)}
    assert {label: (w.cost.actual, w.finished, w.value) for label, w in found.items()} == {
        "released": (D("0"), D("0"), D("0")),
        "started": (D("147.75"), D("21.33"), D("126.42")),
        "completed": (D("52.17"), D("44.46"), D("7.71")),
        "coated": (D("39.70"), D("15.29"), D("24.41")),
    }
    assert found["coated"].cost.actual_outside == D("3.20")
    assert found["completed"].value == variance  # completed: what is left in process is its variance


# -- the variance page and its API -------------------------------------------------------------------------------
def _rows(body: dict) -> dict[str, dict]:
    return {row["number"]: row for row in body["items"]}


def test_the_variance_api_lists_finished_orders_with_their_totals(costed, api):
    body = api.get("/api/v1/costing/variance").json()
    completed, closed = (_order(costed, f"production.workorder#{label}") for label in ("completed", "closed"))
    assert body["count"] == 2 and [row["number"] for row in body["items"]] == [completed.number, closed.number]
    row = _rows(body)[completed.number]
    assert {key: D(row[key]) for key in ("planned", "actual", "variance", "variance_pct")} == {
        "planned": D("44.46"), "actual": D("52.17"), "variance": D("7.71"), "variance_pct": D("17.3"),
    }  # fmt: skip
    assert row["overrun"] is True and row["status"] == "completed" and row["sku"] == "BRK-100"
    assert D(row["actual_labour"]) == D("15.17") and D(row["planned_labour"]) == D("12.46")
    other = _rows(body)[closed.number]
    assert (D(other["variance"]), D(other["variance_pct"]), other["overrun"]) == (D("-12.33"), D("-21.2"), False)
    totals = {k: D(v) if v is not None and k != "overrun" else v for k, v in body["totals"].items()}
    assert totals == {
        "planned_material": D("27.00"), "planned_labour": D("26.54"), "planned_machine": D("49.00"),
        "planned_outside": D("0"), "planned": D("102.54"),
        "actual_material": D("27.00"), "actual_labour": D("24.92"), "actual_machine": D("46.00"),
        "actual_outside": D("0"), "actual": D("97.92"),
        "scrap": D("0"), "variance": D("-4.62"), "variance_pct": D("-4.5"), "overrun": False,
    }  # fmt: skip


def test_the_variance_filters_sort_and_page(costed, api):
    completed, closed = (_order(costed, f"production.workorder#{label}") for label in ("completed", "closed"))
    item = costed.pk("catalog.item")
    cases = {
        "status=closed": [closed.number],
        "status=completed": [completed.number],
        "completed_from=2026-11-01&completed_to=2026-11-30": [completed.number],
        "completed_from=2026-10-01&completed_to=2026-10-31": [closed.number],
        "completed_from=2026-12-01": [],
        f"item={item}": [completed.number, closed.number],
        f"q={closed.number}": [closed.number],
        "ordering=variance": [closed.number, completed.number],
        "ordering=-variance_pct": [completed.number, closed.number],
        "ordering=actual": [closed.number, completed.number],
        "ordering=number": sorted([completed.number, closed.number]),
        "limit=1&offset=1": [closed.number],
    }
    for query, numbers in cases.items():
        body = api.get(f"/api/v1/costing/variance?{query}").json()
        assert [row["number"] for row in body["items"]] == numbers, query
    page = api.get("/api/v1/costing/variance?limit=1").json()
    assert page["count"] == 2 and D(page["totals"]["variance"]) == D("-4.62")  # the totals are of all the rows
    assert api.get("/api/v1/costing/variance?status=completed").json()["totals"]["variance"] in ("7.71", 7.71)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("completed_from=yesterday", 422),
        ("completed_to=2026-13-01", 422),
        ("status=draft", 422),
        ("ordering=cost", 422),
        ("item=999999999", 400),
        ("limit=0", 422),
    ],
)
def test_bad_variance_filters_are_refused_with_the_field(costed, api, query, status):
    response = api.get(f"/api/v1/costing/variance?{query}")
    assert response.status_code == status, response.content
    assert query.split("=")[0] in response.content.decode()


def test_the_variance_page_shows_the_orders_planned_beside_actual_with_the_overrun_marked(costed, owner):
    completed, closed = (_order(costed, f"production.workorder#{label}") for label in ("completed", "closed"))
    page = page_text(owner.get(reverse("production:costing_variance")))
    assert "Cost variance" in page and 'aria-current="page">Variance' in page
    row = page[page.index(f'id="variance-{completed.number}"') :]
    row = row[: row.index("</tr>")]
    assert 'class="overrun"' in row and "44.46" in row and "52.17" in row and "7.71" in row and "17.3 %" in row
    assert '<td class="num warn">15.17</td>' in row  # the labour over its plan
    other = page[page.index(f'id="variance-{closed.number}"') :]
    other = other[: other.index("</tr>")]
    assert "overrun" not in other and "-12.33" in other and "-21.2 %" in other
    total = page[page.index('id="variance-total"') :]
    assert "of 2 orders" in total and "102.54" in total and "97.92" in total and "-4.62" in total and "-4.5 %" in total
    nav = page_text(owner.get(reverse("core:home")))
    assert f'href="{reverse("production:costing_variance")}"' in nav


def test_the_variance_page_filters_and_sorts_in_place(costed, owner):
    completed, closed = (_order(costed, f"production.workorder#{label}") for label in ("completed", "closed"))
    url = reverse("production:costing_variance")
    table = page_text(owner.get(f"{url}?status=closed", **HTMX))
    assert "<html" not in table and closed.number in table and completed.number not in table
    assert "of 1 order" in table and "-12.33" in table
    by_variance = page_text(owner.get(f"{url}?sort=variance"))
    assert by_variance.index(f"variance-{closed.number}") < by_variance.index(f"variance-{completed.number}")
    by_default = page_text(owner.get(url))  # the latest completed first
    assert by_default.index(f"variance-{completed.number}") < by_default.index(f"variance-{closed.number}")
    nothing = page_text(owner.get(f"{url}?completed_from=2027-01-01"))
    assert "No completed or closed work order matches." in nothing and "variance-total" not in nothing
    ignored = owner.get(f"{url}?completed_from=not-a-day&item=abc&sort=nonsense&page=99")
    assert ignored.status_code == 200 and completed.number in page_text(ignored)


def test_the_variance_downloads_have_every_row_and_the_totals(costed, owner):
    completed, closed = (_order(costed, f"production.workorder#{label}") for label in ("completed", "closed"))
    response = owner.get(reverse("production:costing_variance_export") + "?sort=variance")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="variance.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    assert header[:3] == ["Work order", "Status", "Item"] and "Variance %" in header and "Labour actual" in header
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert [row[0] for row in rows[1:]] == [closed.number, completed.number, "Total"]
    assert by_number[completed.number]["Variance"] == "7.71" and by_number[completed.number]["Variance %"] == "17.3"
    assert by_number[completed.number]["Labour actual"] == "15.17"
    assert by_number["Total"]["Variance"] == "-4.62" and by_number["Total"]["Planned"] == "102.54"
    xlsx = owner.get(reverse("production:costing_variance_export") + "?format=xlsx&status=closed")
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == costing.FORMATS["xlsx"]
    refused = owner.get(reverse("production:costing_variance_export") + "?format=pdf", follow=True)
    assert "Download as csv or xlsx." in page_text(refused)


# -- work in process ---------------------------------------------------------------------------------------------
def test_the_wip_api_and_page_show_each_open_order_and_the_total(costed, api, owner):
    """The world's other orders in process (the cover plates of the estimates) cost nothing: 0 in process each."""
    labels = ("started", "coated", "completed", "released")
    numbers = [_order(costed, f"production.workorder#{label}").number for label in labels]
    with org_scope(costed.org):
        in_process = WorkOrder.objects.filter(status__in=costing.WIP_STATUSES).count()
    body = api.get("/api/v1/costing/wip").json()
    assert body["count"] == in_process >= 4
    assert [row["number"] for row in body["items"]][:3] == numbers[:3]  # the largest first
    rows = _rows(body)
    assert all(D(row["wip"]) == 0 for row in body["items"][3:])
    assert [(D(rows[n]["actual"]), D(rows[n]["finished"]), D(rows[n]["wip"])) for n in numbers] == [
        (D("147.75"), D("21.33"), D("126.42")),
        (D("39.70"), D("15.29"), D("24.41")),
        (D("52.17"), D("44.46"), D("7.71")),
        (D("0"), D("0"), D("0")),
    ]
    assert {key: D(value) for key, value in body["totals"].items()} == {
        "actual_material": D("36.00"), "actual_labour": D("70.42"), "actual_machine": D("130.00"),
        "actual_outside": D("3.20"), "actual": D("239.62"), "finished": D("81.08"), "wip": D("158.54"),
    }  # fmt: skip
    clips = api.get("/api/v1/costing/wip?q=CLP-200").json()
    assert [row["number"] for row in clips["items"]] == [numbers[1]] and clips["totals"]["wip"] in ("24.41", 24.41)
    assert [row["number"] for row in api.get("/api/v1/costing/wip?status=completed").json()["items"]] == [numbers[2]]
    assert api.get("/api/v1/costing/wip?status=closed").status_code == 422  # closed: no longer in process

    page = page_text(owner.get(reverse("production:costing_wip")))
    row = page[page.index(f'id="wip-{numbers[0]}"') :]
    assert "147.75" in row[: row.index("</tr>")] and "126.42" in row[: row.index("</tr>")]
    total = page[page.index('id="wip-total"') :]
    assert f"of {in_process} orders" in total and "239.62" in total and "81.08" in total and "158.54" in total
    csv_rows = list(csv.reader(io.StringIO(owner.get(reverse("production:costing_wip_export")).content.decode())))
    assert csv_rows[0][-3:] == ["Cost so far", "Into stock", "Work in process"]
    assert csv_rows[-1][0] == "Total" and csv_rows[-1][-1] == "158.54"


def test_the_work_order_page_shows_its_work_in_process_beside_its_cost(costed, owner):
    started = _order(costed, "production.workorder#started")
    page = page_text(owner.get(reverse("production:workorder_detail", args=[started.pk])))
    wip = page[page.index('id="wip"') :]
    assert "Work in process" in wip and "126.42" in wip and "147.75" in wip and "21.33" in wip
    closed = _order(costed, "production.workorder#closed")
    page = page_text(owner.get(reverse("production:workorder_detail", args=[closed.pk])))
    assert 'id="actual-cost"' in page and 'id="wip"' not in page  # closed: its cost is final, nothing in process


# -- the tenant boundary -------------------------------------------------------------------------------------------
def test_another_organizations_orders_never_appear(costed, their_world, api, owner):
    with org_scope(their_world.org):
        theirs = set(WorkOrder.objects.values_list("pk", flat=True))
    with org_scope(costed.org):
        ours = set(WorkOrder.objects.values_list("pk", flat=True))
    assert theirs and not theirs & ours
    for path in ("variance", "wip"):
        body = api.get(f"/api/v1/costing/{path}?limit=200").json()
        assert {row["id"] for row in body["items"]} <= ours
    their_item = their_world.pk("catalog.item")
    refused = api.get(f"/api/v1/costing/variance?item={their_item}")
    assert refused.status_code == 400 and "item" in refused.content.decode()
    for name in ("production:costing_variance", "production:costing_wip"):
        page = page_text(owner.get(reverse(name)))
        assert all(f"/make/work-orders/{pk}/" not in page for pk in theirs)
