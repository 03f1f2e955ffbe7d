"""Material requirements planning: regenerative, time-phased, multi-level, with lot sizing and pegging.

Pure Python (no Django): a :class:`Scenario` in, a :class:`Result` out. The web app feeds the same engine from the
database (dates become working-day periods before the engine sees them); ``python -m factoryos.planning.engine.mrp
SCENARIO.json`` runs it on a scenario file and prints the result as JSON (the contract: ../shared/bench/mrp/README.md).

Periods and quantities
----------------------
Periods are integers (1 = the first period of the horizon; a period below 1 is in the past). Quantities are exact
numbers: ints, or Decimals when a unit is divisible (kilograms of steel); floats are refused. A lead time is in
periods.

Semantics (standard regenerative MRP)
-------------------------------------
Items are planned parents first (``bom.parents_first``: an item's requirements are known once every parent is
planned). For each item, period by period::

    gross(t)     = independent demand(t) + sum over parents of (parent's planned release(t) x qty per)
    available(t) = projected on hand(t-1) + scheduled receipts(t) - gross(t)      projected on hand(0) = on_hand
    if available(t) < safety stock: a planned order is due in t for the net requirement (safety stock -
        available(t)) sized by the item's lot rule, released in t - lead time
    projected on hand(t) = available(t) + planned receipt(t)

Only periods where something happens are visited (a demand, a receipt, a parent's release; period 1 too when the
stock starts below its safety stock): between them nothing changes, so the plan is the same as a walk through
every bucket, at a cost that does not grow with the horizon.

Lot rules (:class:`LotRule`): ``lot_for_lot`` (the net requirement); ``fixed`` (``qty``: the smallest multiple of
``qty`` that covers it); ``min_multiple`` (at least ``min``, then rounded up to a multiple of ``multiple``); ``poq``
(period order quantity, ``periods``: one order covers the net requirements of its period and of the next
``periods - 1``: the largest shortfall below safety stock over that window, the receipts inside it counted).

Pegging
-------
``plan(scenario)`` pegs; ``plan(scenario, pegging=False)`` gives the same orders without (the plan sums each
period's requirements; pegging is a second pass over the items that costs several times the plan on a large
catalog). Each planned order says which independent demands it serves (:class:`Peg`: a demand's ``ref`` and a
quantity of this item), through its parents' planned orders. Supply is used first in, first out: the stock on hand
first, then scheduled receipts and planned orders in the order they arrive; each requirement (a demand, or a
parent's planned release) takes the oldest supply left. A parent's release carries that parent order's pegging down,
multiplied by the quantity per: a component's requirement serves the same demands its parent's order serves. What is
left at the end of the horizon holds the safety stock (its last units, ref ``safety_stock``); anything beyond is
lot-sizing surplus, and a component's requirement for a parent's surplus or safety stock is pegged to ``surplus`` or
``safety_stock``. So the pegs of an item's planned orders, plus what its stock and scheduled receipts covered, add
up to its gross requirements, and every demand is traced down the whole BOM.

Within a period, requirements are taken in a fixed order: independent demands first (in the scenario's order), then
parents' releases in the order the parents were planned (:attr:`Result.order`). A scenario of part of a catalog (a
net change) passes the planned orders of parents outside it as :class:`StandingOrder` and the whole plan's order as
``Scenario.rank``: its components' requirements then come in the order the whole plan took them, so its pegging is
the whole plan's.

Exceptions (:class:`Exception`)
-------------------------------
- ``past_due``: a planned order's release falls before period 1 (it should have started already); ``period`` is
  the release as computed, ``ref`` the first demand it serves.
- ``below_safety_stock``: the stock on hand is below the item's safety stock now (period 1, before anything
  arrives); the plan restores it with an order due in period 1.
- For each scheduled receipt (an open purchase or work order, ``ref`` = its reference), compared with what the
  plan needs: ``cancel`` when the projected stock would never fall below safety stock without it; ``defer`` when it
  is first needed in a later period (``period`` = that period); ``expedite`` when the plan has an order due earlier
  than the receipt arrives that the receipt could have covered (``period`` = that order's due period).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from factoryos.planning.engine.bom import exact_decimal, parents_first

__all__ = [
    "BomLink",
    "Demand",
    "Exception",
    "Item",
    "LotRule",
    "Peg",
    "PlannedOrder",
    "Receipt",
    "Result",
    "Scenario",
    "StandingOrder",
    "plan",
    "result_to_json",
    "scenario_from_json",
]

Number = int | Decimal
LOT_RULES = ("lot_for_lot", "fixed", "min_multiple", "poq")
SAFETY_STOCK = "safety_stock"
SURPLUS = "surplus"


def _exact(value: object, name: str) -> Number:
    """An exact number as the engine computes with it: an int as it is (fast); a Decimal or a string checked as the
    BOM engine checks them (``bom.exact_decimal``: floats refused), and a whole one made an int."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = exact_decimal(value, name)
    return int(number) if number == number.to_integral_value() else number


