"""Every page and API read of the organization's data runs a pinned, bounded number of queries, the same whatever the
number of rows: the sweep counts each GET on a world, grows every list of the world (tests/<app>/world.py ``grow``),
counts again, and compares with the pins in tests/query_counts.json (one set per database vendor).

A route added later is counted too (tests/isolation/routes.py ``org_gets``). After an intended change, rewrite the
pins with ``UPDATE_QUERY_COUNTS=1 pytest tests/test_query_counts.py`` and review the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from tests.factories import grow_world, login_client, rolled_back
from tests.isolation.routes import org_gets

PINS = Path(__file__).with_name("query_counts.json")
GROWTH = 3  # more rows of every list; a query per row shows as at least this many more queries


def _counts(client, gets) -> dict[str, int]:
    counts = {}
    for label, url, _declared in gets:
        reset_queries()  # the log keeps the last 9,000 queries: a full log counts nothing
        with rolled_back(), CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code == 405:
            continue  # a POST-only route
        assert response.status_code in (200, 302), f"{label}: {response.status_code}"
        counts[label] = len(queries)
    return counts


@pytest.mark.django_db
def test_every_read_runs_a_pinned_number_of_queries_whatever_the_rows(world):
    client = login_client(world.owner.user, world.org)
    small = _counts(client, org_gets(world.objects))
    grow_world(world, GROWTH)
    large = _counts(client, org_gets(world.objects))

    grew = {label: f"{small[label]} -> {large[label]}" for label in small if large[label] != small[label]}
    assert grew == {}, f"queries that grow with the rows: {grew}"

    pins = json.loads(PINS.read_text()) if PINS.exists() else {}
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        pins[connection.vendor] = dict(sorted(large.items()))
        PINS.write_text(json.dumps(pins, indent=1) + "\n")
    pinned = pins.get(connection.vendor, {})
    changed = {label: f"{pinned.get(label)} -> {n}" for label, n in large.items() if pinned.get(label) != n}
    assert changed == {}, f"query counts differ from {PINS.name} (pinned -> now): {changed}"
    assert set(pinned) <= set(large), f"pinned routes that no longer exist: {set(pinned) - set(large)}"
