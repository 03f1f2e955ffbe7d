"""Does the audit chain serialize an organization's traffic? The same read mix (API lists and views, each of which
records an audit event) from 8 concurrent clients, once all in one organization and once spread over 8
organizations. If the chain's per-organization lock is a bottleneck, the first is slower than the second.

Each client is its own process with its own database connection (as 8 server workers would be), calling the
application in-process (Django's test client: no HTTP server, so the figures are the server's own time). Run it on
PostgreSQL (SQLite serializes every writer anyway, so it cannot tell the lock from the database):

    DATABASE_URL=postgres://factoryos_app@127.0.0.1:5432/postgres .venv/bin/python bench/audit_lock.py

Prints one JSON object: for each layout, requests, throughput (requests/s), p50 and p95 (ms), and how much slower one
organization is than eight (throughput and p95).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
THRESHOLD_PCT = 15.0  # the line: above it, take the chain off the request's critical path


def _client_loop(token: str, urls: list[str], barrier, seconds: float, out) -> None:
    """One client: warm up, wait for the others, then read for ``seconds``; send back the latencies (ms)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "factoryos.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from throwaway import persistent_client

    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_USER_AGENT": "bench/1.0", "REMOTE_ADDR": "203.0.113.9"}
    client = persistent_client(**headers)
    for url in urls:  # warm up: templates, caches, the connection
        assert client.get(url).status_code == 200, url
    barrier.wait()
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < deadline:
        url = urls[i % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        i += 1
    out.put(latencies)


def _run(layout: str, tokens: list[str], urls_of: list[list[str]]) -> dict[str, object]:
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(CLIENTS), ctx.Queue()
    procs = [
        ctx.Process(target=_client_loop, args=(tokens[i], urls_of[i], barrier, SECONDS, out)) for i in range(CLIENTS)
    ]
    for p in procs:
        p.start()
    latencies: list[float] = []
    for _ in procs:
        latencies += out.get()
    for p in procs:
        p.join()
        if p.exitcode:
            raise SystemExit(f"{layout}: a client failed ({p.exitcode})")
    latencies.sort()
    return {
        "layout": layout,
        "requests": len(latencies),
        "throughput_rps": round(len(latencies) / SECONDS, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
    }


def main() -> None:
    from throwaway import throwaway_database

    with throwaway_database("bench_audit_lock") as vendor:
        from django.core.management import call_command
        from django.db import connections, transaction

        from factoryos.accounts import services as account_services
        from factoryos.accounts.models import User
        from factoryos.catalog.models import Item
        from factoryos.core.models import Membership
        from factoryos.kernel.permissions import Module
        from factoryos.kernel.tenancy import org_scope, user_scope

        tokens, urls = [], []
        with open(os.devnull, "w") as quiet:
            for i in range(CLIENTS):
                email = f"bench{i}@example.com"
                call_command("seed_demo", organization=f"Bench Works {i}", owner=email, verbosity=0, stdout=quiet)
                user = User.objects.get(email=email)
                with transaction.atomic(), user_scope(user.pk):
                    member = Membership.objects.unscoped().filter(user=user).select_related("org").get()
                with transaction.atomic(), org_scope(member.org):
                    _, token = account_services.api_key_create(
                        actor=member, name="bench", scopes={m: "read" for m in Module.values}
                    )
                    item = Item.objects.order_by("pk").first()
                tokens.append(token)
                urls.append(
                    [
                        "/api/v1/items?limit=50",
                        f"/api/v1/items/{item.pk}",
                        "/api/v1/stock-levels?limit=50",
                        "/api/v1/locations",
                        "/api/v1/items?limit=20&q=bracket",
                    ]
                )
        connections.close_all()
        # Alternate the layouts and keep each one's best round, so a burst of other load on the machine does not
        # decide the comparison.
        rounds: dict[str, list[dict[str, object]]] = {"one": [], "spread": []}
        for _ in range(ROUNDS):
            rounds["one"].append(_run("8 clients, one organization", [tokens[0]] * CLIENTS, [urls[0]] * CLIENTS))
            rounds["spread"].append(_run("8 clients, 8 organizations", tokens, urls))
        one, spread = (max(rounds[k], key=lambda r: r["throughput_rps"]) for k in ("one", "spread"))
        slower_rps = round((1 - one["throughput_rps"] / spread["throughput_rps"]) * 100, 1)
        slower_p95 = round((one["p95_ms"] / spread["p95_ms"] - 1) * 100, 1)
        print(
            json.dumps(
                {
                    "benchmark": "audit_lock",
                    "database": vendor,
                    "clients": CLIENTS,
                    "seconds": SECONDS,
                    "rounds": ROUNDS,
                    "one_organization": one,
                    "eight_organizations": spread,
                    "one_org_throughput_lower_pct": slower_rps,
                    "one_org_p95_higher_pct": slower_p95,
                    "threshold_pct": THRESHOLD_PCT,
                    "within_threshold": max(slower_rps, slower_p95) <= THRESHOLD_PCT,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