def _non_negative(value: object, name: str) -> Number:
    number = _exact(value, name)
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {number}")
    return number


def _positive(value: object, name: str) -> Number:
    number = _exact(value, name)
    if number <= 0:
        raise ValueError(f"{name} must be more than 0, got {number}")
    return number


def _ceil_div(a: Number, b: Number) -> int:
    """The smallest integer n with n * b >= a (a >= 0, b > 0), exactly."""
    n = int(a // b)
    return n + 1 if n * b < a else n


# --------------------------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class LotRule:
    rule: Literal["lot_for_lot", "fixed", "min_multiple", "poq"] = "lot_for_lot"
    qty: Number = 0  # fixed
    min: Number = 0  # min_multiple
    multiple: Number = 0  # min_multiple (0: no rounding)
    periods: int = 1  # poq

    def __post_init__(self) -> None:
        if self.rule not in LOT_RULES:
            raise ValueError(f"lot rule {self.rule!r} is not one of {', '.join(LOT_RULES)}")
        if self.rule == "fixed":
            object.__setattr__(self, "qty", _positive(self.qty, "lot qty"))
        if self.rule == "min_multiple":
            object.__setattr__(self, "min", _non_negative(self.min, "lot min"))
            object.__setattr__(self, "multiple", _non_negative(self.multiple, "lot multiple"))
        if self.rule == "poq" and (not isinstance(self.periods, int) or self.periods < 1):
            raise ValueError(f"poq periods must be a whole number of periods, at least 1, got {self.periods!r}")

    def size(self, net: Number) -> Number:
        """The order quantity covering ``net`` (> 0) by this rule (``poq`` sizes its window before calling)."""
        if self.rule == "fixed":
            return _ceil_div(net, self.qty) * self.qty
        if self.rule == "min_multiple":
            quantity = max(net, self.min)
            return _ceil_div(quantity, self.multiple) * self.multiple if self.multiple else quantity
        return net


@dataclass(frozen=True, slots=True)
class Item:
    sku: str
    lead_time: int = 0
    on_hand: Number = 0
    safety_stock: Number = 0
    source: Literal["make", "buy"] = "buy"
    lot: LotRule = field(default_factory=LotRule)

    def __post_init__(self) -> None:
        if not isinstance(self.lead_time, int) or self.lead_time < 0:
            raise ValueError(f"{self.sku}: lead_time must be a whole number of periods, got {self.lead_time!r}")
        object.__setattr__(self, "on_hand", _exact(self.on_hand, f"{self.sku}: on_hand"))  # may be negative
        object.__setattr__(self, "safety_stock", _non_negative(self.safety_stock, f"{self.sku}: safety_stock"))
        if self.source not in ("make", "buy"):
            raise ValueError(f"{self.sku}: source must be make or buy, got {self.source!r}")


@dataclass(frozen=True, slots=True)
class BomLink:
    """One unit of ``parent`` uses ``qty`` of ``component``."""

    parent: str
    component: str
    qty: Number

    def __post_init__(self) -> None:
        object.__setattr__(self, "qty", _positive(self.qty, f"{self.parent} -> {self.component}: qty"))


@dataclass(frozen=True, slots=True)
class _Dated:
    """A quantity of ``sku`` in ``period``, named by ``ref`` (an order's number)."""

    sku: str
    period: int
    qty: Number
    ref: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "qty", _non_negative(self.qty, f"{type(self).__name__.lower()} {self.ref}: qty"))


