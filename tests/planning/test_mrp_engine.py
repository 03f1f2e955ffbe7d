"""The pure MRP engine: the worked table example, lot rules, pegging and exceptions worked by hand, the command line,
and properties on random multi-level scenarios against a bucket-by-bucket oracle written straight from the
contract (../shared/bench/mrp/README.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factoryos.planning.engine.bom import BomCycleError
from factoryos.planning.engine.mrp import (
    SAFETY_STOCK,
    SURPLUS,
    BomLink,
    Demand,
    Item,
    LotRule,
    Receipt,
    Scenario,
    StandingOrder,
    plan,
    result_to_json,
    scenario_from_json,
)

HERE = Path(__file__).resolve().parent / "mrp"
SRC = Path(__file__).resolve().parents[2] / "src"
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def orders_of(result) -> list[tuple]:
    return [(o.sku, o.due, o.release, o.qty) for o in result.planned_orders]


def pegs_of(result, sku: str) -> list[dict[str, int]]:
    return [{p.ref: p.qty for p in o.pegging} for o in result.planned_orders if o.sku == sku]


# -- the worked example ------------------------------------------------------------------------------------------
def test_the_table_example_gives_the_answer_worked_by_hand():
    result = plan(scenario_from_json(json.loads((HERE / "table.json").read_text())))
    expected = json.loads((HERE / "table.expected.json").read_text())
    got = result_to_json(result)
    assert [{k: v for k, v in o.items() if k != "pegging"} for o in got["planned_orders"]] == expected["planned_orders"]
    assert [e for e in got["exceptions"] if e["kind"] == "past_due"] == expected["exceptions"]  # it lists these
    # LEG's fixed lot of 100 covers SO-2 with 40 to spare, so PO-9's 10 are not needed at all.
    assert [(e["sku"], e["kind"], e["ref"]) for e in got["exceptions"]] == [("LEG", "cancel", "PO-9")]
    # Pegging, by hand: TOP's orders serve SO-1 (15) and SO-2 (10); BOARD's 12 on hand go to SO-1's first 12 of 30.
    assert pegs_of(result, "TABLE") == [{"SO-1": 15}, {"SO-2": 10}]
    assert pegs_of(result, "BOARD") == [{"SO-1": 18, "SO-2": 12}, {"SO-2": 8, SAFETY_STOCK: 5, SURPLUS: 7}]
    assert pegs_of(result, "LEG") == [{"SO-1": 20, "SO-2": 40, SURPLUS: 40}]  # 30 on hand + PO-9's 10 went to SO-1


def test_the_command_line_prints_the_result_json():
    done = subprocess.run(
        [sys.executable, "-m", "factoryos.planning.engine.mrp", str(HERE / "table.json")],
        capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC)},
    )  # fmt: skip
    printed = json.loads(done.stdout)
    assert printed == result_to_json(plan(scenario_from_json(json.loads((HERE / "table.json").read_text()))))
    wrong = subprocess.run([sys.executable, "-m", "factoryos.planning.engine.mrp"], capture_output=True, text=True,
                           env={"PYTHONPATH": str(SRC)})  # fmt: skip
    assert wrong.returncode == 2 and "usage" in wrong.stderr


# -- lot rules, worked by hand ------------------------------------------------------------------------------------
def one_item(lot: LotRule, demand: list[tuple[int, int]], *, on_hand=0, safety=0, lead=1, receipts=()) -> Scenario:
    return Scenario(
        horizon=12,
        items=[Item("P", lead_time=lead, on_hand=on_hand, safety_stock=safety, lot=lot)],
        demand=[Demand("P", period, qty, f"D{period}") for period, qty in demand],
        receipts=[Receipt("P", period, qty, f"R{period}") for period, qty in receipts],
    )


@pytest.mark.parametrize(
    "lot, expected",
    [
        (LotRule("lot_for_lot"), [(2, 12), (4, 7), (6, 30)]),
        (LotRule("fixed", qty=25), [(2, 25), (6, 25)]),  # 25 covers 12 + 7; at 6: 6 left, 30 needed -> 25 (24 short)
        (LotRule("min_multiple", min=20, multiple=6), [(2, 24), (6, 30)]),  # max(12, 20) -> 24; at 6: 24 - 30
        (LotRule("poq", periods=3), [(2, 19), (6, 30)]),  # periods 2-4 in one order: 12 + 7
    ],
    ids=["lot_for_lot", "fixed", "min_multiple", "poq"],
)
def test_each_lot_rule_sizes_the_orders(lot, expected):
    result = plan(one_item(lot, [(2, 12), (4, 7), (6, 30)]))
    assert [(o.due, o.qty) for o in result.planned_orders] == expected
    assert all(o.release == o.due - 1 for o in result.planned_orders)


def test_fixed_lots_are_whole_multiples_even_when_one_lot_is_not_enough():
    result = plan(one_item(LotRule("fixed", qty=25), [(6, 30)]))
    assert [(o.due, o.qty) for o in result.planned_orders] == [(6, 50)]


def test_safety_stock_is_kept_and_a_shortfall_today_is_past_due():
    result = plan(one_item(LotRule("lot_for_lot"), [(3, 10)], on_hand=2, safety=5, lead=2))
    # 2 on hand, 5 wanted: 3 due in period 1 (released at -1: past due); at 3, 10 more.
    assert [(o.due, o.release, o.qty) for o in result.planned_orders] == [(1, -1, 3), (3, 1, 10)]
    kinds = {(e.kind, e.period) for e in result.exceptions}
    assert kinds == {("below_safety_stock", 1), ("past_due", -1)}
    # First in, first out: D3 takes the 2 on hand, then the first order's 3, then 5 of the second; its last 5 are
    # the safety stock at the end.
    assert pegs_of(result, "P") == [{"D3": 3}, {"D3": 5, SAFETY_STOCK: 5}]


def test_a_component_of_a_past_due_parent_is_needed_in_the_past_too():
    scenario = Scenario(
        horizon=5,
        items=[Item("A", lead_time=2, source="make"), Item("B", lead_time=1)],
        bom=[BomLink("A", "B", 2)],
        demand=[Demand("A", 1, 4, "SO-7")],
    )
    result = plan(scenario)
    assert orders_of(result) == [("A", 1, -1, 4), ("B", -1, -2, 8)]
    assert [(e.sku, e.kind, e.period, e.ref) for e in result.exceptions] == [
        ("A", "past_due", -1, "SO-7"),
        ("B", "past_due", -2, "SO-7"),
    ]


def test_scheduled_receipts_are_cancelled_deferred_or_expedited():
    cancel = plan(one_item(LotRule("lot_for_lot"), [(3, 5)], on_hand=10, receipts=[(2, 8)]))
    assert [(e.kind, e.period, e.ref) for e in cancel.exceptions] == [("cancel", 2, "R2")]
    defer = plan(one_item(LotRule("lot_for_lot"), [(3, 5), (7, 10)], on_hand=10, receipts=[(2, 8)]))
    assert [(e.kind, e.period, e.ref) for e in defer.exceptions] == [("defer", 7, "R2")]
    expedite = plan(one_item(LotRule("lot_for_lot"), [(3, 5), (7, 10)], receipts=[(6, 15)]))
    assert [(e.kind, e.period, e.ref) for e in expedite.exceptions] == [("expedite", 3, "R6")]
    assert [(o.due, o.qty) for o in expedite.planned_orders] == [(3, 5)]


def test_fractional_quantities_stay_exact():
    scenario = Scenario(
        horizon=4,
        items=[
            Item("FRAME", source="make"),
            Item("STEEL", on_hand=Decimal("1.25"), lot=LotRule("fixed", qty=Decimal("0.5"))),
        ],
        bom=[BomLink("FRAME", "STEEL", Decimal("0.75"))],
        demand=[Demand("FRAME", 3, 3, "SO-1")],
    )
    result = plan(scenario)
    steel = [o for o in result.planned_orders if o.sku == "STEEL"]
    assert [(o.due, o.qty) for o in steel] == [(3, Decimal("1.0"))]  # 2.25 needed, 1.25 on hand, lots of 0.5
    assert result_to_json(result)["planned_orders"][1]["qty"] == "1"


def test_bad_scenarios_are_refused_with_the_reason():
    with pytest.raises(BomCycleError, match="A -> B -> A"):
        plan(Scenario(1, [Item("A"), Item("B")], bom=[BomLink("A", "B", 1), BomLink("B", "A", 1)]))
    with pytest.raises(ValueError, match="unknown item 'X'"):
        plan(Scenario(1, [Item("A")], demand=[Demand("X", 1, 1, "SO-1")]))
    with pytest.raises(ValueError, match="lot rule"):
        LotRule("weekly")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Item("A", on_hand=1.5)  # type: ignore[arg-type]  # floats are not exact


# -- properties against an oracle ---------------------------------------------------------------------------------
def oracle(scenario: Scenario) -> list[tuple]:
    """The contract's semantics walked bucket by bucket, every period from the earliest need to the last."""
    items = {item.sku: item for item in scenario.items}
    parents: dict[str, list[BomLink]] = defaultdict(list)
    for link in scenario.bom:
        parents[link.component].append(link)

    def depth(sku: str) -> int:
        return max((depth(link.parent) + 1 for link in parents[sku]), default=0)

    gross: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for demand in scenario.demand:
        gross[demand.sku][demand.period] += demand.qty
    receipts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for receipt in scenario.receipts:
        receipts[receipt.sku][receipt.period] += receipt.qty
    out = []
    for sku in sorted(items, key=depth):
        item = items[sku]
        needs, arriving = gross[sku], receipts[sku]
        first = min([1, *needs, *arriving])
        last = max([scenario.horizon, *needs, *arriving])
        stock, t = item.on_hand, first
        while t <= last:
            available = stock + arriving.get(t, 0) - needs.get(t, 0)
            if available < item.safety_stock:
                net = item.safety_stock - available
                if item.lot.rule == "poq":  # keep at or above safety stock through the window
                    running = available
                    for k in range(t + 1, t + item.lot.periods):
                        running += arriving.get(k, 0) - needs.get(k, 0)
                        net = max(net, item.safety_stock - running)
                qty = item.lot.size(net)
                out.append((sku, t, t - item.lead_time, qty))
                for link in scenario.bom:
                    if link.parent == sku:
                        gross[link.component][t - item.lead_time] += qty * link.qty
                available += qty
            stock = available
            t += 1
    return sorted(out)


