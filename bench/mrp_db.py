"""MRP end to end through the database, for bench/mrp.py: a scenario (a file's, or the generated catalog) loaded into
a throw-away database as the services would have written it, planned by ``mrp.services.mrp_run`` (read, plan,
save the planned orders with their pegging and the messages) and checked against the pure engine's plan.

How a scenario becomes rows (no calendar: the feed's Monday-to-Friday week; period p is the p-th working day from
``START``, a Monday, which is the ``on`` of the run, and the horizon in days reaches exactly the last period):
- an item per scenario item (SKU as in the file; make items "manufactured", buy items "purchased"), its lead time in
  periods as ``lead_time_days`` (the feed counts working days), safety stock, and lot rule: ``fixed`` -> reorder
  quantity, ``min_multiple`` -> minimum order quantity and order multiple, ``poq`` -> days per order;
- a released BOM (revision 1) per parent, a line per link, in the item's own unit (the link's quantity, scrap
  included, is the line's quantity with no scrap);
- a bought item's preferred supplier (one supplier for all, at the item's lead time), so that planned buys name it;
- stock on hand at one warehouse: a stock level and its opening-balance ledger row (no valuation: MRP reads none);
- a confirmed sales order of one line per demand, promised on the demand's day (its reference ``SO-000001/1``);
- a sent purchase order of one line per scheduled receipt, expected on the receipt's day (``PO-000001/1``).

``matches_engine``: the run's planned orders (item, make or buy, quantity, release and due dates, past due) are
exactly the engine's on the same scenario, its periods turned into those dates. The database keeps a quantity to 6
decimals: one the engine has with more matches when the stored one is within half a unit of the 6th decimal (how
many had more is said). The pegging (references mapped back to the scenario's) and the messages are compared too,
and said apart, with the engine's plan on the items in the order the feed reads them (by SKU): the first-in,
first-out pegging breaks ties between parents by that order.

DJANGO_DEBUG is off (as on a server) unless set: with it on, Django keeps every query's SQL, a bulk insert's too.
"""

from __future__ import annotations

import gc
import os
import time
from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from throwaway import throwaway_database

from factoryos.planning.engine import mrp

START = date(2027, 1, 4)  # a Monday: period 1
WEEKDAYS = {0, 1, 2, 3, 4}  # the feed's week when the organization has no calendar
BATCH = 5_000
SIX_PLACES = Decimal("0.000001")  # catalog's QUANTITY: 6 decimals
HALF_UNIT = Decimal("0.0000005")


def calendar(horizon: int):
    """(the working days of a run from START reaching period ``horizon`` exactly, its horizon in calendar days)."""
    from factoryos.mrp.selectors import WorkingDays

    weeks, extra = divmod(horizon - 1, 5)
    horizon_days = max(weeks * 7 + extra, 7)  # a run plans at least 7 days ahead
    if horizon_days > 730:
        raise SystemExit(f"{horizon} working days is more than the 730 calendar days a run may plan")
    return WorkingDays.of(START, horizon_days, WEEKDAYS, set()), horizon_days


def _lot_fields(lot: mrp.LotRule) -> dict[str, object]:
    if lot.rule == "fixed":
        return {"lot_rule": "fixed", "reorder_qty": Decimal(lot.qty)}
    if lot.rule == "min_multiple":
        return {"lot_rule": "min_multiple", "min_order_qty": Decimal(lot.min), "order_multiple": Decimal(lot.multiple)}
    if lot.rule == "poq":
        return {"lot_rule": "poq", "poq_days": lot.periods}
    return {"lot_rule": "lot_for_lot"}