@dataclass(frozen=True, slots=True)
class Demand(_Dated):
    """Independent demand: a sales order line (or a forecast) needed in ``period``."""


@dataclass(frozen=True, slots=True)
class Receipt(_Dated):
    """A scheduled receipt: an open purchase or work order arriving in ``period``."""


@dataclass(frozen=True, slots=True)
class StandingOrder:
    """A planned order of ``sku``, an item outside the scenario (a parent a net change leaves as it is): its release
    (a period) and its pegs, ``(ref, qty)`` pairs adding up to its quantity, come down to its components in the
    scenario through the scenario's BOM links from ``sku``, as a planned parent's order would."""

    sku: str
    release: int
    pegging: Sequence[tuple[str, Number]]


@dataclass(frozen=True, slots=True)
class Scenario:
    horizon: int
    items: Sequence[Item]
    bom: Sequence[BomLink] = ()  # a link's parent is an item, or the sku of standing orders
    demand: Sequence[Demand] = ()
    receipts: Sequence[Receipt] = ()
    standing: Sequence[StandingOrder] = ()
    rank: Mapping[str, int] | None = None  # sku -> place in the whole plan's order (parents' requirements by it)


@dataclass(frozen=True, slots=True)
class Peg:
    ref: str
    qty: Number


@dataclass(slots=True)
class PlannedOrder:
    sku: str
    due: int
    release: int
    qty: Number
    source: str
    pegging: list[Peg] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Exception:  # noqa: A001 - the contract's name for an MRP exception message
    sku: str
    kind: Literal["past_due", "below_safety_stock", "cancel", "defer", "expedite"]
    period: int
    ref: str = ""


@dataclass(slots=True)
class Result:
    planned_orders: list[PlannedOrder]
    exceptions: list[Exception]
    order: list[str] = field(default_factory=list)  # the items as they were planned, parents first


# ------------------------------------------------------------------------------------- the engine


class _Chunk:
    """Supply waiting to be used: stock on hand, a scheduled receipt, or a planned order (``pegs``: the refs it
    serves, which only a planned order records)."""

    __slots__ = ("left", "pegs")

    def __init__(self, qty: Number, *, planned: bool) -> None:
        self.left = qty
        self.pegs: dict[str, Number] | None = {} if planned else None


Segments = list[tuple[str, Number]]  # a requirement: the quantities it holds for each demand, in order


def _take(queue: list[_Chunk], start: int, segments: Segments) -> int:
    """Cover a requirement from the oldest supply in ``queue[start:]``, its segments in order (a segment split where
    a chunk runs out: exact, no division); a planned order's chunk records the refs it serves. The plan sized the
    supply to cover every requirement. Returns the new start."""
    for ref, need in segments:
        while need > 0 and start < len(queue):
            chunk = queue[start]
            used = chunk.left if chunk.left <= need else need
            if chunk.pegs is not None:
                chunk.pegs[ref] = chunk.pegs.get(ref, 0) + used
            chunk.left -= used
            need -= used
            if chunk.left <= 0:
                start += 1
    return start


