"""Benchmark of the pure BOM engine on a large deterministic catalog.

Run from the project root: ``.venv/bin/python bench/bom.py [--seed N] [--repeat N]``. Prints ONE JSON
object: the catalog sizes, the best-of-N wall time (time.perf_counter) of each operation, the targets from
the issue and whether each is met. Nothing is asserted; the test suite never times anything.

The catalog: 50,000 items on 10 assigned levels (0..9), 200,000 BOM lines that only point from a level to a
deeper one (so there is no cycle). Level 0 holds the finished goods, levels 1..8 manufactured items and
purchased parts, level 9 only purchased/raw parts. Every manufactured item has one manufactured component
on the next level (so every finished good is 9 manufactured levels deep), 0-2 more on deeper manufactured
levels, and purchased parts from deeper levels; every item below level 0 is used at least once. Every
manufactured item has a routing of 1-4 operations; every purchased part has a purchase cost.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from factoryos.planning.engine.bom import (  # noqa: E402
    BomLine,
    Operation,
    explode,
    low_level_codes,
    roll_up_costs,
    where_used,
    would_create_cycle,
)

ITEMS = 50_000
LINES = 200_000
LEVELS = 10  # assigned levels 0..9
FINISHED_GOODS = 1_500
MADE_PER_LEVEL = 2_000  # manufactured items on each of levels 1..8
TARGETS_S = {"low_level_codes": 1.0, "roll_up_costs": 2.0}


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    """A random amount with 2 decimals in [low, high)."""
    return Decimal(rng.randrange(low * 100, high * 100)).scaleb(-2)


def build_catalog(seed: int):
    """Deterministic catalog: (items, lines, operations, purchase_cost, lot_size, level_of)."""
    rng = random.Random(seed)
    made: list[list[int]] = [[] for _ in range(LEVELS)]
    bought: list[list[int]] = [[] for _ in range(LEVELS)]
    next_id = 1
    for level in range(LEVELS - 1):
        count = FINISHED_GOODS if level == 0 else MADE_PER_LEVEL
        made[level] = list(range(next_id, next_id + count))
        next_id += count
    n_bought = ITEMS - (next_id - 1)
    # Purchased parts on levels 1..9, the deepest level holding the most (raw material).
    weights = [0, 4, 4, 5, 5, 6, 6, 7, 8, 30]
    for _ in range(n_bought):
        bought[rng.choices(range(LEVELS), weights)[0]].append(next_id)
        next_id += 1
    items = list(range(1, next_id))
    level_of = {item: level for level in range(LEVELS) for item in (*made[level], *bought[level])}
    parents = [item for level in range(LEVELS - 1) for item in made[level]]

    edges: dict[int, set[int]] = {parent: set() for parent in parents}
    # Spine: each manufactured item one level below is used by exactly one (shuffled) parent on the level above.
    for level in range(LEVELS - 2):
        below = made[level + 1][:]
        rng.shuffle(below)
        above = made[level]
        for index, child in enumerate(below):
            edges[above[index % len(above)]].add(child)
    # 0-2 more manufactured components on any deeper manufactured level.
    for level in range(LEVELS - 2):
        deeper = [item for lower in range(level + 1, LEVELS - 1) for item in made[lower]]
        for parent in made[level]:
            for _ in range(rng.randint(0, 2)):
                edges[parent].add(rng.choice(deeper))
    # Every purchased part used at least once, by a manufactured item on a shallower level.
    for level in range(1, LEVELS):
        shallower = [item for upper in range(min(level, LEVELS - 1)) for item in made[upper]]
        for part in bought[level]:
            edges[rng.choice(shallower)].add(part)
    # Fill up to exactly LINES lines with purchased parts from deeper levels.
    deeper_bought = {
        level: [item for lower in range(level + 1, LEVELS) for item in bought[lower]] for level in range(9)
    }
    count = sum(len(children) for children in edges.values())
    while count < LINES:
        parent = rng.choice(parents)
        part = rng.choice(deeper_bought[level_of[parent]])
        if part not in edges[parent]:
            edges[parent].add(part)
            count += 1
    assert count == LINES, count

    lines: list[BomLine] = []
    line_id = 0
    scrap_choices = [Decimal(0)] * 8 + [Decimal("2.5"), Decimal(5)]
    # Sub-assemblies mostly one per parent; purchased parts in varied quantities (pieces, metres, kilograms).
    made_qty = [Decimal(1)] * 8 + [Decimal(2), Decimal("0.5")]
    bought_qty = [Decimal(1)] * 5 + [Decimal(2), Decimal(4), Decimal("0.25"), Decimal("1.5"), Decimal("3.75")]
    for parent in parents:
        for component in sorted(edges[parent]):
            line_id += 1
            lines.append(
                BomLine(
                    parent,
                    component,
                    rng.choice(made_qty if component in edges else bought_qty),
                    rng.choice(scrap_choices),
                    phantom=level_of[component] < LEVELS - 1 and component in edges and rng.random() < 0.02,
                    line_id=line_id,
                )
            )

    operations: list[Operation] = []
    for parent in parents:
        for seq in range(1, rng.randint(1, 4) + 1):
            operations.append(
                Operation(
                    parent,
                    seq * 10,
                    Decimal(rng.randrange(0, 121)),
                    Decimal(rng.randrange(5, 600)).scaleb(-1),
                    _money(rng, 0, 150),
                    _money(rng, 25, 90),
                    Decimal(rng.choice([100, 100, 95, 90, 85, 75])),
                )
            )
    purchase_cost = {part: _money(rng, 1, 500) for level in bought for part in level}
    lot_size = {parent: Decimal(rng.choice([1, 5, 10, 25, 50, 100])) for parent in parents}
    return items, lines, operations, purchase_cost, lot_size, level_of


def heights_and_row_counts(items, lines):
    """Longest path below each item and its explosion row count, by dynamic programming (no explosion)."""
    order = list(low_level_codes(items, lines))
    children: dict[int, list[int]] = {}
    for line in lines:
        children.setdefault(line.parent, []).append(line.component)
    height: dict[int, int] = {}
    rows: dict[int, int] = {}
    for item in reversed(order):
        below = children.get(item, ())
        height[item] = max((height[c] + 1 for c in below), default=0)
        rows[item] = sum(1 + rows[c] for c in below)
    return height, rows


def where_used_row_counts(items, lines):
    """Where-used row count of each item (paths up to every user), by dynamic programming."""
    order = list(low_level_codes(items, lines))
    parents: dict[int, list[int]] = {}
    for line in lines:
        parents.setdefault(line.component, []).append(line.parent)
    rows: dict[int, int] = {}
    for item in order:
        rows[item] = sum(1 + rows[p] for p in set(parents.get(item, ())))
    return rows


def best_of(repeat: int, func):
    """(best wall time in seconds, last result)."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    items, lines, operations, purchase_cost, lot_size, level_of = build_catalog(args.seed)
    generate_s = time.perf_counter() - start

    height, row_counts = heights_and_row_counts(items, lines)
    finished = [item for item in items if level_of[item] == 0]
    deepest_fg = max(finished, key=lambda item: (height[item], row_counts[item], -item))
    raw_codes = low_level_codes(items, lines)
    wu_counts = where_used_row_counts(items, lines)
    raws = [item for item in items if item in purchase_cost]
    deep_raw = max(raws, key=lambda item: (raw_codes[item], wu_counts[item], -item))

    timings: dict[str, float] = {}
    timings["low_level_codes"], codes = best_of(args.repeat, lambda: low_level_codes(items, lines))
    timings["explode"], explosion = best_of(args.repeat, lambda: explode(deepest_fg, Decimal(1), lines))
    timings["where_used"], used = best_of(args.repeat, lambda: where_used(deep_raw, lines))
    timings["roll_up_costs"], costs = best_of(
        args.repeat, lambda: roll_up_costs(items, lines, operations, purchase_cost, lot_size)
    )
    # The check made before saving a line. Usual case: a new "finished good -> raw part" line closes no loop
    # (one scan of the lines, nothing below the raw part). Worst case: "deepest row of the explosion ->
    # finished good" closes a loop, found by a breadth-first search through the finished good's structure.
    timings["would_create_cycle_none"], no_loop = best_of(
        args.repeat, lambda: would_create_cycle(lines, deepest_fg, deep_raw)
    )
    deepest_row = max(explosion, key=lambda row: len(row.path))
    timings["would_create_cycle_loop"], loop_found = best_of(
        args.repeat, lambda: would_create_cycle(lines, deepest_row.component, deepest_fg)
    )

    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_1m_at_end": None,
        "seed": args.seed,
        "sizes": {
            "items": len(items),
            "bom_lines": len(lines),
            "phantom_lines": sum(1 for line in lines if line.phantom),
            "operations": len(operations),
            "assigned_levels": LEVELS,
            "max_low_level_code": max(codes.values()),
            "finished_goods": len(finished),
            "purchased_items": len(purchase_cost),
            "explode_root": deepest_fg,
            "explode_rows": len(explosion),
            "explode_depth": max(len(row.path) - 1 for row in explosion),
            "where_used_item": deep_raw,
            "where_used_item_llc": codes[deep_raw],
            "where_used_rows": len(used),
            "costed_items": len(costs),
            "would_create_cycle_loop_items": len(loop_found) - 1 if loop_found else None,
        },
        "generate_catalog_s": round(generate_s, 3),
        "repeat": args.repeat,
        "timings_s": {name: round(value, 4) for name, value in timings.items()},
        "targets_s": TARGETS_S,
        "targets_met": {name: timings[name] < limit for name, limit in TARGETS_S.items()},
        "sample_cost": {str(deepest_fg): {k: str(v) for k, v in vars_of(costs[deepest_fg]).items()}},
    }
    report["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)  # other work on the machine skews timings
    assert no_loop is None and loop_found is not None
    print(json.dumps(report, indent=2))


def vars_of(breakdown) -> dict[str, Decimal]:
    """A CostBreakdown as a dict (it has slots, so no __dict__)."""
    return {name: getattr(breakdown, name) for name in ("material", "labour", "machine", "total")}


if __name__ == "__main__":
    main()