def load(scenario: mrp.Scenario, org, owner, days) -> tuple[dict[str, int], dict[str, str], dict[str, int]]:
    """Bulk-insert the scenario; returns (sku -> item id, database reference -> scenario reference, row counts)."""
    from django.db import transaction
    from django.utils import timezone

    from factoryos.catalog.models import Bom, BomLine, Item, UnitOfMeasure
    from factoryos.facilities import services as facilities
    from factoryos.finance import money
    from factoryos.finance import services as finance
    from factoryos.inventory import services as inventory
    from factoryos.inventory.models import AdjustmentReason, LocationKind, MoveReason, StockLevel, StockMove
    from factoryos.kernel.tenancy import org_scope
    from factoryos.partners.models import Partner, SupplierItem
    from factoryos.purchasing.models import POStatus, PurchaseOrder, PurchaseOrderLine
    from factoryos.sales.models import OrderStatus, SalesOrder, SalesOrderLine

    user, now, currency = owner.user, timezone.now(), org.currency or "AUD"
    counts: dict[str, int] = {}
    with transaction.atomic(), org_scope(org):
        gst = finance.default_tax_code(actor=owner)
        each = UnitOfMeasure.objects.filter(code="ea").first() or UnitOfMeasure.objects.create(
            org=org, code="ea", name="Each", kind="count"
        )
        site = facilities.site_create(actor=owner, code="WORKS", name="Bench works")
        store = inventory.location_create(
            actor=owner, code="WH", name="Main warehouse", kind=LocationKind.WAREHOUSE, site=site
        )
        opening = inventory.virtual_location(LocationKind.ADJUSTMENT)
        customer, supplier = Partner.objects.bulk_create(
            [
                Partner(org=org, code="CUST", legal_name="Bench customer Pty Ltd", is_customer=True, currency=currency),
                Partner(org=org, code="SUPP", legal_name="Bench supplier Pty Ltd", is_supplier=True, currency=currency),
            ]
        )
        items = Item.objects.bulk_create(
            [
                Item(
                    org=org,
                    sku=item.sku,
                    name=f"Part {item.sku}",
                    item_type="manufactured" if item.source == "make" else "purchased",
                    uom=each,
                    make_buy=item.source,
                    standard_cost=Decimal("10"),
                    lead_time_days=item.lead_time,
                    safety_stock=Decimal(item.safety_stock),
                    **_lot_fields(item.lot),
                )
                for item in scenario.items
            ],
            batch_size=BATCH,
        )
        pk = {item.sku: item.pk for item in items}
        counts["items"] = len(items)
        SupplierItem.objects.bulk_create(
            [
                SupplierItem(
                    org=org,
                    supplier=supplier,
                    item_id=pk[item.sku],
                    currency=currency,
                    lead_time_days=item.lead_time,
                    preferred=True,
                )  # fmt: skip
                for item in scenario.items
                if item.source == "buy"
            ],
            batch_size=BATCH,
        )
        parents = list(dict.fromkeys(link.parent for link in scenario.bom))
        boms = Bom.objects.bulk_create(
            [
                Bom(org=org, item_id=pk[sku], revision=1, status="released", released_at=now, released_by=user)
                for sku in parents
            ],
            batch_size=BATCH,
        )
        bom_of = {sku: bom.pk for sku, bom in zip(parents, boms, strict=True)}
        position: Counter[str] = Counter()
        lines = []
        for link in scenario.bom:
            position[link.parent] += 1
            lines.append(
                BomLine(
                    org=org,
                    bom_id=bom_of[link.parent],
                    position=position[link.parent],
                    component_id=pk[link.component],
                    quantity=Decimal(link.qty),
                    uom=each,
                )
            )
        BomLine.objects.bulk_create(lines, batch_size=BATCH)
        counts["boms"], counts["bom_lines"] = len(boms), len(lines)
        if any(item.on_hand < 0 for item in scenario.items):
            raise SystemExit("a negative on hand is not stock a warehouse can hold")
        stocked = [item for item in scenario.items if item.on_hand > 0]
        StockLevel.objects.bulk_create(
            [StockLevel(org=org, item_id=pk[i.sku], location=store, on_hand=Decimal(i.on_hand)) for i in stocked],
            batch_size=BATCH,
        )
        StockMove.objects.bulk_create(
            [
                StockMove(
                    org=org,
                    item_id=pk[i.sku],
                    quantity=Decimal(i.on_hand),
                    entered_quantity=Decimal(i.on_hand),
                    entered_uom=each,
                    from_location=opening,
                    to_location=store,
                    reason=MoveReason.ADJUSTMENT,
                    adjustment_reason=AdjustmentReason.OPENING,
                    reference="Opening stock",
                    actor=user,
                )  # fmt: skip
                for i in stocked
            ],
            batch_size=BATCH,
        )
        counts["stock_levels"] = len(stocked)

        refs: dict[str, str] = {}
        price = Decimal("25.00")
        orders, order_lines = [], []
        for n, demand in enumerate(scenario.demand, start=1):
            totals = money.line_totals(Decimal(demand.qty), price, Decimal("0"), gst.rate, inclusive=False)
            order = SalesOrder(
                org=org, number=f"SO-{n:06d}", partner=customer, currency=currency, order_date=START,
                status=OrderStatus.CONFIRMED, confirmed_at=now, confirmed_by=user, created_by=user,
                net_total=totals.net, tax_total=totals.tax, total=totals.gross,
            )  # fmt: skip
            orders.append(order)
            order_lines.append(
                SalesOrderLine(
                    org=org,
                    order=order,
                    position=1,
                    item_id=pk[demand.sku],
                    description=f"Part {demand.sku}",
                    quantity=Decimal(demand.qty),
                    unit_price=price,
                    tax_code=gst,
                    tax_rate=gst.rate,
                    net=totals.net,
                    tax=totals.tax,
                    gross=totals.gross,
                    promised_date=days.date(demand.period),
                )  # fmt: skip
            )
            refs[f"{order.number}/1"] = demand.ref
        SalesOrder.objects.bulk_create(orders, batch_size=BATCH)
        SalesOrderLine.objects.bulk_create(order_lines, batch_size=BATCH)
        counts["sales_orders"] = len(orders)

        orders, order_lines = [], []
        for n, receipt in enumerate(scenario.receipts, start=1):
            totals = money.line_totals(Decimal(receipt.qty), price, Decimal("0"), gst.rate, inclusive=False)
            arrives = days.date(receipt.period)
            order = PurchaseOrder(
                org=org, number=f"PO-{n:06d}", partner=supplier, currency=currency, status=POStatus.SENT,
                order_date=START - timedelta(days=14), expected_date=arrives, approved_at=now, approved_by=user,
                sent_at=now, sent_by=user, created_by=user, net_total=totals.net, tax_total=totals.tax,
                total=totals.gross,
            )  # fmt: skip
            orders.append(order)
            order_lines.append(
                PurchaseOrderLine(
                    org=org,
                    purchase_order=order,
                    position=1,
                    item_id=pk[receipt.sku],
                    description=f"Part {receipt.sku}",
                    quantity=Decimal(receipt.qty),
                    unit_price=price,
                    tax_code=gst,
                    tax_rate=gst.rate,
                    net=totals.net,
                    tax=totals.tax,
                    gross=totals.gross,
                    expected_date=arrives,
                )  # fmt: skip
            )
            refs[f"{order.number}/1"] = receipt.ref
        PurchaseOrder.objects.bulk_create(orders, batch_size=BATCH)
        PurchaseOrderLine.objects.bulk_create(order_lines, batch_size=BATCH)
        counts["purchase_orders"] = len(orders)
    return pk, refs, counts


