"""``__any``: a long list of ids as one parameter finds what ``__in`` finds, on a key and on a foreign key, on
either database; an empty list finds nothing (and excluding it, everything) without asking the database, and the
tenancy filter still applies."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from factoryos.catalog.models import BomLine, Item
from factoryos.kernel.tenancy import org_scope


def test_any_finds_what_in_finds_as_one_parameter(world, their_world):
    with org_scope(world.org):
        mine = list(Item.objects.values_list("pk", flat=True))
        with org_scope(their_world.org):
            theirs = list(Item.objects.values_list("pk", flat=True))
        asked = [*mine, *theirs, *range(10**9, 10**9 + 3000)]  # thousands of ids, most of them of no item here
        assert sorted(Item.objects.filter(pk__any=asked).values_list("pk", flat=True)) == sorted(mine)
        lines = BomLine.objects.filter(component_id__any=asked)
        assert sorted(lines.values_list("pk", flat=True)) == sorted(
            BomLine.objects.filter(component_id__in=mine).values_list("pk", flat=True)
        )
        assert lines.exists()
        with CaptureQueriesContext(connection) as asked_nothing:
            assert list(Item.objects.filter(pk__any=[])) == []
        assert len(asked_nothing) == 0
        assert Item.objects.filter(pk__any=[]).count() == 0
        assert Item.objects.exclude(pk__any=[]).count() == len(mine)
        assert list(Item.objects.filter(pk__any={mine[0]}).values_list("pk", flat=True)) == [mine[0]]