def plan(scenario: Scenario, *, pegging: bool = True) -> Result:
    """Plan every item of ``scenario`` (see the module's docstring). The quantities come first, item by item with
    each period's requirements summed; ``pegging`` then allocates the supply to the demands (first in, first out)
    in a second pass over the same items (off, the orders have no pegs and a past-due exception no ref)."""
    items = {item.sku: item for item in scenario.items}
    if len(items) != len(scenario.items):
        raise ValueError("an item appears twice")
    index = {sku: n for n, sku in enumerate(items)}
    names = {n: sku for sku, n in index.items()}
    standing_parents = {order.sku for order in scenario.standing} - items.keys()
    components: dict[str, list[BomLink]] = defaultdict(list)
    for link in scenario.bom:
        for sku in (link.parent, link.component):
            if sku not in items and (sku == link.component or sku not in standing_parents):
                raise ValueError(f"the BOM names an unknown item {sku!r}")
        components[link.parent].append(link)
    rank = scenario.rank
    standing = sorted(scenario.standing, key=lambda o: (rank.get(o.sku, len(rank)), o.release)) if rank else []
    if scenario.standing and not rank:
        raise ValueError("standing orders need the whole plan's order (rank)")
    gross: dict[str, dict[int, Number]] = defaultdict(dict)  # sku -> period -> quantity required
    for demand in scenario.demand:
        if demand.sku not in items:
            raise ValueError(f"demand {demand.ref!r} names an unknown item {demand.sku!r}")
        if demand.qty:
            needs = gross[demand.sku]
            needs[demand.period] = needs.get(demand.period, 0) + demand.qty
    for standing_order in standing:  # after the demands, parents in the whole plan's order (as it summed them)
        if standing_order.sku in items:
            raise ValueError(f"{standing_order.sku!r} is planned here: its orders cannot also stand")
        qty = sum((q for _, q in standing_order.pegging), 0)
        for link in components.get(standing_order.sku, ()):
            needs = gross[link.component]
            needs[standing_order.release] = needs.get(standing_order.release, 0) + qty * link.qty
    receipts: dict[str, list[Receipt]] = defaultdict(list)
    for receipt in scenario.receipts:
        if receipt.sku not in items:
            raise ValueError(f"receipt {receipt.ref!r} names an unknown item {receipt.sku!r}")
        receipts[receipt.sku].append(receipt)

    edges = ((index[link.parent], index[link.component]) for link in scenario.bom if link.parent in index)
    order = [names[n] for n in parents_first(range(len(items)), edges, names=names)]
    orders_of: dict[str, list[PlannedOrder]] = {}
    exceptions: list[Exception] = []
    for sku in order:
        orders = orders_of[sku] = _plan_item(items[sku], gross.pop(sku, {}), receipts.get(sku, ()), exceptions)
        for link in components.get(sku, ()):  # the component's requirements: each release times the qty per
            needs, per = gross[link.component], link.qty
            for planned_order in orders:
                needs[planned_order.release] = needs.get(planned_order.release, 0) + planned_order.qty * per
    if pegging:
        _peg(scenario, items, order, components, orders_of, receipts, standing)
    planned = [o for sku in order for o in orders_of[sku]]
    for o in planned:
        if o.release < 1:
            exceptions.append(Exception(o.sku, "past_due", o.release, o.pegging[0].ref if o.pegging else ""))
    planned.sort(key=lambda o: (o.sku, o.due, o.release))
    exceptions.sort(key=lambda e: (e.sku, e.period, e.kind, e.ref))
    return Result(planned, exceptions, order)


def _plan_item(
    item: Item, gross_at: Mapping[int, Number], scheduled: Sequence[Receipt], exceptions: list[Exception]
) -> list[PlannedOrder]:
    """The item's planned orders (quantities, due and release periods), from its requirements per period."""
    safety, lot, lead = item.safety_stock, item.lot, item.lead_time
    receipts_at: dict[int, Number] = {}
    for receipt in scheduled:
        receipts_at[receipt.period] = receipts_at.get(receipt.period, 0) + receipt.qty
    periods = sorted({*gross_at, *receipts_at, *((1,) if item.on_hand < safety else ())})
    if item.on_hand < safety:
        exceptions.append(Exception(item.sku, "below_safety_stock", 1))
    on_hand = item.on_hand  # projected on hand after the last period visited
    orders: list[PlannedOrder] = []
    projected: list[tuple[int, Number]] = []  # (period, projected on hand), for the receipts' messages
    for i, period in enumerate(periods):
        available = on_hand + receipts_at.get(period, 0) - gross_at.get(period, 0)
        if available < safety:
            net = safety - available
            if lot.rule == "poq":
                net = _poq_need(net, available, safety, periods[i + 1 :], period + lot.periods, gross_at, receipts_at)
            quantity = lot.size(net)
            orders.append(PlannedOrder(item.sku, period, period - lead, quantity, item.source))
            available += quantity
        on_hand = available
        if scheduled:
            projected.append((period, on_hand))
    if scheduled:
        _receipt_messages(item, scheduled, projected, orders, exceptions)
    return orders


