"""Bill-of-materials engine: low-level codes, cycle checks, explosion, where-used and cost roll-up.

Pure Python (no Django): plain dataclasses in, plain dataclasses and dicts out. Item ids are ints; every
quantity and amount is a ``Decimal`` (ints and strings are accepted on input and converted; floats are
refused because they are not exact).

Quantities
----------
A :class:`BomLine` says "one unit of ``parent`` uses ``qty_per`` of ``component``", of which ``scrap_pct`` %
is expected to be lost, so the *extended* quantity per parent is ``qty_per * (1 + scrap_pct / 100)``.
Explosion, where-used and summaries multiply and add only, and do so in an unbounded-precision decimal
context: their results are exact (no rounding at all).

Explosion and phantoms (:func:`explode`)
----------------------------------------
Rows come in depth-first order; the lines of one parent are visited sorted by ``(line_id, component)``,
lines without a ``line_id`` after those with one. For an ordinary row:

* ``level`` = 1 for the root's direct components, parent's level + 1 below that;
* ``parent`` = the item whose BOM the line belongs to, ``qty_per``/``scrap_pct`` = the line's;
* ``quantity`` = the parent row's quantity (the root quantity for level 1) * qty_per * (1 + scrap_pct/100);
* ``path`` = item ids from the root down to the component, both included.

A line flagged ``phantom`` whose component has a BOM of its own is *blown through*:

* the phantom row itself is listed (``phantom=True``, ``leaf=False``) with the quantity of the phantom that
  would be used, at the level and under the parent where the phantom line sits;
* directly after it come the phantom's own lines, as if the phantom's parent used them directly: same
  ``level`` as the phantom row, ``parent`` = the phantom's parent (the nearest non-phantom ancestor),
  ``qty_per`` = the phantom's extended qty per that parent * the line's qty_per, ``scrap_pct`` = the line's
  own scrap, ``path`` still includes the phantom id (``path[-2]`` is the item whose BOM holds the line);
* phantoms inside phantoms are blown through the same way, and a component under a phantom that has a BOM
  of its own is exploded normally one level deeper.

So for every row, ``quantity == (quantity of its parent row, or the root quantity) * qty_per * (1 +
scrap_pct/100)`` holds, phantom or not. A line flagged phantom whose component has no BOM is an ordinary
leaf row (``phantom=False``): there is nothing to blow through. ``leaf`` is True when the component has no
BOM lines. :func:`summarized` never counts phantom rows. Exact quantities keep the exponent the arithmetic
gives them (``Decimal("38.500")``, which equals ``Decimal("38.5")``); quantize them for display.

``max_depth`` bounds the number of BOM lines on a path (phantom lines included); a deeper path raises
:class:`BomDepthError`. A loop met on the way raises :class:`BomCycleError`.

Where-used (:func:`where_used`)
-------------------------------
One row per path upwards, depth first, the users of an item visited by ascending id. ``path`` runs from the
searched item up to ``parent`` (so, like in an explosion, it starts with the item asked about), ``level`` is
``len(path) - 1`` (1 = direct parent), ``child`` is ``path[-2]``, ``extended_qty_per`` is what one
``parent`` uses of ``child`` (several lines between the same two items are summed into one edge) and
``quantity`` is how much of the searched item one ``parent`` needs along that path, scrap included. The sum
of ``quantity`` over the rows of one parent equals what ``explode(parent, 1)`` needs of the item.
``phantom`` is True when ``parent`` uses ``child`` through a phantom line; phantoms are not blown through
here (they are parents like any other), so quantities are the same as in the explosion.

Low-level codes, cycles
-----------------------
:func:`low_level_codes` returns its dict in a topological order (every parent before its components); it
and the roll-up ignore the phantom flag: a phantom has a code and a cost like any
item (rolling its cost up gives the same numbers as blowing it through, except that the phantom's own cost
is rounded like every item's). A loop raises :class:`BomCycleError` whose ``cycle`` is closed and starts at
its smallest id ([12, 40, 77, 12], "BOM cycle: 12 -> 40 -> 77 -> 12"); :func:`would_create_cycle` returns
the loop a new line would close starting with the new line: [parent, component, ..., parent].

Costs and rounding (:func:`roll_up_costs`)
------------------------------------------
Items are costed bottom-up (components before parents). Within one item nothing is rounded: material is an
exact sum of products, labour and machine are exact fractions (the only divisions, by lot size, efficiency
and 60, are done once per item on integers). Then material, labour and machine are each rounded ONCE to
``places`` decimals (default 4) with ROUND_HALF_UP, and ``total = material + labour + machine`` exactly.
A parent's material uses its components' *rounded* totals (the unit cost the catalog stores and shows), so
``material == round(sum(component.total * qty_per * (1 + scrap_pct/100)))`` can be checked by hand.

Per operation and unit: minutes = (setup_minutes / lot_size + run_minutes_per_unit) / (efficiency_pct / 100),
labour = minutes / 60 * labour_rate_per_hour, machine = minutes / 60 * machine_rate_per_hour. ``machines``
does not enter the cost (it shortens elapsed time, not machine-hours; it is for scheduling). Material is
the purchase cost for an item without a BOM (zero if it has a routing but no purchase cost; an item with
neither BOM, routing nor purchase cost raises :class:`MissingCostError` unless ``strict=False``, then 0) and
the sum over its BOM for any item with one (its purchase cost is then ignored).
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

__all__ = [
    "BomCycleError",
    "BomDepthError",
    "BomLine",
    "CostBreakdown",
    "ExplodedLine",
    "MissingCostError",
    "Operation",
    "WhereUsedRow",
    "exact_decimal",
    "explode",
    "format_cycle",
    "low_level_codes",
    "parents_first",
    "roll_up_costs",
    "summarized",
    "where_used",
    "would_create_cycle",
]

ZERO = Decimal(0)
ONE = Decimal(1)
_HUNDRED = Decimal(100)
_SIXTY = Decimal(60)

# Multiplication and addition only: with unbounded precision they are exact. (Never divide in this context:
# an inexact division would try to produce MAX_PREC digits.)
_EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    rounding=ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def exact_decimal(value: object, name: str) -> Decimal:
    """Convert an exact number (Decimal, int or str) to a finite Decimal; refuse floats."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int) and not isinstance(value, bool):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value)
        except decimal.InvalidOperation:
            raise ValueError(f"{name}: not a number: {value!r}") from None
    else:
        raise TypeError(f"{name} must be a Decimal, int or str, not {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{name} must be finite, got {result}")
    return result


