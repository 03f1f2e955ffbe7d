"""Order-to-cash at scale: 10,000 partners, 100,000 sales orders of 5 lines each, 50,000 invoices.

Measures, as the organization's owner (server time per request: median and slowest of several; the queries each
runs), against the targets of issue 8:
- the sales order list: the first page (default sort), filtered by status, by customer, and sorted by total:
  each under 300 ms;
- the AR aging report (page and API): under 300 ms;
- confirming a draft order of 20 lines (credit check, a reservation per line): under 200 ms.

The data is bulk-inserted (it is the size, not the services, under test here; every row is what the services
would write: numbers, stored line and header totals from finance.money). Runs against a throw-away database: SQLite
by default, PostgreSQL when DATABASE_URL is set (the target is on PostgreSQL). Prints one JSON object.

    DATABASE_URL=postgres://... DATABASE_OWNER_URL=postgres://... .venv/bin/python bench/o2c.py
    BENCH_SCALE=0.1 .venv/bin/python bench/o2c.py     # a tenth of the data, for a quick look
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from throwaway import measure, member_client, throwaway_database

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
PARTNERS = int(10_000 * SCALE)
ORDERS = int(100_000 * SCALE)
LINES_PER_ORDER = 5
INVOICES = int(50_000 * SCALE)
ITEMS = 400
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
LIST_TARGET_MS, CONFIRM_TARGET_MS = 300.0, 200.0
TODAY = date(2026, 11, 30)
BATCH = 5_000


def populate(org, owner) -> dict[str, object]:
    """Items, partners, orders with lines and invoices, in bulk; returns ids the measurements use."""
    from django.db import transaction

    from factoryos.books.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
    from factoryos.catalog.models import Item, UnitOfMeasure
    from factoryos.finance import money
    from factoryos.finance import services as finance
    from factoryos.kernel.tenancy import org_scope
    from factoryos.partners.models import Partner
    from factoryos.sales.models import OrderStatus, SalesOrder, SalesOrderLine

    rng = random.Random(8)
    with transaction.atomic(), org_scope(org):
        gst = finance.default_tax_code(actor=owner)
        each = UnitOfMeasure.objects.filter(code="ea").first() or UnitOfMeasure.objects.create(
            org=org, code="ea", name="Each"
        )
        items = Item.objects.bulk_create(
            [
                Item(
                    org=org,
                    sku=f"FAB-{k:05d}",
                    name=f"Fabricated part {k}",
                    uom=each,
                    standard_cost=Decimal(k % 90 + 5),
                )
                for k in range(ITEMS)
            ]
        )
        partners = Partner.objects.bulk_create(
            [
                Partner(
                    org=org,
                    code=f"C{k:05d}",
                    legal_name=f"Customer {k} Pty Ltd",
                    is_customer=True,
                    is_supplier=k % 10 == 0,
                    currency="AUD",
                    credit_limit=None if k % 3 else Decimal("250000"),
                )
                for k in range(PARTNERS)
            ],
            batch_size=BATCH,
        )
        statuses = [s for s in OrderStatus.values]
        order_rows, line_rows = [], []
        for k in range(ORDERS):
            order_date = TODAY - timedelta(days=rng.randint(0, 720))
            order_rows.append(
                SalesOrder(
                    org=org,
                    number=f"SO-{k + 1:06d}",
                    partner=partners[rng.randrange(PARTNERS)],
                    currency="AUD",
                    order_date=order_date,
                    status=rng.choice(statuses),
                    created_by=owner.user,
                )
            )
        SalesOrder.objects.bulk_create(order_rows, batch_size=BATCH)
        for order in order_rows:
            net = tax = gross = Decimal("0.00")
            for position in range(1, LINES_PER_ORDER + 1):
                quantity, price = Decimal(rng.randint(1, 40)), Decimal(rng.randint(500, 90000)) / 100
                line = money.line_totals(quantity, price, Decimal("0"), gst.rate, inclusive=False)
                net, tax, gross = net + line.net, tax + line.tax, gross + line.gross
                line_rows.append(
                    SalesOrderLine(
                        org=org,
                        order=order,
                        position=position,
                        item=items[rng.randrange(ITEMS)],
                        description="Fabricated part",
                        quantity=quantity,
                        unit_price=price,
                        tax_code=gst,
                        tax_rate=gst.rate,
                        net=line.net,
                        tax=line.tax,
                        gross=line.gross,
                    )
                )
            order.net_total, order.tax_total, order.total = net, tax, gross
            if len(line_rows) >= BATCH:
                SalesOrderLine.objects.bulk_create(line_rows)
                line_rows = []
        SalesOrderLine.objects.bulk_create(line_rows)
        SalesOrder.objects.bulk_update(order_rows, ["net_total", "tax_total", "total"], batch_size=BATCH)
        invoice_rows, invoice_lines = [], []
        for k in range(INVOICES):
            issued = TODAY - timedelta(days=rng.randint(0, 200))
            amount = money.line_totals(
                Decimal("1"), Decimal(rng.randint(5000, 900000)) / 100, 0, gst.rate, inclusive=False
            )
            paid_share = rng.choice([Decimal("0"), Decimal("0"), Decimal("0.5"), Decimal("1")])
            paid = money.round_money(amount.gross * paid_share)
            status = (
                InvoiceStatus.PAID
                if paid == amount.gross
                else InvoiceStatus.PART_PAID
                if paid
                else InvoiceStatus.ISSUED
            )
            invoice_rows.append(
                Invoice(
                    org=org,
                    kind=InvoiceKind.INVOICE,
                    number=f"INV-{k + 1:06d}",
                    partner=partners[rng.randrange(PARTNERS)],
                    currency="AUD",
                    status=status,
                    issued_on=issued,
                    due_date=issued + timedelta(days=30),
                    amount_paid=paid,
                    net_total=amount.net,
                    tax_total=amount.tax,
                    total=amount.gross,
                    created_by=owner.user,
                )
            )
        Invoice.objects.bulk_create(invoice_rows, batch_size=BATCH)
        for invoice in invoice_rows:
            invoice_lines.append(
                InvoiceLine(
                    org=org,
                    invoice=invoice,
                    position=1,
                    description="Fabrication",
                    quantity=Decimal("1"),
                    unit_price=invoice.net_total,
                    tax_code=gst,
                    tax_rate=gst.rate,
                    net=invoice.net_total,
                    tax=invoice.tax_total,
                    gross=invoice.total,
                )
            )
        InvoiceLine.objects.bulk_create(invoice_lines, batch_size=BATCH)
        return {"items": items, "customer": partners[1], "gst": gst}


def confirm_twenty_lines(client, org, owner, made: dict[str, object]) -> dict[str, object]:
    """A draft order of 20 lines, each with stock to reserve, confirmed through the API (POST
    /sales-orders/{id}/confirm: the credit check, 20 reservations, their links and audit events); the request timed."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from factoryos.facilities import services as facilities
    from factoryos.inventory import services as inventory
    from factoryos.inventory.models import LocationKind
    from factoryos.kernel.tenancy import org_scope
    from factoryos.sales import services as sales

    items = made["items"][:20]
    with transaction.atomic(), org_scope(org):
        site = facilities.site_create(actor=owner, code="BENCH", name="Bench works", time_zone="Australia/Sydney")
        location = inventory.location_create(
            actor=owner, code="FG", name="Finished goods", kind=LocationKind.WAREHOUSE, site=site
        )
        for item in items:
            inventory.stock_receive(
                actor=owner, item=item, location=location, quantity=Decimal("1000"), unit_cost=Decimal("10")
            )
    timings, queries = [], 0
    for _ in range(RUNS):
        with transaction.atomic(), org_scope(org):
            order = sales.sales_order_create(actor=owner, partner=made["customer"], order_date=TODAY)
            for item in items:
                sales.sales_order_line_create(
                    actor=owner, order=order, item=item, quantity=Decimal("3"), unit_price=Decimal("25")
                )
        with CaptureQueriesContext(connection) as captured:  # the request, as a member confirming it
            started = time.perf_counter()
            response = client.post(f"/api/v1/sales-orders/{order.pk}/confirm")
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
        queries = len(captured)
    return {
        "lines": len(items),
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
        "queries": queries,  # the whole request: session, membership, the confirm, the events linked at commit
    }


