"""The pure BOM engine against answers worked by hand, cycle reporting, and properties on random DAGs."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factoryos.planning.engine.bom import (
    BomCycleError,
    BomDepthError,
    BomLine,
    CostBreakdown,
    MissingCostError,
    Operation,
    explode,
    format_cycle,
    low_level_codes,
    roll_up_costs,
    summarized,
    where_used,
    would_create_cycle,
)

D = Decimal
SRC = Path(__file__).resolve().parents[2] / "src"

# --------------------------------------------------------------------------------------------------
# A bicycle, worked by hand.
#
#   BIKE (1)                      routing: assembly
#   ├── FRAME (2) x1   [line 10]  routing: weld, paint
#   │   └── TUBE (9) x3.5 m, 10 % scrap  [line 10]
#   ├── WHEEL (3) x2   [line 20]  routing: lace & true
#   │   ├── RIM (5) x1            [line 10]
#   │   ├── SPOKE (4) x32         [line 20]
#   │   └── HUB-KIT (6) x1 PHANTOM [line 30]   (never stocked: its parts go straight into the wheel)
#   │       ├── HUB (7) x1        [line 10]
#   │       └── BOLT (10) x2      [line 20]
#   └── BOLT (10) x4   [line 30]
#
# BOLT is used at level 1 (by the bike) and at level 3 (bike > wheel > hub kit): its low-level code is 3.
# --------------------------------------------------------------------------------------------------
BIKE, FRAME, WHEEL, SPOKE, RIM, HUB_KIT, HUB, TUBE, BOLT = 1, 2, 3, 4, 5, 6, 7, 9, 10
NAMES = {BIKE: "BIKE", FRAME: "FRAME", WHEEL: "WHEEL", SPOKE: "SPOKE", RIM: "RIM", HUB_KIT: "HUB-KIT"}

BICYCLE = [
    # Deliberately out of order: the engine sorts each parent's lines by (line_id, component).
    BomLine(WHEEL, HUB_KIT, D(1), phantom=True, line_id=30),
    BomLine(BIKE, BOLT, D(4), line_id=30),
    BomLine(BIKE, FRAME, D(1), line_id=10),
    BomLine(BIKE, WHEEL, D(2), line_id=20),
    BomLine(FRAME, TUBE, D("3.5"), D(10), line_id=10),
    BomLine(WHEEL, RIM, D(1), line_id=10),
    BomLine(WHEEL, SPOKE, D(32), line_id=20),
    BomLine(HUB_KIT, HUB, D(1), line_id=10),
    BomLine(HUB_KIT, BOLT, D(2), line_id=20),
]

ROUTINGS = [
    # item, seq, setup min, run min/unit, machine €/h, labour €/h, efficiency %
    Operation(FRAME, 10, D(60), D(45), D(30), D(48)),  # weld
    Operation(FRAME, 20, D(30), D(15), D(20), D(40), D(75)),  # paint, 75 % efficient
    Operation(WHEEL, 10, D(0), D(20), D(0), D(36)),  # lace & true, by hand
    Operation(BIKE, 10, D(15), D(30), D(0), D(42)),  # final assembly, by hand
]

PURCHASE = {
    TUBE: D("12.50"),  # per metre
    RIM: D("18.00"),
    SPOKE: D("0.35"),
    HUB: D("22.00"),
    BOLT: D("0.10"),
    BIKE: D("999.00"),  # ignored: the bike has a BOM, its material comes from its components
}


def as_tuples(rows):
    return [
        (r.level, r.parent, r.component, r.qty_per, r.scrap_pct, r.quantity, r.path, r.phantom, r.leaf) for r in rows
    ]


def test_bicycle_low_level_codes():
    assert low_level_codes([BIKE], BICYCLE) == {
        BIKE: 0,
        FRAME: 1,
        WHEEL: 1,
        TUBE: 2,
        RIM: 2,
        SPOKE: 2,
        HUB_KIT: 2,  # a phantom still has a code (MRP passes through it)
        HUB: 3,
        BOLT: 3,  # used at level 1 and at level 3: the deeper one wins
    }


def test_bicycle_explosion_of_ten_bikes():
    rows = explode(BIKE, D(10), BICYCLE)
    assert as_tuples(rows) == [
        # level, parent, component, qty_per, scrap %, quantity, path, phantom, leaf
        (1, BIKE, FRAME, D(1), D(0), D(10), (BIKE, FRAME), False, False),
        # 10 frames * 3.5 m * 1.10 = 38.5 m of tube
        (2, FRAME, TUBE, D("3.5"), D(10), D("38.5"), (BIKE, FRAME, TUBE), False, True),
        (1, BIKE, WHEEL, D(2), D(0), D(20), (BIKE, WHEEL), False, False),
        (2, WHEEL, RIM, D(1), D(0), D(20), (BIKE, WHEEL, RIM), False, True),
        (2, WHEEL, SPOKE, D(32), D(0), D(640), (BIKE, WHEEL, SPOKE), False, True),
        # the phantom row is listed and marked, with the 20 hub kits that pass through...
        (2, WHEEL, HUB_KIT, D(1), D(0), D(20), (BIKE, WHEEL, HUB_KIT), True, False),
        # ...and its parts appear at the phantom's level, as parts of the wheel (qty per wheel = 1 * 1, 1 * 2)
        (2, WHEEL, HUB, D(1), D(0), D(20), (BIKE, WHEEL, HUB_KIT, HUB), False, True),
        (2, WHEEL, BOLT, D(2), D(0), D(40), (BIKE, WHEEL, HUB_KIT, BOLT), False, True),
        (1, BIKE, BOLT, D(4), D(0), D(40), (BIKE, BOLT), False, True),
    ]
    assert [r.line_id for r in rows] == [10, 10, 20, 10, 20, 30, 10, 20, 30]


def test_bicycle_summarized():
    rows = explode(BIKE, D(10), BICYCLE)
    # Bolts: 40 on the bikes + 40 in the hub kits.
    assert summarized(rows) == {TUBE: D("38.5"), RIM: D(20), SPOKE: D(640), HUB: D(20), BOLT: D(80)}
    # Every stocked item (made ones too), never the phantom.
    assert summarized(rows, leaves_only=False) == {
        FRAME: D(10),
        TUBE: D("38.5"),
        WHEEL: D(20),
        RIM: D(20),
        SPOKE: D(640),
        HUB: D(20),
        BOLT: D(80),
    }


def test_explode_item_without_bom_is_empty():
    assert explode(TUBE, D(5), BICYCLE) == []


def test_bicycle_where_used_bolt():
    rows = where_used(BOLT, BICYCLE)
    # level, parent, child, extended qty per, bolts per one parent, path (from the bolt up)
    assert [(r.level, r.parent, r.child, r.extended_qty_per, r.quantity, r.path, r.phantom) for r in rows] == [
        (1, BIKE, BOLT, D(4), D(4), (BOLT, BIKE), False),
        (1, HUB_KIT, BOLT, D(2), D(2), (BOLT, HUB_KIT), False),
        (2, WHEEL, HUB_KIT, D(1), D(2), (BOLT, HUB_KIT, WHEEL), True),  # the wheel uses the kit as a phantom
        (3, BIKE, WHEEL, D(2), D(4), (BOLT, HUB_KIT, WHEEL, BIKE), False),  # 2 wheels * 2 bolts
    ]
    # 4 + 4 = 8 bolts per bike, as in the explosion (80 for 10 bikes).
    assert sum(r.quantity for r in rows if r.parent == BIKE) == D(8)


def test_bicycle_where_used_tube_includes_scrap():
    rows = where_used(TUBE, BICYCLE)
    assert [(r.level, r.parent, r.quantity, r.path) for r in rows] == [
        (1, FRAME, D("3.85"), (TUBE, FRAME)),  # 3.5 m * 1.10
        (2, BIKE, D("3.85"), (TUBE, FRAME, BIKE)),
    ]
    assert where_used(BIKE, BICYCLE) == []


def test_bicycle_cost_roll_up():
    # Lot size 10 everywhere, so setups are spread over 10 units.
    #   FRAME  material = 12.50 * 3.5 * 1.10                      = 48.125
    #          weld : (60/10 + 45) / 1.00 = 51 min = 0.85 h -> labour 0.85*48 = 40.80, machine 0.85*30 = 25.50
    #          paint: (30/10 + 15) / 0.75 = 24 min = 0.40 h -> labour 0.40*40 = 16.00, machine 0.40*20 =  8.00
    #          labour 56.80, machine 33.50, total 48.125 + 56.80 + 33.50   = 138.425
    #   HUB-KIT material = 22.00 + 2*0.10 = 22.20 (no routing)
    #   WHEEL  material = 18.00 + 32*0.35 + 22.20 = 18.00 + 11.20 + 22.20 = 51.40
    #          lace : (0/10 + 20) = 20 min = 1/3 h -> labour 36/3 = 12.00
    #          total 63.40
    #   BIKE   material = 138.425 + 2*63.40 + 4*0.10 = 265.625 (its own purchase cost 999 is ignored)
    #          assembly: (15/10 + 30) = 31.5 min -> labour 31.5/60*42 = 22.05
    #          total 287.675
    costs = roll_up_costs([BIKE], BICYCLE, ROUTINGS, PURCHASE, D(10))
    assert costs == {
        TUBE: CostBreakdown(D("12.5000"), D("0.0000"), D("0.0000"), D("12.5000")),
        RIM: CostBreakdown(D("18.0000"), D("0.0000"), D("0.0000"), D("18.0000")),
        SPOKE: CostBreakdown(D("0.3500"), D("0.0000"), D("0.0000"), D("0.3500")),
        HUB: CostBreakdown(D("22.0000"), D("0.0000"), D("0.0000"), D("22.0000")),
        BOLT: CostBreakdown(D("0.1000"), D("0.0000"), D("0.0000"), D("0.1000")),
        HUB_KIT: CostBreakdown(D("22.2000"), D("0.0000"), D("0.0000"), D("22.2000")),
        FRAME: CostBreakdown(D("48.1250"), D("56.8000"), D("33.5000"), D("138.4250")),
        WHEEL: CostBreakdown(D("51.4000"), D("12.0000"), D("0.0000"), D("63.4000")),
        BIKE: CostBreakdown(D("265.6250"), D("22.0500"), D("0.0000"), D("287.6750")),
    }
    # 4 decimals, always, and components come before their parents.
    assert all(value.as_tuple().exponent == -4 for c in costs.values() for value in vars_of(c))
    order = list(costs)
    assert order.index(FRAME) < order.index(BIKE) and order.index(HUB_KIT) < order.index(WHEEL)


def vars_of(breakdown):
    return (breakdown.material, breakdown.labour, breakdown.machine, breakdown.total)


def test_lot_size_per_item_and_default():
    # FRAME in lots of 30: weld (60/30 + 45) = 47 min, paint (30/30 + 15)/0.75 = 21.333.. min.
    #   labour = 47/60*48 + 21.333../60*40 = 37.60 + 14.2222.. = 51.8222..  -> 51.8222
    #   machine = 47/60*30 + 21.333../60*20 = 23.50 + 7.1111..  = 30.6111..  -> 30.6111
    # BIKE has no lot size given: lot of 1 -> (15 + 30) min = 0.75 h * 42 = 31.50.
    costs = roll_up_costs([BIKE], BICYCLE, ROUTINGS, PURCHASE, {FRAME: D(30), WHEEL: D(10)})
    assert (costs[FRAME].labour, costs[FRAME].machine) == (D("51.8222"), D("30.6111"))
    assert costs[BIKE].labour == D("31.5000")


def test_rounding_is_once_per_item_and_parents_use_rounded_component_costs():
    # PART: 10 min setup per lot of 3 at 50 €/h = 10/3/60*50 = 2.7777.. -> 2.7778 (ROUND_HALF_UP, 4 dp).
    # ASSY uses 3 PARTs: 3 * 2.7778 = 8.3334 (the stored unit cost of the part), not round(3 * 2.77..) = 8.3333.
    part, assy = 1, 2
    costs = roll_up_costs([assy], [BomLine(assy, part, D(3))], [Operation(part, 10, 10, 0, 0, 50)], {}, D(3))
    assert costs[part] == CostBreakdown(D("0.0000"), D("2.7778"), D("0.0000"), D("2.7778"))
    assert costs[assy] == CostBreakdown(D("8.3334"), D("0.0000"), D("0.0000"), D("8.3334"))


def test_rounding_is_half_up_on_the_exact_value():
    # Labour exactly 0.00005 (0.003 min at 1 €/h) rounds up; 0.0000499.. (1/20001 €) rounds down.
    costs = roll_up_costs([1], [], [Operation(1, 10, 0, D("0.003"), 0, 1)], {}, 1)
    assert costs[1].labour == D("0.0001")
    costs = roll_up_costs([2], [], [], {2: D("0.00004999")})
    assert costs[2].material == D("0.0000")
    costs = roll_up_costs([2], [], [], {2: D("12.34565")}, places=4)
    assert costs[2].total == D("12.3457")
    costs = roll_up_costs([2], [], [], {2: D("12.345")}, places=2)
    assert costs[2].total == D("12.35")


def test_missing_purchase_cost():
    lines = [BomLine(1, 2, D(1)), BomLine(1, 3, D(1))]
    with pytest.raises(MissingCostError) as caught:
        roll_up_costs([1], lines, [], {2: D(5)})
    assert caught.value.items == [3]
    assert "3" in str(caught.value)
    costs = roll_up_costs([1], lines, [], {2: D(5)}, strict=False)
    assert costs[3].total == D("0.0000") and costs[1].total == D("5.0000")
    # An item with a routing and no BOM is not missing anything: its material is its purchase cost or zero.
    assert roll_up_costs([4], [], [Operation(4, 10, 0, 60, 0, 30)], {})[4] == CostBreakdown(
        D("0.0000"), D("30.0000"), D("0.0000"), D("30.0000")
    )


# ----------------------------------------------------------------------------------- low-level codes


def test_component_used_at_two_depths_gets_the_deeper_code():
    # A -> B -> C -> X and A -> X: X is used at level 1 and at level 3.
    a, b, c, x = 10, 20, 30, 40
    lines = [BomLine(a, x, D(1)), BomLine(a, b, D(1)), BomLine(b, c, D(1)), BomLine(c, x, D(1))]
    assert low_level_codes([a], lines) == {a: 0, b: 1, c: 2, x: 3}
    # Also when the shallow use is from a different top-level item.
    lines.append(BomLine(99, x, D(1)))
    assert low_level_codes([], lines)[x] == 3
    assert low_level_codes([], lines)[99] == 0


def test_low_level_codes_include_unused_items_and_unlisted_components():
    codes = low_level_codes([5, 6], [BomLine(6, 7, D(1))])
    assert codes == {5: 0, 6: 0, 7: 1}
    assert low_level_codes([], []) == {}


# ----------------------------------------------------------------------------------------- cycles


def test_self_loop_is_reported():
    with pytest.raises(BomCycleError) as caught:
        low_level_codes([1, 5], [BomLine(1, 5, D(1)), BomLine(5, 5, D(1))])
    assert str(caught.value) == "BOM cycle: 5 -> 5"
    assert caught.value.cycle == [5, 5]


def test_two_cycle_is_reported():
    with pytest.raises(BomCycleError) as caught:
        low_level_codes([], [BomLine(8, 3, D(1)), BomLine(3, 8, D(2)), BomLine(1, 3, D(1))])
    assert str(caught.value) == "BOM cycle: 3 -> 8 -> 3"
    assert caught.value.cycle == [3, 8, 3]


def test_longer_loop_is_reported_with_names():
    lines = [
        BomLine(1, 12, D(1)),  # a top-level item above the loop
        BomLine(12, 40, D(1)),
        BomLine(40, 77, D(1)),
        BomLine(77, 12, D(1)),
        BomLine(77, 90, D(1)),  # a component hanging below the loop
        BomLine(40, 91, D(1)),
        BomLine(2, 3, D(1)),  # an unrelated healthy BOM
    ]
    with pytest.raises(BomCycleError) as caught:
        low_level_codes([1, 2], lines)
    assert str(caught.value) == "BOM cycle: 12 -> 40 -> 77 -> 12"
    assert caught.value.cycle == [12, 40, 77, 12]
    with pytest.raises(BomCycleError, match=r"^BOM cycle: FRAME-12 -> 40 -> WELD-77 -> FRAME-12$"):
        low_level_codes([1, 2], lines, names={12: "FRAME-12", 77: "WELD-77"})
    with pytest.raises(BomCycleError) as caught:
        explode(1, D(1), lines)
    assert caught.value.cycle == [12, 40, 77, 12]
    with pytest.raises(BomCycleError) as caught:
        where_used(90, lines)
    assert caught.value.cycle == [12, 40, 77, 12]
    with pytest.raises(BomCycleError) as caught:
        roll_up_costs([1], lines, [], {})
    assert caught.value.cycle == [12, 40, 77, 12]
    # Picklable (e.g. across a process pool), with its loop.
    again = pickle.loads(pickle.dumps(caught.value))
    assert (again.cycle, str(again)) == (caught.value.cycle, str(caught.value))
    assert format_cycle([12, 40, 12], {40: "X"}) == "12 -> X -> 12"


def test_would_create_cycle():
    assert would_create_cycle(BICYCLE, BIKE, TUBE) is None  # bikes may use tube directly
    assert would_create_cycle(BICYCLE, TUBE, BIKE) == [TUBE, BIKE, FRAME, TUBE]
    assert would_create_cycle(BICYCLE, HUB, WHEEL) == [HUB, WHEEL, HUB_KIT, HUB]
    # The shortest loop: BOLT is both directly under the bike and under the wheel's hub kit.
    assert would_create_cycle(BICYCLE, BOLT, BIKE) == [BOLT, BIKE, BOLT]
    assert would_create_cycle(BICYCLE, SPOKE, SPOKE) == [SPOKE, SPOKE]
    assert would_create_cycle([], 1, 2) is None
    # The loop it returns is exactly what low_level_codes would then report (rotated to its smallest id).
    with pytest.raises(BomCycleError) as caught:
        low_level_codes([], [*BICYCLE, BomLine(HUB, WHEEL, D(1))])
    assert caught.value.cycle == [WHEEL, HUB_KIT, HUB, WHEEL]


def test_max_depth():
    chain = [BomLine(i, i + 1, D(1)) for i in range(10)]
    assert len(explode(0, D(1), chain, max_depth=10)) == 10
    with pytest.raises(BomDepthError):
        explode(0, D(1), chain, max_depth=9)
    assert len(where_used(10, chain, max_depth=10)) == 10
    with pytest.raises(BomDepthError):
        where_used(10, chain, max_depth=9)


# ------------------------------------------------------------------------------------------ phantoms


def test_nested_phantoms_and_a_made_item_below_a_phantom():
    # R uses 2 of P1 (phantom, 50 % scrap); P1 uses 3 of P2 (phantom); P2 uses 5 of X (bought) and 1 of M
    # (made: M uses 7 of Y). A phantom line to Z, which has no BOM, is an ordinary leaf.
    r, p1, p2, x, m, y, z = 1, 2, 3, 4, 5, 6, 7
    lines = [
        BomLine(r, p1, D(2), D(50), phantom=True, line_id=1),
        BomLine(p1, p2, D(3), phantom=True, line_id=1),
        BomLine(p2, x, D(5), line_id=1),
        BomLine(p2, m, D(1), line_id=2),
        BomLine(m, y, D(7), line_id=1),
        BomLine(r, z, D(1), phantom=True, line_id=2),
    ]
    assert as_tuples(explode(r, D(1), lines)) == [
        (1, r, p1, D(2), D(50), D(3), (r, p1), True, False),  # 2 * 1.5 = 3 P1 pass through
        (1, r, p2, D(9), D(0), D(9), (r, p1, p2), True, False),  # 3 per P1 = 9 per R
        (1, r, x, D(45), D(0), D(45), (r, p1, p2, x), False, True),  # 5 per P2 = 45 per R
        (1, r, m, D(9), D(0), D(9), (r, p1, p2, m), False, False),
        (2, m, y, D(7), D(0), D(63), (r, p1, p2, m, y), False, True),  # M is real: its parts one level down
        (1, r, z, D(1), D(0), D(1), (r, z), False, True),  # phantom flag, nothing to blow through
    ]
    assert summarized(explode(r, D(2), lines)) == {x: D(90), y: D(126), z: D(2)}


def test_explosion_is_exact_far_beyond_28_digits():
    # 15 levels of 1.0375 per parent with 2.5 % scrap: the leaf needs (1.0375 * 1.025) ** 15 * 7 units, a number
    # with 100+ digits that Decimal's default 28-digit context would round.
    chain = [BomLine(i, i + 1, D("1.0375"), D("2.5")) for i in range(15)]
    leaf_qty = summarized(explode(0, D(7), chain))[15]
    assert Fraction(leaf_qty) == Fraction(7) * (Fraction("1.0375") * Fraction("1.025")) ** 15
    assert len(leaf_qty.as_tuple().digits) > 28
    assert Fraction(where_used(15, chain)[-1].quantity) * 7 == Fraction(leaf_qty)


# ------------------------------------------------------------------------------------------ inputs


def test_inputs_are_exact_decimals():
    line = BomLine(1, 2, 3, "2.5")
    assert line.qty_per == D(3) and line.scrap_pct == D("2.5")
    assert line.extended_qty_per == D("3.075")
    with pytest.raises(TypeError):
        BomLine(1, 2, 0.1)
    with pytest.raises(ValueError):
        BomLine(1, 2, D(-1))
    with pytest.raises(ValueError):
        BomLine(1, 2, D("NaN"))
    with pytest.raises(ValueError):
        Operation(1, 10, 0, 1, 0, 0, efficiency_pct=0)
    with pytest.raises(TypeError):
        explode(1, 1.5, BICYCLE)
    with pytest.raises(ValueError):
        roll_up_costs([BIKE], BICYCLE, ROUTINGS, PURCHASE, D(0))


# ---------------------------------------------------------------------------------- random DAG properties

quantities = st.integers(0, 5000).map(lambda n: D(n).scaleb(-2))  # 0.00 .. 50.00
scraps = st.sampled_from([D(0), D(0), D("2.5"), D(5), D(10), D("33.3")])


@st.composite
def dags(draw, max_items=9, max_lines=18):
    """(item ids, lines): edges only from a lower to a higher rank, ids shuffled; duplicates allowed."""
    n = draw(st.integers(2, max_items))
    ids = draw(st.permutations([100 + i for i in range(n)]))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=max_lines))
    lines = [
        BomLine(
            ids[i],
            ids[j],
            draw(quantities),
            draw(scraps),
            phantom=draw(st.booleans()),
            line_id=draw(st.none() | st.integers(1, 9)),
        )
        for i, j in chosen
    ]
    return list(ids), lines


def children_of(lines):
    out = {}
    for line in lines:
        out.setdefault(line.parent, []).append(line)
    return out


# The references below compute with Fractions: exact whatever the number of digits (Decimal's default context
# would round products of many levels to 28 digits).
F = Fraction


def extended(line) -> Fraction:
    return F(line.qty_per) * (1 + F(line.scrap_pct) / 100)


def reference_leaf_totals(item, quantity, kids, totals):
    """Naive recursion: what each bought item is needed for ``quantity`` of ``item`` (phantoms are irrelevant)."""
    if item not in kids:
        totals[item] = totals.get(item, F(0)) + quantity
        return totals
    for line in kids[item]:
        reference_leaf_totals(line.component, quantity * extended(line), kids, totals)
    return totals


def exact(totals: dict) -> dict:
    return {item: F(value) for item, value in totals.items()}


fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@fast
@given(dags())
def test_low_level_codes_are_the_deepest_use(dag):
    items, lines = dag
    codes = low_level_codes(items, lines)
    assert set(codes) == set(items)
    parents = {}
    for line in lines:
        assert codes[line.component] > codes[line.parent]
        parents.setdefault(line.component, set()).add(line.parent)
    for item in items:  # exactly the deepest: one parent sits right above, or it is top level
        expected = max((codes[p] + 1 for p in parents.get(item, ())), default=0)
        assert codes[item] == expected


@fast
@given(dags(), st.integers(1, 10**6).map(lambda n: D(n).scaleb(-3)))
def test_explosion_scales_linearly_and_matches_a_naive_recursion(dag, quantity):
    items, lines = dag
    kids = children_of(lines)
    for root in items:
        if root not in kids:
            assert explode(root, quantity, lines) == []
            continue
        one = summarized(explode(root, D(1), lines))
        rows = explode(root, quantity, lines)
        assert exact(summarized(rows)) == {item: F(quantity) * F(total) for item, total in one.items()}
        assert exact(summarized(rows)) == reference_leaf_totals(root, F(quantity), kids, {})
        # Blowing phantoms through never changes what has to be bought.
        plain = [BomLine(ln.parent, ln.component, ln.qty_per, ln.scrap_pct, False, ln.line_id) for ln in lines]
        assert summarized(explode(root, quantity, plain)) == summarized(rows)
        # Every row: quantity = its parent row's quantity (root quantity at the top) * qty_per * (1 + scrap).
        # (Duplicate lines give equal paths: a row's ancestors are the latest rows seen on its path prefixes.)
        by_path = {}
        for row in rows:
            by_path[row.path] = row
            at = row.path.index(row.parent)
            base = quantity if at == 0 else by_path[row.path[: at + 1]].quantity
            assert F(row.quantity) == F(base) * F(row.qty_per) * (1 + F(row.scrap_pct) / 100)
            # Levels count only real (non-phantom) items between the root and the row; the parent is the last one.
            above = [row.path[: k + 1] for k in range(1, len(row.path) - 1)]
            real = [prefix[-1] for prefix in above if not by_path[prefix].phantom]
            assert row.level == 1 + len(real)
            assert row.parent == (real[-1] if real else root)
            assert row.leaf == (row.component not in kids)
            if row.phantom:
                assert row.component in kids


@fast
@given(dags())
def test_where_used_agrees_with_explosion(dag):
    items, lines = dag
    kids = children_of(lines)
    for component in items:
        rows = where_used(component, lines)
        per_parent = {}
        for row in rows:
            assert row.path[0] == component and row.path[-1] == row.parent and row.level == len(row.path) - 1
            per_parent[row.parent] = per_parent.get(row.parent, F(0)) + F(row.quantity)
        for parent in items:
            if parent == component or parent not in kids:
                continue
            # Every path from the parent down to the component is one explosion row (phantom rows included).
            needed = sum((F(r.quantity) for r in explode(parent, D(1), lines) if r.component == component), F(0))
            assert per_parent.get(parent, F(0)) == needed


def exact_operation_cost(ops, lot, rate):
    return sum(
        (
            (Fraction(op.setup_minutes) / Fraction(lot) + Fraction(op.run_minutes_per_unit))
            / (Fraction(op.efficiency_pct) / 100)
            / 60
            * Fraction(getattr(op, rate))
            for op in ops
        ),
        Fraction(0),
    )


def round_fraction(value: Fraction, places=4) -> Decimal:
    scaled = value * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return D(whole).scaleb(-places)


operations_for = st.tuples(
    st.integers(0, 240).map(D),
    st.integers(0, 1000).map(lambda n: D(n).scaleb(-1)),
    st.integers(0, 15000).map(lambda n: D(n).scaleb(-2)),
    st.integers(0, 9000).map(lambda n: D(n).scaleb(-2)),
    st.sampled_from([D(100), D(95), D(90), D(85), D("87.5"), D(75), D(60), D(120)]),
)


@fast
@given(
    dags(),
    st.data(),
    st.sampled_from([D(1), D(3), D(7), D(25)]),
)
def test_cost_roll_up_adds_up(dag, data, lot):
    items, lines = dag
    kids = children_of(lines)
    routed = data.draw(st.lists(st.sampled_from(items), max_size=4))
    ops = [Operation(item, 10 * k, *data.draw(operations_for)) for k, item in enumerate(routed)]
    purchase = {item: data.draw(quantities) for item in items}
    costs = roll_up_costs(items, lines, ops, purchase, lot)
    assert set(costs) == set(items)
    for item, cost in costs.items():
        assert cost.total == cost.material + cost.labour + cost.machine
        if item in kids:
            material = sum((F(costs[ln.component].total) * extended(ln) for ln in kids[item]), F(0))
        else:
            material = F(purchase[item])
        assert cost.material == round_fraction(material)
        mine = [op for op in ops if op.item == item]
        assert cost.labour == round_fraction(exact_operation_cost(mine, lot, "labour_rate_per_hour"))
        assert cost.machine == round_fraction(exact_operation_cost(mine, lot, "machine_rate_per_hour"))


# ----------------------------------------------------------------------------------------- purity


def test_engine_imports_no_django():
    code = (
        "import sys; import factoryos.planning.engine.bom; assert not any(m.startswith('django') for m in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