def _non_negative(value: object, name: str) -> Decimal:
    result = exact_decimal(value, name)
    if result < 0:
        raise ValueError(f"{name} must not be negative, got {result}")
    return result


def _scrap_factor(scrap_pct: Decimal) -> Decimal:
    """1 + scrap_pct/100, exactly (scaleb shifts the exponent, it never rounds at these sizes)."""
    return _EXACT.add(ONE, scrap_pct.scaleb(-2, _EXACT)) if scrap_pct else ONE


# --------------------------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class BomLine:
    """One BOM line: one unit of ``parent`` uses ``qty_per`` of ``component`` (+ ``scrap_pct`` % lost)."""

    parent: int
    component: int
    qty_per: Decimal
    scrap_pct: Decimal = ZERO
    phantom: bool = False
    line_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "qty_per", _non_negative(self.qty_per, "qty_per"))
        object.__setattr__(self, "scrap_pct", _non_negative(self.scrap_pct, "scrap_pct"))

    @property
    def extended_qty_per(self) -> Decimal:
        """qty_per * (1 + scrap_pct / 100), exact."""
        return _EXACT.multiply(self.qty_per, _scrap_factor(self.scrap_pct))


@dataclass(frozen=True, slots=True)
class Operation:
    """A routing operation of ``item``: setup per lot, run time per unit, machine and labour rates per hour."""

    item: int
    seq: int
    setup_minutes: Decimal
    run_minutes_per_unit: Decimal
    machine_rate_per_hour: Decimal
    labour_rate_per_hour: Decimal
    efficiency_pct: Decimal = _HUNDRED
    machines: int = 1

    def __post_init__(self) -> None:
        for name in ("setup_minutes", "run_minutes_per_unit", "machine_rate_per_hour", "labour_rate_per_hour"):
            object.__setattr__(self, name, _non_negative(getattr(self, name), name))
        efficiency = exact_decimal(self.efficiency_pct, "efficiency_pct")
        if efficiency <= 0:
            raise ValueError(f"efficiency_pct must be positive, got {efficiency}")
        object.__setattr__(self, "efficiency_pct", efficiency)
        if self.machines < 1:
            raise ValueError(f"machines must be at least 1, got {self.machines}")


