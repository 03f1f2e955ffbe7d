"""Finite-capacity scheduling: the job shop, flexible or not, near the optimum.

Pure Python over plain data (no Django), with OR-Tools CP-SAT for the optimization. A :class:`Problem` in (jobs of
operations in a fixed order, each operation with the machines that can run it and how long it takes on each), a
:class:`Schedule` out (each operation's start and machine). The web app will feed the same core from work orders
and work centers; ``python -m factoryos.planning.engine.jobshop FILE`` runs it on a public benchmark instance (the
standard job-shop format, or Brandimarte's flexible one) and prints the schedule as JSON.

Three ways to schedule, each a valid schedule (:func:`violations` says what a schedule breaks, if anything):

- :func:`greedy`: what a typical ERP does, each job in turn, each operation in the first free slot of its first
  machine that fits (gaps before later work are filled). Instant, and 50-70 % above the optimum on the classical
  instances: the baseline, not a plan.
- :func:`dispatch`: an active schedule by Giffler and Thompson's algorithm with a priority rule (:data:`RULES`).
  At each step the operation that can finish first fixes a machine and a time; among the operations that could
  start on that machine before then (the conflict set), the rule chooses. For a flexible operation each machine it
  can use is a candidate. :func:`best_dispatch` tries every rule and keeps the shortest: instant, 15-25 % above the
  optimum, and always available (the fallback, and the optimizer's start).
- :func:`solve`: CP-SAT on the textbook model (an interval per operation, an optional one per machine it may use,
  one of them present; no overlap per machine; each job's operations in order; minimize the makespan), warm-started
  from the best dispatch schedule, for part of the time limit (a small shop is proved optimal there); then
  large-neighbourhood search for the rest: a time window or a few jobs of the best schedule freed, everything else
  kept in its machine's sequence, the neighbourhood re-solved by CP-SAT for a second. It returns the best schedule
  found and the whole model's lower bound: ``status`` is ``optimal`` when they meet.

Times are whole units (minutes in the factory, the instance's units on a benchmark). Machines are numbered from 0
inside; :attr:`Problem.labels` keeps the numbers an instance file gave them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

Progress = Callable[[int, int], None]  # (best makespan so far, lower bound)


@dataclass(frozen=True, slots=True)
class Option:
    """One way to run an operation: on ``machine`` (an index into the problem's machines) for ``duration``."""

    machine: int
    duration: int


@dataclass(frozen=True, slots=True)
class Operation:
    options: tuple[Option, ...]

    @property
    def shortest(self) -> int:
        return min(option.duration for option in self.options)


@dataclass(frozen=True, slots=True)
class Problem:
    """``jobs[j][k]``: the k-th operation of job j, which starts once the (k-1)-th has ended."""

    jobs: tuple[tuple[Operation, ...], ...]
    machines: int
    labels: tuple[int, ...] = ()  # each machine's number in the instance file (its index when empty)

    def __post_init__(self) -> None:
        for j, job in enumerate(self.jobs):
            for k, operation in enumerate(job):
                if not operation.options:
                    raise ValueError(f"operation {k} of job {j} has no machine to run on")
                for option in operation.options:
                    if not 0 <= option.machine < self.machines:
                        raise ValueError(f"operation {k} of job {j} names machine {option.machine}: there is none")
                    if option.duration < 0:
                        raise ValueError(f"operation {k} of job {j} has a negative duration")

    def label(self, machine: int) -> int:
        return self.labels[machine] if self.labels else machine

    @property
    def operations(self) -> int:
        return sum(len(job) for job in self.jobs)


@dataclass(slots=True)
class Schedule:
    """``starts[j][k]`` and ``machines[j][k]``: when and where the k-th operation of job j runs."""

    starts: list[list[int]]
    machines: list[list[int]]
    makespan: int
    method: str = ""
    lower_bound: int = 0
    status: str = "feasible"  # or "optimal" (the makespan is the lower bound)
    seconds: float = 0.0
    rule: str = ""  # the dispatch rule it came from, if one
    extra: dict[str, object] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------ checks and bounds
def _duration(problem: Problem, j: int, k: int, machine: int) -> int:
    for option in problem.jobs[j][k].options:
        if option.machine == machine:
            return option.duration
    raise ValueError(f"operation {k} of job {j} cannot run on machine {machine}")


def violations(problem: Problem, schedule: Schedule) -> list[str]:
    """What ``schedule`` breaks (empty when it is valid): an operation on a machine it cannot use, before its
    predecessor ends or before time 0, two operations overlapping on a machine, or a makespan that is not the last
    end."""
    found: list[str] = []
    busy: dict[int, list[tuple[int, int, str]]] = {}
    last = 0
    for j, job in enumerate(problem.jobs):
        ready = 0
        for k in range(len(job)):
            start, machine = schedule.starts[j][k], schedule.machines[j][k]
            try:
                end = start + _duration(problem, j, k, machine)
            except ValueError as error:
                found.append(str(error))
                continue
            if start < ready:
                found.append(f"operation {k} of job {j} starts at {start}, before its predecessor ends at {ready}")
            busy.setdefault(machine, []).append((start, end, f"operation {k} of job {j}"))
            ready = end
            last = max(last, end)
    for machine, spans in busy.items():
        spans.sort()
        for (_, end, first), (start, _, second) in zip(spans, spans[1:], strict=False):
            if start < end:
                found.append(f"{first} and {second} overlap on machine {problem.label(machine)}")
    if schedule.makespan != last:
        found.append(f"the makespan is {schedule.makespan}, the last operation ends at {last}")
    return found


def trivial_bound(problem: Problem) -> int:
    """No schedule is shorter than its longest job, nor than the work of a machine every one of whose operations
    has to run on it (the shortest option counted for a job)."""
    longest_job = max((sum(op.shortest for op in job) for job in problem.jobs), default=0)
    load = [0] * problem.machines
    for job in problem.jobs:
        for op in job:
            if len(op.options) == 1:
                load[op.options[0].machine] += op.options[0].duration
    return max(longest_job, max(load, default=0))


def _makespan(starts: list[list[int]], machines: list[list[int]], problem: Problem) -> int:
    return max(
        (starts[j][k] + _duration(problem, j, k, machines[j][k]) for j, job in enumerate(problem.jobs)
         for k in range(len(job))),
        default=0,
    )  # fmt: skip


# ------------------------------------------------------------------------------------------------ greedy (ERP style)
def greedy(problem: Problem) -> Schedule:
    """Each job in turn (in the problem's order), each of its operations in the earliest gap after its predecessor
    where it fits, on the machine where it ends first: how an ERP's forward planning loads a shop."""
    started = time.perf_counter()
    busy: list[list[tuple[int, int]]] = [[] for _ in range(problem.machines)]  # sorted (start, end)
    starts = [[0] * len(job) for job in problem.jobs]
    machines = [[0] * len(job) for job in problem.jobs]
    for j, job in enumerate(problem.jobs):
        ready = 0
        for k, op in enumerate(job):
            best: tuple[int, int, int] | None = None  # (end, start, machine)
            for option in op.options:
                start = _first_gap(busy[option.machine], ready, option.duration)
                if best is None or (start + option.duration, start, option.machine) < best:
                    best = (start + option.duration, start, option.machine)
            assert best is not None
            end, start, machine = best
            spans = busy[machine]
            spans.append((start, end))
            spans.sort()
            starts[j][k], machines[j][k], ready = start, machine, end
    makespan = _makespan(starts, machines, problem)
    return Schedule(starts, machines, makespan, method="greedy", lower_bound=trivial_bound(problem),
                    seconds=time.perf_counter() - started)  # fmt: skip


def _first_gap(spans: list[tuple[int, int]], ready: int, duration: int) -> int:
    at = ready
    for start, end in spans:
        if start >= at + duration:
            break
        at = max(at, end)
    return at


# ------------------------------------------------------------------------------------------------ dispatch rules
# A rule ranks the operations of the conflict set: the lowest key goes first (ties: the lower job number).
# ``d`` the duration on the machine at stake, ``work`` the job's remaining work with this operation (shortest options),
# ``left`` its remaining operations with this one, ``ready`` when the job became ready, ``total`` the job's work.
RuleKey = Callable[[int, int, int, int, int], float]
RULES: dict[str, RuleKey] = {
    "SPT": lambda d, work, left, ready, total: d,
    "LPT": lambda d, work, left, ready, total: -d,
    "MWKR": lambda d, work, left, ready, total: -work,
    "LWKR": lambda d, work, left, ready, total: work,
    "MOPNR": lambda d, work, left, ready, total: -left,
    "FIFO": lambda d, work, left, ready, total: ready,
    "MWKR/SPT": lambda d, work, left, ready, total: -work / d if d else -work,
    "SPT*TWK": lambda d, work, left, ready, total: d * total,
    "MWKR-SPT": lambda d, work, left, ready, total: d - work,
    "LRPT/OPN": lambda d, work, left, ready, total: -work / left,
}


def dispatch(problem: Problem, rule: str = "MWKR") -> Schedule:
    """An active schedule by the Giffler-Thompson algorithm with ``rule`` choosing within each conflict set."""
    started = time.perf_counter()
    key = RULES[rule]
    jobs = problem.jobs
    remaining = [sum(op.shortest for op in job) for job in jobs]
    totals = list(remaining)
    next_op = [0] * len(jobs)
    job_ready = [0] * len(jobs)
    machine_free = [0] * problem.machines
    starts = [[0] * len(job) for job in jobs]
    machines = [[0] * len(job) for job in jobs]
    open_jobs = [j for j, job in enumerate(jobs) if job]
    while open_jobs:
        # the earliest completion of any ready operation on any of its machines fixes the machine and the time
        best_end, best_machine = None, 0
        for j in open_jobs:
            ready = job_ready[j]
            for option in jobs[j][next_op[j]].options:
                end = max(ready, machine_free[option.machine]) + option.duration
                if best_end is None or end < best_end or (end == best_end and option.machine < best_machine):
                    best_end, best_machine = end, option.machine
        assert best_end is not None
        free = machine_free[best_machine]
        chosen: tuple[float, int, int, int] | None = None  # (key, job, start, duration)
        for j in open_jobs:
            for option in jobs[j][next_op[j]].options:
                if option.machine != best_machine:
                    continue
                start = max(job_ready[j], free)
                if start < best_end or start + option.duration == best_end:  # a zero-length one ends where it starts
                    d = option.duration
                    rank = key(d, remaining[j], len(jobs[j]) - next_op[j], job_ready[j], totals[j])
                    if chosen is None or (rank, j) < (chosen[0], chosen[1]):
                        chosen = (rank, j, start, d)
        assert chosen is not None
        _, j, start, d = chosen
        k = next_op[j]
        starts[j][k], machines[j][k] = start, best_machine
        machine_free[best_machine] = job_ready[j] = start + d
        remaining[j] -= jobs[j][k].shortest
        next_op[j] += 1
        if next_op[j] == len(jobs[j]):
            open_jobs.remove(j)
    makespan = _makespan(starts, machines, problem)
    return Schedule(starts, machines, makespan, method="dispatch", rule=rule, lower_bound=trivial_bound(problem),
                    seconds=time.perf_counter() - started)  # fmt: skip


def best_dispatch(problem: Problem, rules: Iterable[str] = RULES) -> Schedule:
    """The shortest of the dispatch schedules, one per rule (ties: the first rule)."""
    started = time.perf_counter()
    best: Schedule | None = None
    for rule in rules:
        schedule = dispatch(problem, rule)
        if best is None or schedule.makespan < best.makespan:
            best = schedule
    assert best is not None
    best.seconds = time.perf_counter() - started
    return best


# ------------------------------------------------------------------------------------------------ CP-SAT
def solve(
    problem: Problem,
    *,
    time_limit: float = 30.0,
    workers: int = 2,
    start: Schedule | None = None,
    progress: Progress | None = None,
    seed: int = 0,
    hint: bool = True,
    lns: bool = True,
) -> Schedule:
    """The shortest schedule found within ``time_limit`` seconds, from ``start`` (by default the best dispatch
    schedule, which is also what comes back should nothing better be found in time). CP-SAT first solves the whole
    model, warm-started from ``start``, for a share of the time (:data:`FIRST_SHARE`): on a small shop it proves the
    optimum there; otherwise large-neighbourhood search (:func:`_improve`) improves the best schedule so far, and
    the whole model has the last share (:data:`LAST_SHARE`) from it, to prove it optimal or better it.
    ``progress`` hears each improvement: (makespan, lower bound). ``hint=False`` is plain CP-SAT (the whole model,
    no start, the textbook horizon, all the time), to compare with; ``lns=False`` the whole model with the start,
    all the time."""
    started = time.perf_counter()
    start = start or best_dispatch(problem)
    deadline = started + time_limit
    if not hint:
        horizon = sum(max(o.duration for o in op.options) for job in problem.jobs for op in job)
        found, bound, _ = _cp_sat(problem, horizon, None, None, deadline - time.perf_counter(), workers, seed, progress)
    else:
        first = time_limit * (FIRST_SHARE if lns else 1.0)
        found, bound, _ = _cp_sat(problem, start.makespan, start, None, first, workers, seed, progress)
        found = found if found is not None and found.makespan <= start.makespan else start
        if lns and found.makespan > bound:
            found = _improve(problem, found, bound, deadline - time_limit * LAST_SHARE, workers, seed, progress)
            last, last_bound, _ = _cp_sat(problem, found.makespan, found, None, deadline - time.perf_counter(), workers,
                                       seed, progress)  # fmt: skip
            bound = max(bound, last_bound)
            found = last if last is not None and last.makespan <= found.makespan else found
    if found is None:
        start.extra["solver"] = "no schedule in time"
        return start
    bound = max(bound, trivial_bound(problem))
    found.method, found.lower_bound = "cp-sat", bound
    found.status = "optimal" if found.makespan <= bound else "feasible"
    found.seconds = time.perf_counter() - started
    found.extra.update({"start_makespan": start.makespan, "start_rule": start.rule})
    return found


FIRST_SHARE = 0.15  # of the time limit: the whole model first (a small shop is proved optimal there)
LAST_SHARE = 0.35  # the whole model again last, from the neighbourhoods' best (to prove it, or better it)


def _cp_sat(
    problem: Problem,
    horizon: int,
    hint: Schedule | None,
    free: set[tuple[int, int]] | None,
    seconds: float,
    workers: int,
    seed: int,
    progress: Progress | None,
) -> tuple[Schedule | None, int, bool]:
    """CP-SAT on the model (below) within ``seconds``: its best schedule (None when it found none), its lower bound
    and whether it proved that schedule optimal. With ``free``, only those operations (job, index) move: every
    other keeps the machine and the place in its machine's sequence that ``hint`` gives it (a neighbourhood of
    ``hint``; the bound is then the neighbourhood's, not the problem's)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    begin: list[list[cp_model.IntVar]] = []
    ends: list[list[cp_model.IntVar]] = []
    # where each operation runs: its one machine, or the presence literal of each machine it may use
    where: list[list[int | dict[int, cp_model.IntVar]]] = []
    per_machine: dict[int, list[cp_model.IntervalVar]] = {}
    makespan = model.new_int_var(0, horizon, "makespan")
    for j, job in enumerate(problem.jobs):
        begin.append([])
        ends.append([])
        where.append([])
        for k, op in enumerate(job):
            s = model.new_int_var(0, horizon, f"s{j}_{k}")
            e = model.new_int_var(0, horizon, f"e{j}_{k}")
            options = op.options
            if free is not None and hint is not None and (j, k) not in free:  # kept: on its machine in ``hint``
                options = tuple(o for o in options if o.machine == hint.machines[j][k])
            if len(options) == 1:
                interval = model.new_interval_var(s, options[0].duration, e, f"i{j}_{k}")
                per_machine.setdefault(options[0].machine, []).append(interval)
                where[j].append(options[0].machine)
            else:
                chosen: dict[int, cp_model.IntVar] = {}
                for option in options:
                    literal = model.new_bool_var(f"p{j}_{k}_{option.machine}")
                    interval = model.new_optional_interval_var(
                        s, option.duration, e, literal, f"i{j}_{k}_{option.machine}"
                    )
                    per_machine.setdefault(option.machine, []).append(interval)
                    chosen[option.machine] = literal
                model.add_exactly_one(chosen.values())
                where[j].append(chosen)
            if k:
                model.add(s >= ends[j][k - 1])
            begin[j].append(s)
            ends[j].append(e)
        if job:
            model.add(makespan >= ends[j][-1])
    for intervals in per_machine.values():
        model.add_no_overlap(intervals)
    if free is not None and hint is not None:  # the kept operations keep their order on their machines
        sequences: dict[int, list[tuple[int, int, int]]] = {}
        for j, job in enumerate(problem.jobs):
            for k in range(len(job)):
                if (j, k) not in free:
                    sequences.setdefault(hint.machines[j][k], []).append((hint.starts[j][k], j, k))
        for sequence in sequences.values():
            sequence.sort()
            for (_, j1, k1), (_, j2, k2) in zip(sequence, sequence[1:], strict=False):
                model.add(begin[j2][k2] >= ends[j1][k1])
    model.add(makespan >= trivial_bound(problem))  # a cut the solver would find, given at once
    model.minimize(makespan)
    if hint is not None:
        for j, job in enumerate(problem.jobs):
            for k in range(len(job)):
                model.add_hint(begin[j][k], hint.starts[j][k])
                if isinstance(chosen_of := where[j][k], dict):
                    for machine, literal in chosen_of.items():
                        model.add_hint(literal, machine == hint.machines[j][k])
        model.add_hint(makespan, hint.makespan)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed

    class _Heard(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            if progress is not None and free is None:
                progress(int(self.objective_value), int(self.best_objective_bound))

    status = solver.solve(model, _Heard())
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, 0, False
    starts = [[int(solver.value(s)) for s in row] for row in begin]
    machines = [
        [
            at if isinstance(at, int) else next(m for m, literal in at.items() if solver.boolean_value(literal))
            for at in row
        ]
        for row in where
    ]
    schedule = Schedule(starts, machines, _makespan(starts, machines, problem))
    return schedule, int(solver.best_objective_bound), status == cp_model.OPTIMAL


def _improve(
    problem: Problem,
    incumbent: Schedule,
    bound: int,
    deadline: float,
    workers: int,
    seed: int,
    progress: Progress | None,
) -> Schedule:
    """Large-neighbourhood search until ``deadline``: free the operations of a random time window of the incumbent,
    or of a few random jobs, keep every other where it is in its machine's sequence, and let CP-SAT re-solve that
    neighbourhood for a moment (the incumbent as its hint). A schedule no longer is kept (an equal one too: the
    search moves on plateaus). The neighbourhood grows when CP-SAT proves it holds nothing better and shrinks when
    it runs out of time."""
    rng = random.Random(seed)
    size = 0.3  # the share of the operations freed
    operations = [(j, k) for j, job in enumerate(problem.jobs) for k in range(len(job))]
    while (left := deadline - time.perf_counter()) > 0.05 and incumbent.makespan > bound:
        wanted = max(2, int(size * len(operations)))
        if rng.random() < 0.5:  # a time window holding about ``wanted`` operations
            by_start = sorted(operations, key=lambda op: incumbent.starts[op[0]][op[1]])
            first = rng.randrange(0, max(1, len(by_start) - wanted + 1))
            free = set(by_start[first : first + wanted])
        else:  # whole jobs
            jobs = list(range(len(problem.jobs)))
            rng.shuffle(jobs)
            free, taken = set(), 0
            for j in jobs:
                if taken >= wanted:
                    break
                free.update((j, k) for k in range(len(problem.jobs[j])))
                taken += len(problem.jobs[j])
        found, _, proved = _cp_sat(problem, incumbent.makespan, incumbent, free, min(SUB_SECONDS, left), workers,
                                   rng.randrange(1 << 20), None)  # fmt: skip
        if found is None:
            size = max(0.05, size * 0.9)
            continue
        if found.makespan < incumbent.makespan and progress is not None:
            progress(found.makespan, bound)
        if found.makespan <= incumbent.makespan:
            incumbent = found
        size = min(0.8, size * 1.15) if proved else max(0.05, size * 0.9)
    return incumbent


SUB_SECONDS = 1.0  # a neighbourhood's time


# ------------------------------------------------------------------------------------------------ instance files
def _numbers(text: str) -> list[int]:
    return [int(token) for token in text.split()]


def read_jsp(text: str) -> Problem:
    """The standard job-shop format: ``n m``, then per job m pairs ``machine duration`` in the job's order
    (machines from 0)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    n, m = _numbers(lines[0])[:2]
    jobs = []
    for line in lines[1 : n + 1]:
        values = _numbers(line)
        pairs = zip(values[0::2], values[1::2], strict=True)
        jobs.append(tuple(Operation((Option(machine, duration),)) for machine, duration in pairs))
    if len(jobs) != n:
        raise ValueError(f"the header says {n} jobs, the file has {len(jobs)}")
    return Problem(tuple(jobs), m)


def read_fjsp(text: str) -> Problem:
    """Brandimarte's flexible format: ``n m [average]``, then per job its number of operations and, for each, the
    number of machines that can run it followed by that many pairs ``machine duration``. Machines are numbered from
    1 in the published files (from 0 in some copies: a file that names machine 0 is read so); the machines are the
    ones the file uses, whatever its header says."""
    lines = [line for line in text.splitlines() if line.strip()]
    n = int(lines[0].split()[0])
    raw: list[list[list[tuple[int, int]]]] = []
    for line in lines[1 : n + 1]:
        values, at = _numbers(line), 1
        operations = []
        for _ in range(values[0]):
            count = values[at]
            pairs = [(values[at + 1 + 2 * i], values[at + 2 + 2 * i]) for i in range(count)]
            operations.append(pairs)
            at += 1 + 2 * count
        raw.append(operations)
    used = sorted({machine for job in raw for op in job for machine, _ in op})
    index = {label: i for i, label in enumerate(used)}
    jobs = tuple(
        tuple(Operation(tuple(Option(index[machine], duration) for machine, duration in op)) for op in job)
        for job in raw
    )
    return Problem(jobs, len(used), labels=tuple(used))


def schedule_to_json(problem: Problem, schedule: Schedule) -> dict[str, object]:
    return {
        "makespan": schedule.makespan,
        "starts": schedule.starts,
        "machines": [[problem.label(machine) for machine in row] for row in schedule.machines],
        "lower_bound": schedule.lower_bound,
        "status": schedule.status,
        "method": schedule.method + (f" ({schedule.rule})" if schedule.rule and schedule.method == "dispatch" else ""),
        "seconds": round(schedule.seconds, 3),
    }


def read(path: str, fmt: str | None = None) -> Problem:
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if fmt is None:  # the flexible files' first job line starts with an operation count, then a machine count
        fmt = "fjsp" if _looks_flexible(text) else "jsp"
    return read_fjsp(text) if fmt == "fjsp" else read_jsp(text)


def _looks_flexible(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    header = lines[0].split()
    if len(header) > 2:  # n m average
        return True
    m = int(header[1])
    return len(_numbers(lines[1])) != 2 * m


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m factoryos.planning.engine.jobshop", description=__doc__.split("\n")[0]
    )
    parser.add_argument("file")
    parser.add_argument("--format", choices=("jsp", "fjsp"), help="the file's format (guessed when left out)")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds for the optimizer (default 30)")
    parser.add_argument("--greedy", action="store_true", help="the ERP-style schedule: each job in turn, first fit")
    parser.add_argument("--dispatch", action="store_true", help="the best dispatch-rule schedule, no optimizer")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    problem = read(args.file, args.format)
    if args.greedy:
        schedule = greedy(problem)
    elif args.dispatch:
        schedule = best_dispatch(problem)
    else:
        schedule = solve(problem, time_limit=args.time_limit, workers=args.workers)
    json.dump(schedule_to_json(problem, schedule), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