def _peg(
    scenario: Scenario,
    items: Mapping[str, Item],
    order: Sequence[str],
    components: Mapping[str, Sequence[BomLink]],
    orders_of: Mapping[str, list[PlannedOrder]],
    receipts: Mapping[str, Sequence[Receipt]],
    standing: Sequence[StandingOrder],
) -> None:
    """Allocate each item's supply to its requirements first in, first out, parents first (a component's
    requirement carries its parent order's pegs), and write every planned order's pegs. A period's requirements
    are taken demands first, then by the parent's rank (the module's docstring)."""
    requirements: dict[str, list[tuple[int, int, Segments]]] = defaultdict(list)
    for demand in scenario.demand:
        if demand.qty:
            requirements[demand.sku].append((demand.period, -1, [(demand.ref, demand.qty)]))
    rank = scenario.rank or {sku: n for n, sku in enumerate(order)}
    last = len(rank)  # an item the whole plan did not have goes after its items
    for standing_order in standing:
        place = rank.get(standing_order.sku, last)
        for link in components.get(standing_order.sku, ()):
            per = link.qty
            requirements[link.component].append(
                (standing_order.release, place, [(ref, qty * per) for ref, qty in standing_order.pegging])
            )
    by_rank = bool(standing)  # without standing orders they are appended in rank order already
    for sku in order:
        _peg_item(items[sku], requirements.pop(sku, []), receipts.get(sku, ()), orders_of[sku], by_rank)
        place = rank.get(sku, last)
        for link in components.get(sku, ()):
            needs, per = requirements[link.component], link.qty
            for planned_order in orders_of[sku]:
                needs.append(
                    (planned_order.release, place, [(peg.ref, peg.qty * per) for peg in planned_order.pegging])
                )


def _peg_item(
    item: Item,
    requirements: list[tuple[int, int, Segments]],
    scheduled: Sequence[Receipt],
    orders: list[PlannedOrder],
    by_rank: bool,
) -> None:
    if by_rank:
        requirements.sort(key=lambda requirement: requirement[1])  # stable: a parent's own orders keep their order
    by_period: dict[int, list[Segments]] = defaultdict(list)
    for period, _, segments in requirements:
        by_period[period].append(segments)
    arriving: dict[int, list[_Chunk]] = defaultdict(list)
    for receipt in scheduled:  # at a period: its receipts, then the planned order due then (made for its shortfall)
        if receipt.qty:
            arriving[receipt.period].append(_Chunk(receipt.qty, planned=False))
    chunks = [_Chunk(o.qty, planned=True) for o in orders]
    for planned_order, chunk in zip(orders, chunks, strict=True):
        arriving[planned_order.due].append(chunk)
    queue: list[_Chunk] = [_Chunk(item.on_hand, planned=False)] if item.on_hand > 0 else []
    start = 0
    for period in sorted({*by_period, *arriving}):
        queue.extend(arriving.get(period, ()))
        for segments in by_period.get(period, ()):
            start = _take(queue, start, segments)
    _finish_pegging(queue, start, item.safety_stock, orders, chunks)


def _poq_need(
    net: Number,
    available: Number,
    safety: Number,
    later: Sequence[int],
    window_end: int,
    gross_at: Mapping[int, Number],
    receipts_at: Mapping[int, Number],
) -> Number:
    """The order that keeps the projected stock at or above safety stock from this period up to (not including)
    ``window_end``: the largest shortfall over the window, receipts inside it counted."""
    need, running = net, available
    for period in later:
        if period >= window_end:
            break
        running += receipts_at.get(period, 0) - gross_at.get(period, 0)
        if safety - running > need:
            need = safety - running
    return need