@st.composite
def scenarios(draw) -> Scenario:
    n = draw(st.integers(1, 7))
    skus = [f"I{k}" for k in range(n)]
    links = []
    for child in range(1, n):  # a DAG: a component only under items listed before it
        for parent in draw(st.sets(st.integers(0, child - 1), max_size=2)):
            links.append(BomLink(skus[parent], skus[child], draw(st.integers(1, 3))))
    lots = st.one_of(
        st.just(LotRule("lot_for_lot")),
        st.builds(lambda q: LotRule("fixed", qty=q), st.integers(1, 40)),
        st.builds(lambda m, k: LotRule("min_multiple", min=m, multiple=k), st.integers(0, 30), st.integers(0, 12)),
        st.builds(lambda p: LotRule("poq", periods=p), st.integers(1, 5)),
    )
    items = [
        Item(sku, lead_time=draw(st.integers(0, 3)), on_hand=draw(st.integers(0, 40)),
             safety_stock=draw(st.integers(0, 10)), source="make" if k < n - 1 else "buy", lot=draw(lots))
        for k, sku in enumerate(skus)
    ]  # fmt: skip
    horizon = draw(st.integers(1, 15))
    demand = [
        Demand(draw(st.sampled_from(skus)), draw(st.integers(1, horizon)), draw(st.integers(0, 30)), f"SO-{k}")
        for k in range(draw(st.integers(0, 6)))
    ]
    receipts = [
        Receipt(draw(st.sampled_from(skus)), draw(st.integers(1, horizon)), draw(st.integers(0, 30)), f"PO-{k}")
        for k in range(draw(st.integers(0, 3)))
    ]
    return Scenario(horizon, items, links, demand, receipts)