def analyze(models: tuple = (), *, vacuum: bool = False) -> None:
    """The planner's statistics on the tables just loaded (or on ``models``'), as autovacuum gathers them some time
    after a bulk load (PostgreSQL; as the tables' owner when two roles are set up): see bench/o2c.py. ``vacuum``:
    the tables vacuumed too, as autovacuum does a minute or so after a large insert (its insert threshold): the
    rows' hint bits set, so that the first reader of a row just written does not pay for setting them."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    import psycopg

    from factoryos.catalog.models import Bom, BomLine, Item
    from factoryos.inventory.models import StockLevel, StockMove
    from factoryos.partners.models import Partner, SupplierItem
    from factoryos.purchasing.models import PurchaseOrder, PurchaseOrderLine
    from factoryos.sales.models import SalesOrder, SalesOrderLine

    loaded = (Item, Bom, BomLine, SupplierItem, Partner, StockLevel, StockMove, SalesOrder, SalesOrderLine)
    tables = ", ".join(model._meta.db_table for model in (models or (*loaded, PurchaseOrder, PurchaseOrderLine)))
    with psycopg.connect(os.environ.get("DATABASE_OWNER_URL") or os.environ["DATABASE_URL"], autocommit=True) as db:
        db.execute(f"VACUUM (ANALYZE) {tables}" if vacuum else f"ANALYZE {tables}")


def compare(
    run, result: mrp.Result, pegged: mrp.Result, pk: dict[str, int], refs: dict[str, str], days
) -> dict[str, object]:
    """The run's planned orders beside the engine's ``result`` on the same scenario; its pegging and messages beside
    ``pegged``'s, the engine's plan with the items in the order the feed reads them (see ``end_to_end``)."""
    from factoryos.mrp.models import MrpMessage, PlannedOrder

    def key(item: int, source: str, release: date, due: date, past_due: bool) -> tuple:
        return (item, source, release, due, past_due)

    # (an item has at most one planned order due on a day, so the orders pair up by these keys, quantities aside)
    engine_orders = sorted(
        (key(pk[o.sku], o.source, days.date(o.release), days.date(o.due), o.release < 1), Decimal(o.qty))
        for o in result.planned_orders
    )
    engine_pegs = sorted(
        (pk[o.sku], days.date(o.due), days.date(o.release), tuple((p.ref, Decimal(p.qty)) for p in o.pegging))
        for o in pegged.planned_orders
    )
    engine_messages = sorted((pk[e.sku], e.kind, days.date(e.period), e.ref[:60]) for e in pegged.exceptions)
    rows = list(
        PlannedOrder.objects.filter(run=run).values_list(
            "item_id", "source", "quantity", "release_date", "due_date", "past_due", "pegging"
        )
    )
    db_orders = sorted(
        (key(item, source, release, due, past), qty) for item, source, qty, release, due, past, _ in rows
    )
    db_pegs = sorted(
        (item, due, release, tuple((refs.get(p["ref"], p["ref"]), Decimal(p["qty"])) for p in pegging))
        for item, _source, _qty, release, due, _past, pegging in rows
    )
    db_messages = sorted(
        (item, kind, on, refs.get(ref, ref))
        for item, kind, on, ref in MrpMessage.objects.filter(run=run).values_list("item_id", "kind", "on", "reference")
    )
    # The database keeps a quantity to 6 decimals (PostgreSQL rounds a half up; SQLite keeps a float, read back
    # rounded): a quantity matches when the stored one is within half a unit of the 6th decimal of the engine's.
    engine_by_key, db_by_key = dict(engine_orders), dict(db_orders)
    rounded = sum(qty.quantize(SIX_PLACES, rounding=ROUND_DOWN) != qty for qty in engine_by_key.values())
    differences = [
        {"engine": str((*k, engine_by_key.get(k))), "database": str((*k, db_by_key.get(k)))}
        for k in sorted(engine_by_key.keys() | db_by_key.keys())
        if k not in engine_by_key or k not in db_by_key or abs(engine_by_key[k] - db_by_key[k]) > HALF_UNIT
    ]
    matches = len(engine_by_key) == len(engine_orders) and len(db_by_key) == len(db_orders) and not differences
    return {
        "matches_engine": matches,
        "pegging_matches_engine": engine_pegs == db_pegs,
        "messages_match_engine": engine_messages == db_messages,
        "engine_quantities_beyond_6_places": rounded,
        "differences": len(differences),
        "first_difference": differences[0] if differences else None,
        "pegs": sum(len(row[6]) for row in rows),
        "messages": len(db_messages),
    }


def save_breakdown(org, run) -> dict[str, object]:
    """What the save of the planned orders costs, and of it the pegging: the run's planned orders written again (in
    a transaction rolled back) as ``_save`` writes them (bulk_create, 2,000 a batch; the objects made beforehand),
    without and with their pegging; then with the pegging as plain rows through the driver, the JSON dumped by hand:
    the same multi-row INSERTs as bulk_create's (its batch size) without the model objects, executemany of one
    row at a time and, on PostgreSQL, COPY: what a leaner save could reach; and the rows copied by one INSERT ...
    SELECT inside the database: the database's own share, no Python."""
    import json

    from django.db import connection, transaction

    from factoryos.kernel.tenancy import org_scope
    from factoryos.mrp.models import PlannedOrder

    fields = ("item_id", "source", "quantity", "release_date", "due_date", "past_due", "supplier_id", "pegging")
    timings: dict[str, object] = {}

    def timed(label: str, write) -> None:
        with transaction.atomic():
            started = time.perf_counter()
            write()
            timings[label] = round(time.perf_counter() - started, 3)
            transaction.set_rollback(True)

    with transaction.atomic(), org_scope(org):
        rows = list(PlannedOrder.objects.filter(run=run).values_list(*fields))
        timings["rows"] = len(rows)
        timings["pegging_json_bytes"] = sum(len(json.dumps(row[-1])) for row in rows)
        for label, pegged in (("bulk_create_without_pegging_s", False), ("bulk_create_with_pegging_s", True)):
            unpegged = {} if pegged else {"pegging": []}
            values = [dict(zip(fields, row, strict=True)) | unpegged for row in rows]
            objects = [PlannedOrder(org=org, run=run, **value) for value in values]
            timed(label, lambda objects=objects: PlannedOrder.objects.bulk_create(objects, batch_size=2000))
        timings["pegging_share_s"] = round(
            timings["bulk_create_with_pegging_s"] - timings["bulk_create_without_pegging_s"], 3
        )

        columns = {  # every column of the table, as _save would fill it
            "org_id": lambda row: org.pk,
            "run_id": lambda row: run.pk,
            "item_id": lambda row: row[0],
            "source": lambda row: row[1],
            "quantity": lambda row: row[2],
            "release_date": lambda row: row[3],
            "due_date": lambda row: row[4],
            "past_due": lambda row: row[5],
            "supplier_id": lambda row: row[6],
            "pegging": lambda row: json.dumps(row[7]),
            "status": lambda row: "proposed",
            "firmed_at": lambda row: None,
            "firmed_by_id": lambda row: None,
            "firmed_as": lambda row: "",
        }
        table = PlannedOrder._meta.db_table
        assert set(columns) == {f.column for f in PlannedOrder._meta.concrete_fields if not f.primary_key}
        names = ", ".join(columns)

        def driver_rows():
            return [tuple(value(row) for value in columns.values()) for row in rows]

        def executemany() -> None:
            marks = ", ".join(["%s"] * len(columns))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", driver_rows())

        batch = connection.ops.bulk_batch_size([PlannedOrder._meta.get_field(c) for c in ("item", "run")] * 7, rows)
        batch = min(2000, batch) if batch else 2000  # as bulk_create cuts it: 14 columns a row

        def values_by_hand() -> None:
            flat = driver_rows()
            row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
            with connection.cursor() as cursor:
                for start in range(0, len(flat), batch):
                    chunk = flat[start : start + batch]
                    cursor.execute(
                        f"INSERT INTO {table} ({names}) VALUES {', '.join([row_marks] * len(chunk))}",
                        [value for row in chunk for value in row],
                    )

        def in_database() -> None:  # the database's own share: the rows copied inside it, no Python, no driver
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {table} WHERE run_id = %s", [run.pk])

        timed("values_by_hand_with_pegging_s", values_by_hand)
        timed("executemany_with_pegging_s", executemany)
        timed("insert_select_in_database_s", in_database)
        if connection.vendor == "postgresql":

            def copy() -> None:
                with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as out:
                    for row in driver_rows():
                        out.write_row(row)

            try:
                timed("copy_with_pegging_s", copy)
            except Exception as exc:  # COPY FROM is refused on a table with row-level security (the app role's)
                timings["copy_with_pegging_s"] = f"refused: {str(exc).splitlines()[0]}"
    return timings