def _finish_pegging(
    queue: list[_Chunk], start: int, safety: Number, orders: list[PlannedOrder], chunks: Sequence[_Chunk]
) -> None:
    """What is left at the end holds the safety stock (its last units) and the surplus; write each order's pegs."""
    keep = safety
    for chunk in reversed(queue[start:]):
        if chunk.left <= 0:
            continue
        held = chunk.left if chunk.left <= keep else keep
        keep -= held
        if chunk.pegs is not None:
            if held:
                chunk.pegs[SAFETY_STOCK] = chunk.pegs.get(SAFETY_STOCK, 0) + held
            if chunk.left - held:
                chunk.pegs[SURPLUS] = chunk.pegs.get(SURPLUS, 0) + chunk.left - held
    for planned_order, chunk in zip(orders, chunks, strict=True):
        assert chunk.pegs is not None
        # In the order the order was used: the demands first in, first out, then safety stock, then surplus.
        planned_order.pegging = [Peg(ref, qty) for ref, qty in chunk.pegs.items() if qty]


def _receipt_messages(
    item: Item,
    scheduled: Sequence[Receipt],
    projected: Sequence[tuple[int, Number]],
    orders: Sequence[PlannedOrder],
    exceptions: list[Exception],
) -> None:
    """cancel / defer / expedite for each scheduled receipt, against the plan's projected stock (module docstring)."""
    for receipt in scheduled:
        if not receipt.qty:
            continue
        after = [(period, stock) for period, stock in projected if period >= receipt.period]
        needed_at = next((period for period, stock in after if stock - receipt.qty < item.safety_stock), None)
        earlier = next((o for o in orders if o.due < receipt.period), None)
        if earlier is not None:
            exceptions.append(Exception(item.sku, "expedite", earlier.due, receipt.ref))
        elif needed_at is None:
            exceptions.append(Exception(item.sku, "cancel", receipt.period, receipt.ref))
        elif needed_at > receipt.period:
            exceptions.append(Exception(item.sku, "defer", needed_at, receipt.ref))


# ------------------------------------------------------------------------------------------ JSON


def scenario_from_json(data: Mapping[str, Any]) -> Scenario:
    """A scenario from its JSON form (../shared/bench/mrp/README.md); numbers may be ints or decimal strings."""

    def lot(spec: Mapping[str, Any] | None) -> LotRule:
        spec = dict(spec or {"rule": "lot_for_lot"})
        return LotRule(**spec)

    return Scenario(
        horizon=int(data["horizon"]),
        items=[
            Item(
                sku=str(entry["sku"]),
                lead_time=int(entry.get("lead_time", 0)),
                on_hand=entry.get("on_hand", 0),
                safety_stock=entry.get("safety_stock", 0),
                source=entry.get("source", "buy"),
                lot=lot(entry.get("lot")),
            )
            for entry in data["items"]
        ],
        bom=[BomLink(str(e["parent"]), str(e["component"]), e["qty"]) for e in data.get("bom", ())],
        demand=[Demand(str(e["sku"]), int(e["period"]), e["qty"], str(e["ref"])) for e in data.get("demand", ())],
        receipts=[
            Receipt(str(e["sku"]), int(e["period"]), e["qty"], str(e.get("ref", ""))) for e in data.get("receipts", ())
        ],
    )


def _number(value: Number) -> int | str:
    return value if isinstance(value, int) else str(value.normalize())


def result_to_json(result: Result) -> dict[str, Any]:
    """The result's JSON form: quantities as ints, or as decimal strings when they have a fraction."""
    return {
        "planned_orders": [
            {
                "sku": o.sku, "due": o.due, "release": o.release, "qty": _number(o.qty), "source": o.source,
                "pegging": [{"ref": p.ref, "qty": _number(p.qty)} for p in o.pegging],
            }
            for o in result.planned_orders
        ],
        "exceptions": [{"sku": e.sku, "kind": e.kind, "period": e.period, "ref": e.ref} for e in result.exceptions],
    }  # fmt: skip


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m factoryos.planning.engine.mrp SCENARIO.json", file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as fh:
        scenario = scenario_from_json(json.load(fh, parse_float=Decimal))
    json.dump(result_to_json(plan(scenario)), sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
