"""Item search at 100,000 items: prefix and substring on SKU and name, through the items' reader and FilterSet (the
search the API and the item list both run, ranked: exact SKU, SKU prefix, name prefix, anywhere).

Finding (2026-11): on PostgreSQL, row-level security stops any index from serving ``icontains``: LIKE (textlike)
and UPPER are not leakproof, so the planner must apply the policy first and scans the organization's items. The
comparison operators (text_lt, text_ge, texteq) are leakproof, so a prefix search written as a range over a
normalized, C-collated column can use a B-tree; substring search needs a reviewed LEAKPROOF marking or a search
table of its own. BENCH_EXPLAIN=1 prints the plan.

Runs against a throw-away database: SQLite by default (a temp file), or PostgreSQL when DATABASE_URL is set
(a database that this script creates and drops). Prints one JSON object.

    .venv/bin/python bench/item_search.py
    DATABASE_URL=postgres://factoryos_app@127.0.0.1:5432/postgres .venv/bin/python bench/item_search.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal

from throwaway import throwaway_database

ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
TARGET_MS = 50.0


def main() -> None:
    with throwaway_database("bench_items") as vendor:
        from django.db import transaction

        from factoryos.accounts.models import User
        from factoryos.catalog import selectors
        from factoryos.catalog.models import Item, UnitOfMeasure
        from factoryos.core import services
        from factoryos.kernel.tenancy import org_scope, user_scope

        owner = User.objects.create_user("bench@example.com", "x" * 12)
        with transaction.atomic(), user_scope(owner.pk):
            org, _ = services.organization_create(owner=owner, legal_name="Bench Pty Ltd")
        rng = random.Random(7)
        words = [
            "bracket",
            "panel",
            "door",
            "frame",
            "hinge",
            "gusset",
            "cover",
            "plate",
            "channel",
            "angle",
            "enclosure",
            "guard",
            "rail",
            "bin",
            "shelf",
            "tube",
            "bar",
            "sheet",
            "bolt",
            "nut",
        ]
        started = time.perf_counter()
        with transaction.atomic(), org_scope(org):
            ea = UnitOfMeasure.objects.create(code="ea", name="Each", kind="count")
            batch = []
            for n in range(ITEMS):
                name = " ".join(rng.sample(words, 3)).title() + f" {rng.randint(10, 999)}"
                batch.append(
                    Item(
                        org=org,
                        sku=f"{rng.choice('ABCDEFGH')}{n:06d}-{rng.randint(0, 99):02d}",
                        name=name,
                        item_type="purchased",
                        uom=ea,
                        standard_cost=Decimal("1.00"),
                    )
                )
                if len(batch) == 5000:
                    Item.objects.bulk_create(batch)
                    batch = []
            Item.objects.bulk_create(batch)
        load_s = time.perf_counter() - started
        if vendor == "postgresql":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE catalog_item")

        if os.environ.get("BENCH_EXPLAIN"):
            with transaction.atomic(), org_scope(org):
                print(selectors.items.filter({"q": "4567-"}).queryset.explain(analyze=True), file=sys.stderr)
        queries = {
            "sku_prefix": "C0123",
            "sku_substring": "4567-",
            "name_prefix": "Hinge Rail",
            "name_substring": "gusset cover",
            "no_match": "zzzz-none",
        }
        results = {}
        for label, term in queries.items():
            timings = []
            for _ in range(7):
                with transaction.atomic(), org_scope(org):
                    t0 = time.perf_counter()
                    qs = selectors.items.filter({"q": term}).queryset
                    count = qs.count()
                    page = list(qs[:50])
                    timings.append((time.perf_counter() - t0) * 1000)
            results[label] = {
                "term": term,
                "matches": count,
                "page_rows": len(page),
                "median_ms": round(statistics.median(timings), 2),
                "max_ms": round(max(timings), 2),
            }
        print(
            json.dumps(
                {
                    "benchmark": "item_search",
                    "database": vendor,
                    "items": ITEMS,
                    "load_seconds": round(load_s, 2),
                    "queries": results,
                    "target_median_ms": TARGET_MS,
                    "target_met": all(r["median_ms"] <= TARGET_MS for r in results.values()),
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
