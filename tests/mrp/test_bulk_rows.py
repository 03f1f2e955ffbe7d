"""kernel/bulk.py, on the rows MRP writes with it: every value comes back as written (a null, a decimal's places, a
JSON value with quotes and non-ASCII, the defaults of the columns left out), and row-level security holds."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from factoryos.kernel import bulk
from factoryos.kernel.tenancy import org_scope
from factoryos.mrp.models import PlannedOrder

FIELDS = ("item", "source", "quantity", "release_date", "due_date", "past_due", "supplier", "pegging")


def test_rows_come_back_as_written_with_the_defaults_of_the_columns_left_out(world):
    run, item = world.objects["mrp.mrprun"], world.objects["catalog.item"]
    supplier = world.objects["partners.partner#supplier"]
    pegs = [{"ref": 'SO-1/1 "rush" für Zoë', "qty": "1.5"}, {"ref": "surplus", "qty": "0.000001"}]
    rows = [
        (item.pk, "make", Decimal("12.345678"), date(2026, 12, 7), date(2026, 12, 9), True, None, pegs),
        (item.pk, "buy", Decimal("1"), date(2026, 12, 8), date(2026, 12, 10), False, supplier.pk, []),
    ]
    with org_scope(world.org), transaction.atomic():
        written = bulk.insert_rows(PlannedOrder, FIELDS, rows, constants={"org": world.org.pk, "run": run.pk})
        columns = [f"{name}_id" if name in ("item", "supplier") else name for name in FIELDS]
        mine = PlannedOrder.objects.filter(run=run, item=item, due_date__in=(date(2026, 12, 9), date(2026, 12, 10)))
        back = list(mine.order_by("due_date").values_list(*columns, "status", "firmed_as", "firmed_at"))
        transaction.set_rollback(True)
    assert written == 2
    assert back == [(*rows[0], "proposed", "", None), (*rows[1], "proposed", "", None)]


def test_a_column_without_a_value_or_a_default_is_refused_before_writing(world):
    with pytest.raises(ValueError, match="no value for run"):
        bulk.insert_rows(PlannedOrder, FIELDS, [], constants={"org": world.org.pk})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
def test_rows_for_another_organization_are_refused_by_row_level_security(world):
    run, item = world.objects["mrp.mrprun"], world.objects["catalog.item"]
    row = (item.pk, "make", Decimal("1"), date(2026, 12, 7), date(2026, 12, 9), False, None, [])
    with org_scope(world.org), pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        bulk.insert_rows(PlannedOrder, FIELDS, [row], constants={"org": world.org.pk + 1000, "run": run.pk})
