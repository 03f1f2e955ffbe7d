"""A throw-away database for a benchmark: SQLite in a temp directory by default, or PostgreSQL when DATABASE_URL is
set (a database created for the run and dropped after it, so the URL may name any database the role may create
databases from). With DATABASE_OWNER_URL too (two roles, README: PostgreSQL) the owner creates, migrates and drops it
and the benchmark runs as the application role. Django is set up and migrated inside."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


@contextlib.contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """Yield the database vendor ("sqlite" or "postgresql") with Django set up and migrated on a fresh database."""
    url = os.environ.get("DATABASE_URL", "")
    owner_url = os.environ.get("DATABASE_OWNER_URL", "")
    drop = None
    if url.startswith("postgres"):
        import psycopg

        admin = owner_url or url
        name = f"{prefix}_{os.getpid()}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"{url.rpartition('/')[0]}/{name}"
        if owner_url:
            os.environ["DATABASE_OWNER_URL"] = f"{owner_url.rpartition('/')[0]}/{name}"

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    else:
        tmp = tempfile.mkdtemp(prefix=f"{prefix}-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("FACTORYOS_VAR_DIR", tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "factoryos.settings"
    import django
    from django.core.management import call_command

    django.setup()
    try:
        call_command("migrate", verbosity=0)
        yield "postgresql" if drop else "sqlite"
    finally:
        if drop:
            drop()


def persistent_client(**headers: str):
    """Django's test client on one database connection throughout, as a server with persistent connections keeps
    (and so that the queries a request runs can be counted)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    return Client(**headers)


def member_client(user, org):
    """A persistent client logged in as ``user``, working in ``org``."""
    from factoryos.core.middleware import SESSION_ORG_KEY

    client = persistent_client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[SESSION_ORG_KEY] = org.pk
    session.save()
    return client


def measure(client, url: str, runs: int = 7) -> dict[str, object]:
    """GET ``url`` ``runs`` times: the server time per request (median, slowest), this process's CPU time (steadier
    on a busy machine), the queries one request runs and the size of its answer."""
    import statistics
    import time

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    timings, cpu, queries, size = [], [], 0, 0
    for _ in range(runs):
        reset_queries()  # the log is bounded, and loading the data filled it
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries, size = len(captured), len(response.content)
    return {
        "url": url,
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
        "median_cpu_ms": round(statistics.median(cpu), 1),
        "queries": queries,
        "bytes": size,
    }