@PROPS
@given(scenarios())
def test_the_plan_is_the_bucket_by_bucket_plan(scenario):
    """Visiting only the periods where something happens gives exactly the plan of a walk through every bucket."""
    assert sorted(orders_of(plan(scenario))) == oracle(scenario)


@PROPS
@given(scenarios())
def test_stock_never_ends_a_period_below_safety_stock_and_lots_keep_their_rules(scenario):
    result = plan(scenario)
    items = {item.sku: item for item in scenario.items}
    gross: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for demand in scenario.demand:
        gross[demand.sku][demand.period] += demand.qty
    for o in result.planned_orders:
        for link in scenario.bom:
            if link.parent == o.sku:
                gross[link.component][o.release] += o.qty * link.qty
    for sku, item in items.items():
        supply: dict[int, int] = defaultdict(int)
        for receipt in scenario.receipts:
            if receipt.sku == sku:
                supply[receipt.period] += receipt.qty
        for o in result.planned_orders:
            if o.sku == sku:
                supply[o.due] += o.qty
                assert o.release == o.due - item.lead_time
                rule = item.lot
                if rule.rule == "fixed":
                    assert o.qty % rule.qty == 0
                if rule.rule == "min_multiple":
                    assert o.qty >= rule.min and (not rule.multiple or o.qty % rule.multiple == 0)
        stock = item.on_hand
        for t in range(min([1, *gross[sku], *supply]), max([scenario.horizon, *gross[sku], *supply]) + 1):
            stock += supply.get(t, 0) - gross[sku].get(t, 0)
            if t >= 1:  # from now on the plan keeps the safety stock (before, it may be short: past due)
                assert stock >= item.safety_stock, (sku, t, stock)


