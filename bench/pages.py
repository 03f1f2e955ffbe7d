"""The main pages and API lists with the demo organization (238 items, 100 BOMs, opening stock in two plants), as its
owner sees them: server time per request (median and slowest of several; the slowest is often the first, with
its templates still to compile) and the queries each runs.

The stock page used to render every item and location into four selects (about 450 ms); the pickers search as you
type instead. Runs against a throw-away database: SQLite by default (a temp file), or PostgreSQL when DATABASE_URL
is set (a database this script creates and drops). Prints one JSON object.

    .venv/bin/python bench/pages.py
    DATABASE_URL=postgres://factoryos_app@127.0.0.1:5432/postgres .venv/bin/python bench/pages.py
"""

from __future__ import annotations

import json
import os

from throwaway import measure, member_client, throwaway_database

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
TARGET_MS = 200.0  # a page of the product, served on this 2-core machine


def pages_of(org) -> dict[str, str]:
    from factoryos.catalog.models import Bom, BomStatus, Item
    from factoryos.kernel.tenancy import org_scope

    with org_scope(org):
        made = Item.objects.filter(boms__status=BomStatus.RELEASED).order_by("-boms__lines__position").first()
        bom = Bom.objects.filter(item=made, status=BomStatus.RELEASED).get()
    return {
        "stock": "/control/stock/",
        "items": "/control/items/",
        "item (BOM tree, cost, stock)": f"/control/items/{made.pk}/",
        "bom editor": f"/control/boms/{bom.pk}/",
        "moves": "/control/moves/",
        "locations": "/control/locations/",
        "customers": "/customers/",
        "API items (page of 50)": "/api/v1/items?limit=50",
        "API stock levels (page of 50)": "/api/v1/stock-levels?limit=50",
    }


def main() -> None:
    with throwaway_database("bench_pages") as vendor:
        from django.core.management import call_command
        from django.test.utils import override_settings

        from factoryos.accounts.models import User
        from factoryos.core.models import Membership
        from factoryos.kernel.tenancy import user_scope

        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", verbosity=0, stdout=quiet)
        owner = User.objects.get(email__startswith="owner@")
        with user_scope(owner.pk):
            org = Membership.objects.unscoped().filter(user=owner).get().org
        client = member_client(owner, org)
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"]):
            results = {label: measure(client, url, RUNS) for label, url in pages_of(org).items()}
        print(
            json.dumps(
                {
                    "benchmark": "pages",
                    "database": vendor,
                    "runs": RUNS,
                    "pages": results,
                    "target_median_ms": TARGET_MS,
                    "target_met": all(r["median_ms"] <= TARGET_MS for r in results.values()),
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
