"""Every read is on the audit trail (privacy policy §17), recorded by the selectors, never by hand in a view.

Every web page and API operation of the organization's data that answers GET declares what it reads
(``kernel.reads``: VIEW, LIST, EXPORT or NOTHING), and this sweep holds it to that: a GET writes exactly one event
of that kind and nothing else. A route added later without the mark fails, and so does a mark its code does not
keep. (The person's own pages, ACCOUNT in tests/isolation/routes.py, read no organization data.)
"""

from __future__ import annotations

from collections import Counter

import pytest

from factoryos.audit.models import AuditEvent
from factoryos.kernel.reads import EXPORT, LIST, NOTHING, VIEW
from factoryos.kernel.tenancy import org_scope
from tests.factories import login_client, rolled_back
from tests.isolation.routes import org_gets

KINDS = {VIEW: "view", LIST: "list", EXPORT: "export"}


def _events(org) -> Counter:
    with org_scope(org):
        return Counter(AuditEvent.objects.values_list("action", flat=True))


@pytest.mark.django_db
def test_every_get_declares_what_it_reads_and_writes_exactly_that_event(world):
    client = login_client(world.owner.user, world.org)
    wrong, checked = [], Counter()
    for label, url, declared in org_gets(world.objects):
        with rolled_back():
            before = _events(world.org)
            response = client.get(url)
            if response.status_code == 405:
                continue  # a POST-only route: it reads nothing on GET
            assert response.status_code in (200, 302), f"{label}: {response.status_code}"
            written = _events(world.org) - before
        if declared is None:
            wrong.append(f"{label} does not declare what its GET records (kernel.reads: VIEW, LIST, EXPORT, NOTHING)")
            continue
        expected = Counter() if declared == NOTHING else Counter({KINDS[declared]: 1})
        if written != expected:
            wrong.append(f"{label} declares {declared} but wrote {dict(written)}")
        checked[declared] += 1
    assert wrong == []
    print(f"\nread sweep: {sum(checked.values())} GET routes, {dict(checked)}")
    assert checked[VIEW] >= 20 and checked[LIST] >= 20 and checked[EXPORT] >= 5