@dataclass(frozen=True, slots=True)
class ExplodedLine:
    """One row of an indented explosion (see the module docstring for the phantom rules)."""

    level: int
    parent: int
    component: int
    qty_per: Decimal
    scrap_pct: Decimal
    quantity: Decimal
    path: tuple[int, ...]
    phantom: bool = False
    leaf: bool = True
    line_id: int | None = None


@dataclass(frozen=True, slots=True)
class WhereUsedRow:
    """One row of an indented where-used: ``parent`` uses ``quantity`` of the searched item per unit."""

    level: int
    parent: int
    child: int
    extended_qty_per: Decimal
    quantity: Decimal
    path: tuple[int, ...]
    phantom: bool = False


@dataclass(frozen=True, slots=True)
class CostBreakdown:
    """Unit cost of an item, rounded: total == material + labour + machine."""

    material: Decimal
    labour: Decimal
    machine: Decimal
    total: Decimal


# ------------------------------------------------------------------------------------------- errors


def format_cycle(cycle: Sequence[int], names: Mapping[int, str] | None = None) -> str:
    """Render a closed loop of item ids as "12 -> 40 -> 77 -> 12", using ``names`` where given."""
    if names is None:
        return " -> ".join(str(item) for item in cycle)
    return " -> ".join(str(names.get(item, item)) for item in cycle)


def _canonical_loop(loop: Sequence[int]) -> list[int]:
    """Rotate a closed loop [a, b, ..., a] so it starts (and ends) at its smallest id."""
    members = list(loop[:-1])
    start = members.index(min(members))
    rotated = members[start:] + members[:start]
    return [*rotated, rotated[0]]


class BomCycleError(ValueError):
    """The BOM contains a loop; ``cycle`` is closed ([12, 40, 77, 12]) and starts at its smallest id."""

    def __init__(self, cycle: Sequence[int], names: Mapping[int, str] | None = None) -> None:
        self.cycle = list(cycle)
        self.names = dict(names) if names else None
        super().__init__(f"BOM cycle: {format_cycle(self.cycle, self.names)}")

    def __reduce__(self) -> tuple[type[BomCycleError], tuple[list[int], dict[int, str] | None]]:
        return (type(self), (self.cycle, self.names))  # picklable despite the custom __init__


class BomDepthError(ValueError):
    """A path is deeper than ``max_depth`` BOM levels; ``path`` holds the item ids down to the offender."""

    def __init__(self, path: Sequence[int], max_depth: int) -> None:
        self.path = list(path)
        self.max_depth = max_depth
        super().__init__(f"BOM deeper than {max_depth} levels: {format_cycle(self.path)}")

    def __reduce__(self) -> tuple[type[BomDepthError], tuple[list[int], int]]:
        return (type(self), (self.path, self.max_depth))


class MissingCostError(ValueError):
    """Items without a BOM, a routing or a purchase cost, so no cost can be rolled up for them."""

    def __init__(self, items: Sequence[int]) -> None:
        self.items = list(items)
        shown = ", ".join(str(item) for item in self.items[:20])
        more = f" (and {len(self.items) - 20} more)" if len(self.items) > 20 else ""
        super().__init__(f"no BOM, routing or purchase cost for item(s) {shown}{more}")

    def __reduce__(self) -> tuple[type[MissingCostError], tuple[list[int]]]:
        return (type(self), (self.items,))


# ------------------------------------------------------------------------------- graph internals


def _line_sort_key(line: BomLine) -> tuple[bool, int, int]:
    return (line.line_id is None, line.line_id or 0, line.component)


def _lines_by_parent(lines: Iterable[BomLine]) -> dict[int, list[BomLine]]:
    by_parent: dict[int, list[BomLine]] = {}
    for line in lines:
        bucket = by_parent.get(line.parent)
        if bucket is None:
            by_parent[line.parent] = [line]
        else:
            bucket.append(line)
    for bucket in by_parent.values():
        if len(bucket) > 1:
            bucket.sort(key=_line_sort_key)
    return by_parent


