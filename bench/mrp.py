"""Benchmark of MRP: the pure engine (planning/engine/mrp.py), and a run end to end through the database.

    .venv/bin/python bench/mrp.py                        # the generated catalog below, daily buckets over a year
    .venv/bin/python bench/mrp.py --scenario FILE.json   # a scenario file (../shared/bench/mrp/peer_*.json)

Prints ONE JSON object: sizes, each engine phase's wall time (best of --repeat), the planned orders, pegs and
exceptions, the phases of the run through the database (below), and for the peer files the figure Tryton 8.2 took
on the same file (../shared/bench/mrp/README.md) and the ratio.

The generated catalog is bench/bom.py's (50,000 items on 10 levels, 200,000 BOM lines) with 20,000 sales order
lines on its finished goods spread over 365 daily periods, stock on hand for about half the items, safety stock on
a tenth, scheduled receipts for 2,000 purchased parts, and the lot rules a shop uses, sized from each part's yearly
use (the demand exploded down the BOM): lot-for-lot for most made items, weekly batches or two weeks' worth for the
rest; for bought parts a 1, 2 or 4-week period order quantity, a two-week minimum in packs, or a fixed lot of two
or four weeks' use.

``plan_s`` is the engine's plan (quantities, dates, exceptions: the issue's "under 5 s" line); ``plan_and_peg_s``
adds the pegging of every planned order to the demands it serves, down the whole BOM.

End to end through the database (bench/mrp_db.py; on by default with ``--scenario``, ``--database`` for the
generated catalog, ``--engine-only`` to skip it): the scenario is loaded into a throw-away database (SQLite, or
PostgreSQL with DATABASE_URL and DATABASE_OWNER_URL set: see bench/throwaway.py) as items, released BOMs, stock,
confirmed sales orders and sent purchase orders (``load_into_db_s``), and ``mrp.services.mrp_run`` reads it
(``mrp_read_s``), plans (``plan_s``) and saves the planned orders with their pegging and the messages (``save_s``);
``end_to_end_s`` is those three, the peer's ``ratio`` is over it (``ratio_with_load`` over ``total_s``, which adds
the load, ANALYZE on PostgreSQL and the commit). ``matches_engine`` says the run planned exactly the engine's orders
on the same scenario. The target of the generated catalog (issue 9: "end to end on PostgreSQL (load, run, save
planned orders with pegging) under 60 s") is taken as ``end_to_end_s``. ``--save-breakdown`` times the planned
orders' insert again, without the pegging and through the driver; ``--no-gc`` turns Python's cyclic garbage
collector off around the call too (the run pauses it itself for the read, plan and save). ``net_change``: one new
sales order after the run (made, a line, confirmed through the sales services) for the demanded finished good whose
tree is the median size, then ``mrp_net_change`` timed (issue 9's target: under 1 s).

    DATABASE_URL=postgres://... DATABASE_OWNER_URL=postgres://... .venv/bin/python bench/mrp.py --scenario FILE.json
    .venv/bin/python bench/mrp.py --database --save-breakdown    # the generated catalog end to end, the save split
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from bom import build_catalog  # noqa: E402  - bench/bom.py's catalog

from factoryos.planning.engine import mrp  # noqa: E402

HORIZON = 365
DEMAND_LINES = 20_000
ENGINE_TARGET_S = 5.0
# Tryton 8.2's supply planning on the same files, this kind of machine (../shared/bench/mrp/README.md).
PEER_SECONDS = {"peer_500.json": 282.0, "peer_2000.json": 1104.0, "peer_10000.json": 7310.0}
PEER_TARGET_S = {"peer_500.json": 2.8, "peer_10000.json": 30.0}
GENERATED_TARGET_S = 60.0  # the generated catalog end to end on PostgreSQL (read, plan, save with the pegging)


def generated_scenario(seed: int) -> mrp.Scenario:
    items, lines, _operations, _costs, _lots, level_of = build_catalog(seed)
    rng = random.Random(seed)
    made = {line.parent for line in lines}
    links = [
        mrp.BomLink(str(line.parent), str(line.component), line.qty_per * (1 + line.scrap_pct / 100)) for line in lines
    ]
    finished = [item for item in items if level_of[item] == 0]
    demand = [
        mrp.Demand(str(rng.choice(finished)), rng.randint(1, HORIZON), rng.randint(1, 20), f"SO-{n:05d}")
        for n in range(DEMAND_LINES)
    ]
    bought = [item for item in items if item not in made]
    receipts = [
        mrp.Receipt(str(part), rng.randint(1, 30), rng.choice([50, 100, 500]), f"PO-{n:05d}")
        for n, part in enumerate(rng.sample(bought, 2_000))
    ]
    # Lot sizes as a planner sets them: from what a part uses in a year (the demand exploded down the BOM), so a
    # fixed lot or a minimum is a few weeks' use, not a day's.
    use: dict[str, Decimal] = defaultdict(Decimal)
    for d in demand:
        use[d.sku] += d.qty
    by_parent: dict[str, list[mrp.BomLink]] = defaultdict(list)
    for link in links:
        by_parent[link.parent].append(link)
    for level in range(10):
        for item in items:
            if level_of[item] == level:
                for link in by_parent.get(str(item), ()):
                    use[link.component] += use[str(item)] * link.qty

    def weeks(sku: str, n: int) -> int:
        return max(1, int(use[sku] * n / 52))

    scenario_items = []
    for item in items:
        sku = str(item)
        if item in made:
            draw = rng.random()
            if draw < 0.7:
                lot = mrp.LotRule("lot_for_lot")
            elif draw < 0.9:
                lot = mrp.LotRule("poq", periods=7)
            else:
                lot = mrp.LotRule("fixed", qty=weeks(sku, 2))
        else:
            lot = rng.choice(
                [
                    mrp.LotRule("poq", periods=rng.choice([7, 14, 30])),
                    mrp.LotRule("min_multiple", min=weeks(sku, 2), multiple=rng.choice([1, 5, 10])),
                    mrp.LotRule("fixed", qty=weeks(sku, rng.choice([2, 4]))),
                ]
            )
        scenario_items.append(
            mrp.Item(
                sku,
                lead_time=rng.randint(1, 5) if item in made else rng.randint(2, 15),
                on_hand=rng.randint(0, 200) if rng.random() < 0.5 else 0,
                safety_stock=rng.randint(1, 20) if rng.random() < 0.1 else 0,
                source="make" if item in made else "buy",
                lot=lot,
            )
        )
    return mrp.Scenario(HORIZON, scenario_items, links, demand, receipts)


def best_of(repeat: int, func):
    best, value = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - started)
    return round(best, 3), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, help="a scenario JSON file instead of the generated catalog")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", action="store_true", help="the generated catalog end to end too")
    parser.add_argument("--engine-only", action="store_true", help="a scenario file without the database")
    parser.add_argument("--save-breakdown", action="store_true", help="the save timed again without the pegging")
    parser.add_argument(
        "--no-gc", action="store_true", help="the cyclic garbage collector off during the run (a what-if, not the app)"
    )
    args = parser.parse_args()
    load_at_start = round(os.getloadavg()[0], 2)  # other work on the machine skews the timings

    phases: dict[str, float] = {}
    if args.scenario:
        phases["read_s"], data = best_of(
            args.repeat, lambda: json.loads(args.scenario.read_text(), parse_float=Decimal)
        )
        phases["build_s"], scenario = best_of(args.repeat, lambda: mrp.scenario_from_json(data))
    else:
        phases["generate_s"], scenario = best_of(1, lambda: generated_scenario(args.seed))
    phases["plan_s"], unpegged = best_of(args.repeat, lambda: mrp.plan(scenario, pegging=False))
    phases["plan_and_peg_s"], result = best_of(args.repeat, lambda: mrp.plan(scenario))
    phases["to_json_s"], _ = best_of(args.repeat, lambda: mrp.result_to_json(result))
    assert [(o.sku, o.due, o.qty) for o in unpegged.planned_orders] == [
        (o.sku, o.due, o.qty) for o in result.planned_orders
    ]
    name = args.scenario.name if args.scenario else None
    through_database = not args.engine_only if args.scenario else args.database
    report: dict[str, object] = {
        "benchmark": "mrp end to end" if through_database else "mrp engine",
        "python": platform.python_version(),
        "scenario": name or f"generated (seed {args.seed})",
        "items": len(scenario.items),
        "bom_lines": len(scenario.bom),
        "demand_lines": len(scenario.demand),
        "receipts": len(scenario.receipts),
        "horizon": scenario.horizon,
        "planned_orders": len(result.planned_orders),
        "pegs": sum(len(order.pegging) for order in result.planned_orders),
        "exceptions": len(result.exceptions),
        "phases": phases,
        "load_average_1m_at_start": load_at_start,
    }
    if args.scenario:
        engine_total = round(phases["read_s"] + phases["build_s"] + phases["plan_and_peg_s"] + phases["to_json_s"], 3)
        report["engine_total_s"] = engine_total
    else:
        report["target_engine_s"] = ENGINE_TARGET_S
        report["engine_within_target"] = phases["plan_s"] < ENGINE_TARGET_S
    peer, target = PEER_SECONDS.get(name), PEER_TARGET_S.get(name) if name else GENERATED_TARGET_S
    if peer and args.scenario:
        report["peer_s"] = peer
        report["engine_ratio"] = round(peer / engine_total, 1)
    if not through_database:
        report["end_to_end"] = "not measured: run without --engine-only (a scenario) or with --database (generated)"
        report["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
        print(json.dumps(report, indent=2))
        return
    from mrp_db import end_to_end  # Django is set up on a throw-away database inside

    del unpegged
    gc.collect()
    gc.freeze()  # this process's engine figures (its plan and scenario) out of the collector's way during the run
    database = end_to_end(scenario, result, breakdown=args.save_breakdown, no_gc=args.no_gc)
    measured = database["phases"]
    report["end_to_end"] = database
    report["database"] = database["database"]
    report["matches_engine"] = database["matches_engine"]
    report["end_to_end_s"] = measured["end_to_end_s"]
    report["total_s"] = measured["total_s"]
    if peer:
        report["ratio"] = round(peer / measured["end_to_end_s"], 1)
        report["ratio_with_load"] = round(peer / measured["total_s"], 1)
    report["target_end_to_end_s"] = target
    if target:
        report["within_target"] = measured["end_to_end_s"] < target
        report["within_target_with_load"] = measured["total_s"] < target
    report["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
