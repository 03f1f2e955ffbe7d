"""Benchmark of the scheduling engine (planning/engine/jobshop.py) on the public instances in ../shared/bench/jsp
and ../shared/bench/fjsp, with their optima or bounds from each set's instances.json.

    .venv/bin/python bench/jobshop.py                             # every instance, 30 s each (hours: choose some)
    .venv/bin/python bench/jobshop.py --only ft06 ft10 'la0*' --time-limit 30
    .venv/bin/python bench/jobshop.py --only 'ta0*' ta10 --plain   # plain CP-SAT run beside, for comparison

For each instance: the ERP-style first-fit schedule, the best dispatch rule's and the engine's (CP-SAT warm-started
from that dispatch schedule), each with its gap to the best known makespan (the optimum, else the best upper bound)
in %, the engine's lower bound and time; with ``--plain``, CP-SAT on the textbook model with no start beside it
(same time limit, same workers). Then the mean gaps by group (ta01-10, ta11-20, mk01-10, ...) and how many of the
instances with a proven optimum reached it. The engine never sees an instance's name or best known value: the
comparison is made here, after it has answered. Prints JSON.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from factoryos.planning.engine import jobshop  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench"  # ../shared/bench beside the checkout (--data)


def instances(data: Path, only: list[str]) -> list[tuple[str, dict, Path, str]]:
    found = []
    for folder, fmt in (("jsp", "jsp"), ("fjsp", "fjsp")):
        for entry in json.loads((data / folder / "instances.json").read_text()):
            name = entry["name"]
            if not only or any(fnmatch.fnmatch(name, pattern) for pattern in only):
                found.append((name, entry, data / folder / (entry.get("file") or entry["path"]), fmt))
    return found


def best_known(entry: dict) -> tuple[int, bool]:
    """(the best known makespan, whether it is a proven optimum)."""
    if entry.get("optimum"):
        return int(entry["optimum"]), True
    return int(entry["bounds"]["upper"]), False


def gap(makespan: int, known: int) -> float:
    return round(100.0 * (makespan - known) / known, 2)


def group(name: str) -> str:
    """ta01-ta10 and ta11-ta20 apart (the issue's targets), else the name without its number (la, orb, mk, e-la)."""
    if match := re.fullmatch(r"ta(\d+)", name):
        return "ta01-10" if int(match.group(1)) <= 10 else "ta11-20" if int(match.group(1)) <= 20 else "ta21+"
    return re.sub(r"\d+$", "", name) or name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", default=[], help="instance names or patterns (default: every one)")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plain", action="store_true", help="plain CP-SAT (no start) beside, same limit")
    parser.add_argument("--data", type=Path, default=DATA, help="the folder holding jsp/ and fjsp/")
    args = parser.parse_args()
    rows = []
    for name, entry, path, fmt in instances(args.data, args.only):
        problem = jobshop.read(str(path), fmt)
        known, proven = best_known(entry)
        greedy, dispatched = jobshop.greedy(problem), jobshop.best_dispatch(problem)
        best = jobshop.solve(problem, time_limit=args.time_limit, workers=args.workers, start=dispatched)
        for schedule in (greedy, dispatched, best):
            if problems := jobshop.violations(problem, schedule):
                raise SystemExit(f"{name}: the {schedule.method} schedule is invalid: {problems[:3]}")
        row = {
            "instance": name,
            "jobs": len(problem.jobs),
            "machines": problem.machines,
            "operations": problem.operations,
            "best_known": known,
            "optimum_proven": proven,
            "greedy_gap_pct": gap(greedy.makespan, known),
            "dispatch": dispatched.makespan,
            "dispatch_rule": dispatched.rule,
            "dispatch_gap_pct": gap(dispatched.makespan, known),
            "makespan": best.makespan,
            "gap_pct": gap(best.makespan, known),
            "lower_bound": best.lower_bound,
            "status": best.status,
            "seconds": round(best.seconds, 2),
        }
        if args.plain:
            started = time.perf_counter()
            plain = jobshop.solve(
                problem, time_limit=args.time_limit, workers=args.workers, start=dispatched, hint=False
            )
            row["plain_cp_sat"] = plain.makespan
            row["plain_gap_pct"] = gap(plain.makespan, known)
            row["plain_seconds"] = round(time.perf_counter() - started, 2)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(group(row["instance"]), []).append(row)
    summary = {
        name: {
            "instances": len(members),
            "mean_gap_pct": round(statistics.mean(r["gap_pct"] for r in members), 2),
            "mean_dispatch_gap_pct": round(statistics.mean(r["dispatch_gap_pct"] for r in members), 2),
            "mean_greedy_gap_pct": round(statistics.mean(r["greedy_gap_pct"] for r in members), 2),
            **(
                {"mean_plain_gap_pct": round(statistics.mean(r["plain_gap_pct"] for r in members), 2)}
                if args.plain
                else {}
            ),
            "optimum_reached": sum(1 for r in members if r["optimum_proven"] and r["gap_pct"] == 0),
            "with_proven_optimum": sum(1 for r in members if r["optimum_proven"]),
        }
        for name, members in groups.items()
    }
    report = {
        "time_limit_s": args.time_limit,
        "workers": args.workers,
        "instances": rows,
        "groups": summary,
    }
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
