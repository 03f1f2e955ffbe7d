"""The scheduling engine on answers known by hand and on public instances with proven optima; every schedule any
of its methods makes is checked for validity (machines, order, overlaps) by ``violations``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factoryos.planning.engine import jobshop
from factoryos.planning.engine.jobshop import Operation, Option, Problem, Schedule

HERE = Path(__file__).resolve().parent / "jobshop"  # ft06, ft10 (jsp) and mk01 (fjsp), MIT: LICENSE-* beside them


def shop(*jobs: list[tuple[int, int]], machines: int = 2) -> Problem:
    """Plain job shop: each job a list of (machine, duration)."""
    return Problem(tuple(tuple(Operation((Option(m, d),)) for m, d in job) for job in jobs), machines)


def test_two_jobs_crossing_two_machines_worked_by_hand():
    """J0: 3 on M0 then 2 on M1; J1: 2 on M1 then 4 on M0. M0 carries 7 units of work, so 7 is a bound, and it is
    reached: J0 on M0 at 0, J1 on M1 at 0, J0 on M1 at 3, J1 on M0 at 3."""
    problem = shop([(0, 3), (1, 2)], [(1, 2), (0, 4)])
    assert jobshop.trivial_bound(problem) == 7
    best = jobshop.solve(problem, time_limit=5)
    assert (best.makespan, best.lower_bound, best.status) == (7, 7, "optimal")
    assert best.starts == [[0, 3], [0, 3]] and best.machines == [[0, 1], [1, 0]]
    assert jobshop.violations(problem, best) == []


def test_violations_name_what_a_schedule_breaks():
    problem = shop([(0, 3), (1, 2)], [(1, 2), (0, 4)])
    broken = Schedule(starts=[[0, 2], [0, 2]], machines=[[0, 1], [1, 0]], makespan=6)
    found = jobshop.violations(problem, broken)
    assert "operation 1 of job 0 starts at 2, before its predecessor ends at 3" in found
    assert "operation 0 of job 0 and operation 1 of job 1 overlap on machine 0" in found
    late = Schedule(starts=[[0, 3], [0, 3]], machines=[[0, 1], [1, 0]], makespan=9)
    assert jobshop.violations(problem, late) == ["the makespan is 9, the last operation ends at 7"]
    wrong = Schedule(starts=[[0, 3], [0, 3]], machines=[[1, 1], [1, 0]], makespan=7)
    assert "operation 0 of job 0 cannot run on machine 1" in jobshop.violations(problem, wrong)
    with pytest.raises(ValueError, match="names machine 5"):
        shop([(5, 1)])


def test_ft06_greedy_dispatch_and_the_optimum():
    """ft06 (6 x 6, optimum 55): first-fit loading is far above it, the best dispatch rule closer, CP-SAT proves
    55 in well under its time limit."""
    problem = jobshop.read(str(HERE / "ft06.txt"))
    assert (len(problem.jobs), problem.machines, problem.operations) == (6, 6, 36)
    greedy, dispatched = jobshop.greedy(problem), jobshop.best_dispatch(problem)
    for schedule in (greedy, dispatched):
        assert jobshop.violations(problem, schedule) == []
    assert greedy.makespan > dispatched.makespan >= 55
    best = jobshop.solve(problem, time_limit=20)
    assert (best.makespan, best.status) == (55, "optimal") and jobshop.violations(problem, best) == []


def test_a_flexible_instance_reaches_its_optimum_on_the_machines_the_file_names():
    """Brandimarte's mk01 (10 jobs, 6 machines, optimum 40). Machines come out numbered as the file numbers
    them."""
    problem = jobshop.read(str(HERE / "mk01.txt"))
    best = jobshop.solve(problem, time_limit=20)
    assert (best.makespan, best.status) == (40, "optimal") and jobshop.violations(problem, best) == []
    one_based = jobshop.read_fjsp("2 2\n2 2 1 3 2 5 1 2 2\n1 1 2 4\n")
    assert one_based.labels == (1, 2) and one_based.machines == 2
    schedule = jobshop.solve(one_based, time_limit=5)
    # job 0: 3 on machine 1 (or 5 on 2), then 2 on machine 2; job 1: 4 on machine 2
    assert schedule.makespan == 6 and jobshop.violations(one_based, schedule) == []
    assert jobshop.schedule_to_json(one_based, schedule)["machines"][1] == [2]


def test_the_command_line_prints_the_schedule(capsys):
    assert jobshop.main([str(HERE / "ft06.txt"), "--dispatch"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) >= {"makespan", "starts", "machines", "lower_bound", "status"}
    assert len(printed["starts"]) == 6 and all(len(row) == 6 for row in printed["starts"])
    assert jobshop.main([str(HERE / "ft06.txt"), "--greedy"]) == 0
    assert json.loads(capsys.readouterr().out)["makespan"] > printed["makespan"]


options = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 9)), min_size=1, max_size=3, unique_by=lambda o: o[0])
flexible_jobs = st.lists(st.lists(options, min_size=1, max_size=4), min_size=1, max_size=5)


@settings(max_examples=25, deadline=None)
@given(flexible_jobs)
def test_every_method_makes_a_valid_schedule_no_shorter_than_the_bound(jobs):
    problem = Problem(
        tuple(tuple(Operation(tuple(Option(m, d) for m, d in op)) for op in job) for job in jobs), machines=4
    )
    bound = jobshop.trivial_bound(problem)
    made = [jobshop.greedy(problem), *(jobshop.dispatch(problem, rule) for rule in jobshop.RULES)]
    for schedule in made:
        assert jobshop.violations(problem, schedule) == [], schedule.rule
        assert schedule.makespan >= bound
    best = jobshop.solve(problem, time_limit=2, workers=1)
    assert jobshop.violations(problem, best) == []
    assert bound <= best.lower_bound <= best.makespan <= min(s.makespan for s in made)


def test_neighbourhoods_improve_a_schedule_and_keep_it_valid():
    """ft10 (10 x 10, optimum 930) from its best dispatch schedule: two seconds of large-neighbourhood search alone
    shorten it, and every schedule it keeps is valid; the whole search, in three seconds, ends between the bound
    and the start."""
    problem = jobshop.read(str(HERE / "ft10.txt"))
    start = jobshop.best_dispatch(problem)
    heard: list[tuple[int, int]] = []
    improved = jobshop._improve(
        problem, start, jobshop.trivial_bound(problem), time.perf_counter() + 2, workers=2, seed=1,
        progress=lambda makespan, bound: heard.append((makespan, bound)),
    )  # fmt: skip
    assert jobshop.violations(problem, improved) == []
    assert 930 <= improved.makespan < start.makespan and heard and heard[-1][0] == improved.makespan
    best = jobshop.solve(problem, time_limit=3, start=start)
    assert jobshop.violations(problem, best) == [] and best.lower_bound <= 930 <= best.makespan <= start.makespan