@PROPS
@given(scenarios())
def test_every_demand_is_pegged_down_the_whole_bom(scenario):
    """Each item's orders peg exactly their quantity; what they peg to a demand, plus what stock and scheduled
    receipts covered, is that item's requirement for the demand (its own, or through its parents' orders).
    (A parent's leftover passes down as ``safety_stock`` or ``surplus``, the names an item's own leftover takes.)"""
    result = plan(scenario)
    items = {item.sku: item for item in scenario.items}
    need: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))  # sku -> ref -> quantity required
    for demand in scenario.demand:
        need[demand.sku][demand.ref] += demand.qty
    for o in result.planned_orders:
        assert sum(p.qty for p in o.pegging) == o.qty
        for link in scenario.bom:
            if link.parent == o.sku:
                for peg in o.pegging:
                    need[link.component][peg.ref] += peg.qty * link.qty
    for sku, item in items.items():
        pegged: dict[str, int] = defaultdict(int)
        for o in result.planned_orders:
            if o.sku == sku:
                for peg in o.pegging:
                    pegged[peg.ref] += peg.qty
        from_stock = item.on_hand + sum(r.qty for r in scenario.receipts if r.sku == sku)
        covered = 0
        for ref, qty in need[sku].items():
            if ref in (SAFETY_STOCK, SURPLUS):  # also what this item's own orders leave over
                continue
            assert pegged.get(ref, 0) <= qty, (sku, ref)
            covered += qty - pegged.get(ref, 0)
        assert covered <= max(from_stock, 0), (sku, covered, from_stock)


@PROPS
@given(scenarios(), st.data())
def test_an_item_planned_alone_with_its_parents_standing_is_planned_as_in_the_whole_plan(scenario, data):
    """A net change's step: one item planned alone, its parents' planned orders standing (their release and pegs)
    and the whole plan's order as the rank, gets the whole plan's orders, pegs in their order, and messages."""
    whole = plan(scenario)
    sku = data.draw(st.sampled_from([item.sku for item in scenario.items]))
    parents = {o.sku for o in whole.planned_orders} & {link.parent for link in scenario.bom if link.component == sku}
    alone = Scenario(
        scenario.horizon,
        [item for item in scenario.items if item.sku == sku],
        [link for link in scenario.bom if link.component == sku and link.parent in parents],
        [d for d in scenario.demand if d.sku == sku],
        [r for r in scenario.receipts if r.sku == sku],
        standing=[
            StandingOrder(o.sku, o.release, [(p.ref, p.qty) for p in o.pegging])
            for o in whole.planned_orders
            if o.sku in parents
        ],
        rank={s: n for n, s in enumerate(whole.order)},
    )
    part = plan(alone)

    def mine(result):
        return [(o.due, o.release, o.qty, [(p.ref, p.qty) for p in o.pegging]) for o in result.planned_orders
                if o.sku == sku], [e for e in result.exceptions if e.sku == sku]  # fmt: skip

    assert mine(part) == mine(whole)


def test_standing_orders_need_the_whole_plans_order_and_a_known_parent():
    tube = Item("TUBE", source="buy")
    standing = [StandingOrder("FRAME", 3, [("SO-1", 2)])]
    link = [BomLink("FRAME", "TUBE", 3)]
    with pytest.raises(ValueError, match="whole plan's order"):
        plan(Scenario(5, [tube], link, standing=standing))
    with pytest.raises(ValueError, match="unknown item 'FRAME'"):
        plan(Scenario(5, [tube], link))
    result = plan(Scenario(5, [tube], link, standing=standing, rank={"FRAME": 0, "TUBE": 1}))
    assert orders_of(result) == [("TUBE", 3, 3, 6)] and pegs_of(result, "TUBE") == [{"SO-1": 6}]
