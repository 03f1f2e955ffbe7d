"""The inventory tests' world: the apps up to and including inventory, not the ones above it (sales reserves, shipping
ships and purchasing receives the same bracket at A-01), so that the ledger's known answers stay known."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture(scope="module")
def world_template(module_transaction):
    return factories.make_world(upto="inventory")