def _topological(
    items: Iterable[int], edges: Iterable[tuple[int, int]], names: Mapping[int, str] | None
) -> tuple[list[int], dict[int, list[int]]]:
    """Kahn's algorithm over (parent, component) edges: (parents-before-components order of every item, parent ->
    component ids)."""
    indegree: dict[int, int] = dict.fromkeys(items, 0)
    children: dict[int, list[int]] = {}
    for parent, component in edges:
        bucket = children.get(parent)
        if bucket is None:
            children[parent] = [component]
        else:
            bucket.append(component)
        indegree[component] = indegree.get(component, 0) + 1
        if parent not in indegree:
            indegree[parent] = 0
    order = [item for item, count in indegree.items() if count == 0]
    for item in order:  # the list grows while we walk it: that is the queue
        for component in children.get(item, ()):
            count = indegree[component] - 1
            indegree[component] = count
            if count == 0:
                order.append(component)
    if len(order) != len(indegree):
        raise BomCycleError(_find_loop(indegree, children), names)
    return order, children


def _find_loop(indegree: Mapping[int, int], children: Mapping[int, list[int]]) -> list[int]:
    """Items Kahn could not release all sit on or under a loop; walk up their parents until one repeats."""
    stuck = {item for item, count in indegree.items() if count > 0}
    parents: dict[int, list[int]] = {}
    for parent, components in children.items():
        if parent in stuck:
            for component in components:
                if component in stuck:
                    parents.setdefault(component, []).append(parent)
    # Every stuck item still has a stuck parent (the one whose line was never released), so this ends.
    seen: dict[int, int] = {}
    walk: list[int] = []
    item = min(stuck)
    while item not in seen:
        seen[item] = len(walk)
        walk.append(item)
        item = min(parents[item])
    upward = walk[seen[item] :]  # component, its parent, its grandparent, ... (all on the loop)
    downward = upward[::-1]
    return _canonical_loop([*downward, downward[0]])


# ------------------------------------------------------------------------------------ public API


def low_level_codes(
    items: Iterable[int], lines: Iterable[BomLine], *, names: Mapping[int, str] | None = None
) -> dict[int, int]:
    """Low-level code of every item in ``items`` or ``lines``: the deepest level it is used at (0 = top)."""
    order, children = _topological(items, ((line.parent, line.component) for line in lines), names)
    codes = dict.fromkeys(order, 0)
    for item in order:  # parents come first, so their code is final when we push it down
        below = codes[item] + 1
        for component in children.get(item, ()):
            if codes[component] < below:
                codes[component] = below
    return codes


def parents_first(
    items: Iterable[int], edges: Iterable[tuple[int, int]], *, names: Mapping[int, str] | None = None
) -> list[int]:
    """Every item of ``items`` or of the (parent, component) ``edges``, each parent before all its components (the
    order MRP plans in: an item's requirements are known once all its parents are planned). A loop raises
    :class:`BomCycleError`."""
    return _topological(items, edges, names)[0]


def would_create_cycle(lines: Iterable[BomLine], parent: int, component: int) -> list[int] | None:
    """The loop a new line ``parent -> component`` would close ([parent, component, ..., parent]), or None."""
    if parent == component:
        return [parent, parent]
    children: dict[int, list[int]] = {}
    for line in lines:
        bucket = children.get(line.parent)
        if bucket is None:
            children[line.parent] = [line.component]
        else:
            bucket.append(line.component)
    # Breadth-first from the new component: the loop exists iff the parent is already below it.
    came_from: dict[int, int | None] = {component: None}
    queue = [component]
    for item in queue:
        for below in children.get(item, ()):
            if below in came_from:
                continue
            came_from[below] = item
            if below == parent:
                chain = [parent]
                step: int | None = item
                while step is not None:
                    chain.append(step)
                    step = came_from[step]
                return [parent, *reversed(chain)]  # shortest such loop
            queue.append(below)
    return None