def end_to_end(
    scenario: mrp.Scenario, result: mrp.Result, *, breakdown: bool = False, no_gc: bool = False
) -> dict[str, object]:
    """Load ``scenario`` into a throw-away database, run MRP on it as the organization's owner, and compare the plan
    with ``result`` (the pure engine's, pegged, on the same scenario). Returns the figures (seconds). ``no_gc``
    turns Python's cyclic garbage collector off for the run: what the run would take if it did so itself."""
    os.environ.setdefault("DJANGO_DEBUG", "0")  # as a server runs: DEBUG logs every query's SQL (a bulk insert's too)
    with throwaway_database("bench_mrp") as vendor:
        from django.db import transaction

        from factoryos.accounts.models import User
        from factoryos.catalog.models import Item
        from factoryos.core import services
        from factoryos.facilities.models import Calendar
        from factoryos.kernel.tenancy import org_scope, user_scope
        from factoryos.mrp.services import mrp_run

        days, horizon_days = calendar(scenario.horizon)
        owner_user = User.objects.create_user("bench-mrp@example.com", "Correct-Horse-Battery-9")
        with transaction.atomic(), user_scope(owner_user.pk):
            org, owner = services.organization_create(owner=owner_user, legal_name="Bench Fabrication Pty Ltd")
        started = time.perf_counter()
        pk, refs, counts = load(scenario, org, owner, days)
        loaded = time.perf_counter()
        analyze()
        analyzed = time.perf_counter()
        with transaction.atomic(), org_scope(org):
            assert not Calendar.objects.exists(), "the run would plan on the calendar's days, not Monday to Friday"
            if no_gc:
                gc.disable()
            try:
                run = mrp_run(actor=owner, horizon_days=horizon_days, on=START)
            finally:
                gc.enable()
            returned = time.perf_counter()
        committed = time.perf_counter()
        seconds = run.stats["seconds"]
        # The pegging allocates supply first in, first out; requirements of one period from several parents go in
        # the order the items are planned, parents first and otherwise in the scenario's order: the feed reads the
        # items by SKU, so the pegging (and a past-due message's first demand) is compared with the engine's plan on
        # the items in that order (the same orders; only such ties can peg differently).
        with transaction.atomic(), org_scope(org):
            feed_order = list(Item.objects.filter(active=True).values_list("sku", flat=True))
        pegged, reordered = result, feed_order != [item.sku for item in scenario.items]
        if reordered:
            by_sku = {item.sku: item for item in scenario.items}
            items = [by_sku[sku] for sku in feed_order]
            pegged = mrp.plan(mrp.Scenario(scenario.horizon, items, scenario.bom, scenario.demand, scenario.receipts))
        with transaction.atomic(), org_scope(org):
            checked = compare(run, result, pegged, pk, refs, days)
        checked["pegging_reference"] = "engine, items by SKU as the feed reads them" if reordered else "engine"
        verified = time.perf_counter()
        end_to_end_s = round(seconds["load"] + seconds["plan"] + seconds["save"], 3)
        figures: dict[str, object] = {
            "database": vendor,
            "gc_disabled_during_run": no_gc,
            "rows_loaded": counts,
            "start": START.isoformat(),
            "horizon_days": horizon_days,
            "working_days": run.stats["working_days"],
            "phases": {
                "load_into_db_s": round(loaded - started, 3),
                "analyze_s": round(analyzed - loaded, 3),
                "mrp_read_s": seconds["load"],
                "plan_s": seconds["plan"],
                "save_s": seconds["save"],
                "end_to_end_s": end_to_end_s,
                "mrp_run_s": round(returned - analyzed, 3),  # the call: read, plan, save, and the run's own rows
                "commit_s": round(committed - returned, 3),
                "total_s": round(committed - started, 3),  # load, analyze, the run and its commit
                "verify_s": round(verified - committed, 3),  # the plan read back and compared (not in total_s)
            },
            "planned_orders": run.stats["planned_make"] + run.stats["planned_buy"],
            "planned_make": run.stats["planned_make"],
            "planned_buy": run.stats["planned_buy"],
            **checked,
        }
        figures["net_change"] = net_change(scenario, org, owner, pk, days)
        if breakdown:
            figures["save_breakdown"] = save_breakdown(org, run)
        return figures