def run(vendor: str) -> dict[str, object]:
    from django.db import transaction
    from django.urls import reverse

    from factoryos.accounts.models import User
    from factoryos.core import services
    from factoryos.kernel.tenancy import user_scope

    owner_user = User.objects.create_user("bench-o2c@example.com", "Correct-Horse-Battery-9")
    with transaction.atomic(), user_scope(owner_user.pk):
        org, owner = services.organization_create(owner=owner_user, legal_name="Bench Fabrication Pty Ltd")
    started = time.perf_counter()
    made = populate(org, owner)
    load_s = round(time.perf_counter() - started, 1)
    analyze()
    client = member_client(owner_user, org)
    orders = reverse("sales:salesorder_list")
    customer = made["customer"]
    pages = {
        "sales orders, first page": orders,
        "sales orders, confirmed": f"{orders}?status=confirmed",
        "sales orders, one customer": f"{orders}?partner={customer.pk}",
        "sales orders, by total (largest first)": f"{orders}?sort=-total",
        "API sales orders, 50 confirmed": "/api/v1/sales-orders?limit=50&status=confirmed",
        "AR aging (page)": reverse("books:report_ar_aging"),
        "AR aging (API)": "/api/v1/books/reports/ar-aging",
    }
    results = {label: measure(client, url, RUNS) for label, url in pages.items()}
    confirm = confirm_twenty_lines(client, org, owner, made)
    slowest_list = max(r["median_ms"] for r in results.values())
    return {
        "database": vendor,
        "partners": PARTNERS,
        "sales_orders": ORDERS,
        "order_lines": ORDERS * LINES_PER_ORDER,
        "invoices": INVOICES,
        "load_s": load_s,
        "runs": RUNS,
        "pages": results,
        "confirm_20_lines": confirm,
        "targets": {"list_ms": LIST_TARGET_MS, "confirm_ms": CONFIRM_TARGET_MS},
        "within_targets": slowest_list < LIST_TARGET_MS and confirm["median_ms"] < CONFIRM_TARGET_MS,
    }


def analyze() -> None:
    """Gather the planner's statistics, as autovacuum does some time after a bulk load: measured straight after
    inserting 600,000 rows the planner takes the organization's 10,000 partners for 3 and its 100,000 orders for 1,
    and sorts every order to show 50 (330 ms) instead of reading the 50 it needs down an index. ANALYZE needs the
    tables' owner (the application role owns nothing): the owner's URL when two roles are set up."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    import psycopg

    with psycopg.connect(os.environ.get("DATABASE_OWNER_URL") or os.environ["DATABASE_URL"], autocommit=True) as db:
        db.execute("ANALYZE")


def main() -> None:
    with throwaway_database("bench_o2c") as vendor:
        print(json.dumps(run(vendor), indent=2))


if __name__ == "__main__":
    main()