def explode(root: int, quantity: Decimal, lines: Iterable[BomLine], *, max_depth: int = 64) -> list[ExplodedLine]:
    """Indented multi-level explosion of ``quantity`` of ``root``, depth first, phantoms blown through."""
    quantity = exact_decimal(quantity, "quantity")
    by_parent = _lines_by_parent(lines)
    rows: list[ExplodedLine] = []
    top = by_parent.get(root)
    if not top:
        return rows
    mul = _EXACT.multiply
    on_path = {root}
    # Frame: (lines left to visit, effective parent, phantom multiplier, level, parent quantity, path).
    stack: list[tuple[Iterator[BomLine], int, Decimal, int, Decimal, tuple[int, ...]]] = [
        (iter(top), root, ONE, 1, quantity, (root,))
    ]
    while stack:
        remaining, parent, multiplier, level, parent_qty, path = stack[-1]
        line = next(remaining, None)
        if line is None:
            stack.pop()
            if stack:
                on_path.discard(path[-1])
            continue
        component = line.component
        if component in on_path:
            raise BomCycleError(_canonical_loop([*path[path.index(component) :], component]))
        if len(path) > max_depth:
            raise BomDepthError([*path, component], max_depth)
        qty_per = line.qty_per if multiplier is ONE else mul(multiplier, line.qty_per)
        extended = mul(qty_per, _scrap_factor(line.scrap_pct)) if line.scrap_pct else qty_per
        row_qty = mul(parent_qty, extended)
        below = by_parent.get(component)
        blow_through = line.phantom and bool(below)
        row_path = (*path, component)
        rows.append(
            ExplodedLine(
                level=level,
                parent=parent,
                component=component,
                qty_per=qty_per,
                scrap_pct=line.scrap_pct,
                quantity=row_qty,
                path=row_path,
                phantom=blow_through,
                leaf=not below,
                line_id=line.line_id,
            )
        )
        if below:
            on_path.add(component)
            if blow_through:
                stack.append((iter(below), parent, extended, level, parent_qty, row_path))
            else:
                stack.append((iter(below), component, ONE, level + 1, row_qty, row_path))
    return rows


def summarized(explosion: Iterable[ExplodedLine], *, leaves_only: bool = True) -> dict[int, Decimal]:
    """Total quantity per item over an explosion: leaf (bought/raw) rows only, or every non-phantom row."""
    totals: dict[int, Decimal] = {}
    add = _EXACT.add
    for row in explosion:
        if row.phantom or (leaves_only and not row.leaf):
            continue
        previous = totals.get(row.component)
        totals[row.component] = row.quantity if previous is None else add(previous, row.quantity)
    return totals


def where_used(component: int, lines: Iterable[BomLine], *, max_depth: int = 64) -> list[WhereUsedRow]:
    """Every parent using ``component`` at any depth, depth first, parents sorted by id; one row per path."""
    users: dict[int, list[BomLine]] = {}
    for line in lines:
        bucket = users.get(line.component)
        if bucket is None:
            users[line.component] = [line]
        else:
            bucket.append(line)
    mul, add = _EXACT.multiply, _EXACT.add
    # Only the items actually reached are aggregated: item -> sorted [(parent, extended qty, any phantom)],
    # duplicate lines between the same parent and child summed into one edge.
    edges: dict[int, list[tuple[int, Decimal, bool]]] = {}

    def parents_of(item: int) -> list[tuple[int, Decimal, bool]]:
        known = edges.get(item)
        if known is not None:
            return known
        merged: dict[int, tuple[Decimal, bool]] = {}
        for line in users.get(item, ()):
            extended = mul(line.qty_per, _scrap_factor(line.scrap_pct)) if line.scrap_pct else line.qty_per
            previous = merged.get(line.parent)
            if previous is not None:
                extended = add(previous[0], extended)
                merged[line.parent] = (extended, previous[1] or line.phantom)
            else:
                merged[line.parent] = (extended, line.phantom)
        known = edges[item] = [(parent, extended, phantom) for parent, (extended, phantom) in sorted(merged.items())]
        return known

    rows: list[WhereUsedRow] = []
    on_path = {component}
    stack: list[tuple[Iterator[tuple[int, Decimal, bool]], int, Decimal, tuple[int, ...]]] = [
        (iter(parents_of(component)), 1, ONE, (component,))
    ]
    while stack:
        remaining, level, per_child, path = stack[-1]
        step = next(remaining, None)
        if step is None:
            stack.pop()
            if stack:
                on_path.discard(path[-1])
            continue
        parent, extended, phantom = step
        if parent in on_path:
            upward = [*path[path.index(parent) :], parent]
            raise BomCycleError(_canonical_loop(upward[::-1]))
        if len(path) > max_depth:
            raise BomDepthError([*path, parent], max_depth)
        quantity = mul(per_child, extended)
        row_path = (*path, parent)
        rows.append(WhereUsedRow(level, parent, path[-1], extended, quantity, row_path, phantom))
        if parent in users:
            on_path.add(parent)
            stack.append((iter(parents_of(parent)), level + 1, quantity, row_path))
    return rows