def net_change(scenario: mrp.Scenario, org, owner, pk: dict[str, int], days) -> dict[str, object]:
    """One new sales order after the run (through the sales services: made, a line, confirmed; committed), then
    ``mrp_net_change`` timed: it finds the order's item, replans it and, a level at a time, what the change
    reaches, into the run. The item is the finished good whose tree is the median size among the demanded ones (a
    typical order, not the largest).
    The run's proposals are vacuumed and have their statistics first, as autovacuum would have done after the full
    run's insert (without statistics, PostgreSQL reads the whole table for an item's proposals; without the vacuum,
    the net change's first reads of the rows just written set their hint bits: 0.2-0.5 s more)."""
    from django.db import transaction

    from factoryos.catalog.models import BomLine
    from factoryos.kernel.tenancy import org_scope
    from factoryos.mrp import selectors
    from factoryos.mrp.models import MrpMessage, PlannedOrder
    from factoryos.mrp.services import mrp_net_change
    from factoryos.partners.models import Partner
    from factoryos.sales import services as sales

    with transaction.atomic(), org_scope(org):
        demanded = sorted({d.sku for d in scenario.demand})[:50]
        sizes = sorted((len(selectors.below({pk[sku]})), sku) for sku in demanded)
        size, sku = sizes[len(sizes) // 2]
        customer = Partner.objects.get(code="CUST")
        order = sales.sales_order_create(actor=owner, partner=customer)
        sales.sales_order_line_create(
            actor=owner, order=order, item=pk[sku], quantity=Decimal(7), unit_price=Decimal(100),
            promised_date=days.date(min(20, days.horizon)),
        )  # fmt: skip
        sales.sales_order_confirm(actor=owner, obj=order)
        lines_under = BomLine.objects.filter(bom__item_id__in=selectors.below({pk[sku]})).count()
    analyze((PlannedOrder, MrpMessage), vacuum=True)
    started = time.perf_counter()
    with transaction.atomic(), org_scope(org):
        run = mrp_net_change(actor=owner)
    took = time.perf_counter() - started
    net = run.stats["net_changes"][-1]
    return {
        "item": sku,
        "items_under_it": size,
        "bom_lines_under_it": lines_under,
        "items_replanned": net["replanned"],
        "items_rewritten": net["rewritten"],
        "levels": net["levels"],
        "planned_orders_written": net["planned_make"] + net["planned_buy"],
        "run_s": net["seconds"],
        "with_commit_s": round(took, 3),
        "target_s": 1.0,
    }
