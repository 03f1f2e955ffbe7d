"""The employee list and search at 2,000 employees, every personal field encrypted (decision 0009): searching by
name, filtering by department and sorting by name decrypt the organization's rows in Python, once per request.

Measures, as the organization's owner, the list page and the API (server time per request, median and slowest of
several, and the queries each runs) with the default sort (by name, in Python), sorted by number (in SQL), searching
a name, and filtering by department; and the decryption alone (every row's four directory fields).

Runs against a throw-away database: SQLite by default (a temp file), or PostgreSQL when DATABASE_URL is set (a
database this script creates and drops). Prints one JSON object.

    .venv/bin/python bench/people_search.py
    BENCH_EMPLOYEES=500 .venv/bin/python bench/people_search.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "2000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
TARGET_MS = 200.0  # a page of the product, served on this 2-core machine

FIRST = [
    "Jess",
    "Dave",
    "Mai",
    "Liam",
    "Priya",
    "Alex",
    "Sam",
    "Kim",
    "Bea",
    "Carl",
    "Dana",
    "Eve",
    "Zoe",
    "Omar",
    "Lena",
    "Raj",
    "Tom",
    "Ana",
    "Luca",
    "Mia",
    "Noah",
    "Ivy",
]
LAST = [
    "Walker",
    "Kowalski",
    "Tran",
    "O'Connor",
    "Nguyen",
    "Raman",
    "Smith",
    "Jones",
    "Brown",
    "Wilson",
    "Taylor",
    "Lee",
    "Martin",
    "Zhang",
    "Ahmed",
    "Rossi",
    "Silva",
    "Kelly",
    "Murphy",
    "Patel",
    "Chen",
    "Novak",
    "Berg",
    "Costa",
    "Dubois",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ito",
    "Jensen",
]
TITLES = ["Press Brake Operator", "Welder", "Fitter", "Painter", "Planner", "Storeperson", "Quality Inspector"]
DEPARTMENTS = ["Production", "Finishing", "Stores", "Office", "Quality", "Maintenance"]


def populate(org, n: int = EMPLOYEES) -> None:
    """``n`` employees of ``org``, every field filled (bulk_create seals them as save() does)."""
    from django.db import transaction

    from factoryos.kernel.tenancy import org_scope
    from factoryos.people.models import Employee

    rng = random.Random(7)
    with transaction.atomic(), org_scope(org):
        Employee.objects.bulk_create(
            [
                Employee(
                    org=org,
                    employee_number=f"E{k:05d}",
                    first_name=rng.choice(FIRST),
                    last_name=rng.choice(LAST),
                    job_title=rng.choice(TITLES),
                    department=rng.choice(DEPARTMENTS),
                    employment_start=date(2005, 1, 3) + timedelta(days=rng.randint(0, 7000)),
                    labour_rate=Decimal(rng.randint(3000, 6000)) / 100,
                    emergency_contact_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    home_address=f"{k} Wattle St, Fairfield NSW 2165",
                )
                for k in range(n)
            ],
            batch_size=500,
        )


PAGES = {
    "list, sorted by name (the default; in Python)": "/people/",
    "list, sorted by number (in SQL)": "/people/?sort=number",
    "search a name (q=kowal)": "/people/?q=kowal",
    "search and department (q=an, Production)": "/people/?q=an&department=Production",
    "API, 50 by number (in SQL)": "/api/v1/employees?limit=50",
    "API, 50 by last name (in Python)": "/api/v1/employees?limit=50&ordering=last_name",
    "API, search a name (q=kowal)": "/api/v1/employees?limit=50&q=kowal",
}


def decrypt_only(org) -> dict[str, object] | None:
    """Opening every row's names, title and department (what a search or a sort by name does), without the page."""
    try:
        from factoryos.kernel.sealed import opened
    except ImportError:  # the plain-column version this is compared with
        return None
    from django.db import transaction

    from factoryos.kernel.tenancy import org_scope
    from factoryos.people.models import Employee

    timings, cpu = [], []
    for _ in range(RUNS):
        with transaction.atomic(), org_scope(org):
            started, started_cpu = time.perf_counter(), time.process_time()
            rows = opened(Employee.objects.all(), ["first_name", "last_name", "job_title", "department"])
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "rows": len(rows),
        "values": 4 * len(rows),
        "median_ms": round(statistics.median(timings), 1),
        "median_cpu_ms": round(statistics.median(cpu), 1),
    }


def run(vendor: str) -> dict[str, object]:
    """Populate and measure (Django set up and migrated)."""
    from django.db import transaction
    from django.test.utils import override_settings
    from throwaway import measure, member_client

    from factoryos.accounts.models import User
    from factoryos.core import services
    from factoryos.kernel.tenancy import user_scope

    owner = User.objects.create_user("bench-people@example.com", "Correct-Horse-Battery-9")
    with transaction.atomic(), user_scope(owner.pk):
        org, _ = services.organization_create(owner=owner, legal_name="Bench People Pty Ltd")
    started = time.perf_counter()
    populate(org)
    load_s = time.perf_counter() - started
    client = member_client(owner, org)
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["127.0.0.1", "testserver"]):
        results = {label: measure(client, url, RUNS) for label, url in PAGES.items()}
    return {
        "benchmark": "people_search",
        "database": vendor,
        "employees": EMPLOYEES,
        "load_seconds": round(load_s, 2),
        "runs": RUNS,
        "pages": results,
        "decrypt_only": decrypt_only(org),
        "target_median_ms": TARGET_MS,
        "target_met": all(r["median_ms"] <= TARGET_MS for r in results.values()),
    }


def main() -> None:
    import base64

    from throwaway import throwaway_database

    # A keyring from the environment, as in production (the development key file is read again on every use).
    os.environ.setdefault("FACTORYOS_KEYS", "bench:" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))

    with throwaway_database("bench_people") as vendor:
        print(json.dumps(run(vendor), indent=1))


if __name__ == "__main__":
    main()