def _round_half_up(numerator: Decimal, denominator: Decimal, places: int) -> Decimal:
    """numerator / denominator (both >= 0, exact) rounded half up to ``places`` decimals, with integers only."""
    a, b = numerator.as_integer_ratio()
    c, d = denominator.as_integer_ratio()
    top, bottom = a * d, b * c  # the exact quotient is top / bottom
    if places >= 0:
        top *= 10**places
    else:
        bottom *= 10**-places
    whole, rest = divmod(top, bottom)
    if 2 * rest >= bottom:
        whole += 1
    return Decimal(whole).scaleb(-places)


def roll_up_costs(
    items: Iterable[int],
    lines: Iterable[BomLine],
    operations: Iterable[Operation],
    purchase_cost: Mapping[int, Decimal],
    lot_size: Mapping[int, Decimal] | Decimal = ONE,
    *,
    places: int = 4,
    strict: bool = True,
) -> dict[int, CostBreakdown]:
    """Standard unit cost of every item in ``items``/``lines``/``operations``, bottom-up (components first)."""
    lines = lines if isinstance(lines, list | tuple) else list(lines)
    routing: dict[int, list[Operation]] = {}
    for op in operations:
        routing.setdefault(op.item, []).append(op)
    order, _ = _topological([*items, *routing], ((line.parent, line.component) for line in lines), None)

    default_lot = ONE
    lots: Mapping[int, Decimal] = {}
    if isinstance(lot_size, Mapping):
        lots = lot_size
    else:
        default_lot = exact_decimal(lot_size, "lot_size")
    step = ONE.scaleb(-places)
    zero = ZERO.quantize(step)
    result: dict[int, CostBreakdown] = {}
    totals: dict[int, Decimal] = {}
    missing: list[int] = []
    # Exact context for + and *: NEVER divide a Decimal in here (an inexact quotient would need MAX_PREC digits).
    with decimal.localcontext(_EXACT):
        bom: dict[int, list[tuple[int, Decimal]]] = {}
        factors: dict[Decimal, Decimal] = {}
        for line in lines:
            scrap = line.scrap_pct
            if scrap:
                factor = factors.get(scrap)
                if factor is None:
                    factor = factors[scrap] = _scrap_factor(scrap)
                extended = line.qty_per * factor
            else:
                extended = line.qty_per
            bucket = bom.get(line.parent)
            if bucket is None:
                bom[line.parent] = [(line.component, extended)]
            else:
                bucket.append((line.component, extended))

        for item in reversed(order):
            components = bom.get(item)
            ops = routing.get(item)
            if components:
                material = sum([totals[component] * extended for component, extended in components], ZERO)
            else:
                cost = purchase_cost.get(item)
                if cost is None:
                    if not ops:
                        missing.append(item)
                    material = ZERO
                else:
                    material = _non_negative(cost, f"purchase_cost[{item}]")
            material = material.quantize(step, ROUND_HALF_UP)
            if ops:
                lot = exact_decimal(lots.get(item, default_lot), f"lot_size[{item}]") if lots else default_lot
                if lot <= 0:
                    raise ValueError(f"lot_size[{item}] must be positive, got {lot}")
                # Per unit, an operation costs (setup + run * lot) * rate * 100 / (efficiency * lot * 60). Sum
                # the exact numerators per efficiency, bring them over one common denominator, divide once
                # (on integers, in _round_half_up).
                by_efficiency: dict[Decimal, list[Decimal]] = {}
                for op in ops:
                    minutes_per_lot = op.setup_minutes + op.run_minutes_per_unit * lot
                    sums = by_efficiency.get(op.efficiency_pct)
                    if sums is None:
                        sums = by_efficiency[op.efficiency_pct] = [ZERO, ZERO]
                    sums[0] += minutes_per_lot * op.labour_rate_per_hour
                    sums[1] += minutes_per_lot * op.machine_rate_per_hour
                labour_num = machine_num = ZERO
                denominator = ONE
                for efficiency, (labour_sum, machine_sum) in by_efficiency.items():
                    labour_num = labour_num * efficiency + labour_sum * denominator
                    machine_num = machine_num * efficiency + machine_sum * denominator
                    denominator *= efficiency
                denominator *= lot * _SIXTY
                labour = _round_half_up(labour_num * _HUNDRED, denominator, places)
                machine = _round_half_up(machine_num * _HUNDRED, denominator, places)
            else:
                labour = machine = zero
            total = material + labour + machine
            totals[item] = total
            result[item] = CostBreakdown(material, labour, machine, total)
    if missing and strict:
        raise MissingCostError(sorted(missing))
    return result
