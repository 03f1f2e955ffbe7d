"""Items and BOMs through the API, checked against answers worked by hand."""

from decimal import Decimal

import pytest

from factoryos.catalog.models import Bom
from factoryos.kernel.tenancy import org_scope
from tests.factories import api_post as post


def item(api, world, sku, item_type, cost="0", uom=None):
    return post(
        api,
        "items",
        {
            "sku": sku,
            "name": sku.title(),
            "item_type": item_type,
            "standard_cost": cost,
            "uom": uom or world.pk("catalog.unitofmeasure"),
        },
    )


def test_two_level_bom_explodes_and_costs_as_worked_by_hand(api, world):
    """CAB-1 (cabinet) = 2 x DOOR-1 + 4 x BOLT (1 % scrap); DOOR-1 = 6.92 kg of the sheet (10 % scrap).

    The sheet is stocked in sheets; 1 sheet = 34.6 kg (item conversion), so 6.92 kg = 0.2 sheet.
    Explosion of 10 cabinets:  DOOR-1 20;  sheet 10 x 2 x 0.2 x 1.10 = 4.4;  BOLT 10 x 4 x 1.01 = 40.4.
    Costs: sheet 182.50/sheet; BOLT 0.35.  DOOR-1 material = 0.2 x 1.1 x 182.50 = 40.15;
    DOOR-1 routing: laser LSR1 (machine 120/h, labour 65/h), setup 10 min (lot 1), run 3 min -> 13 min
      machine 13/60 x 120 = 26.00, labour 13/60 x 65 = 14.0833.
    CAB-1 material = 2 x (40.15 + 26.00 + 14.0833) + 4 x 1.01 x 0.35 = 160.4666 + 1.414 = 161.8806.
    """
    kg = world.pk("catalog.unitofmeasure#kg")
    sheet = world.pk("catalog.item#sheet")
    bolt = item(api, world, "BOLT-M8", "purchased", "0.35")
    door = item(api, world, "DOOR-1", "subassembly")
    cabinet = item(api, world, "CAB-1", "finished")

    door_bom = post(api, "boms", {"item": door["id"]})
    post(
        api,
        "operations",
        {
            "bom": door_bom["id"],
            "work_center": world.pk("facilities.workcenter"),
            "description": "Cut door blank",
            "setup_minutes": "10",
            "run_minutes_per_unit": "3",
        },
    )
    post(
        api, "bom-lines", {"bom": door_bom["id"], "component": sheet, "quantity": "6.92", "uom": kg, "scrap_pct": "10"}
    )
    assert api.post(f"/api/v1/boms/{door_bom['id']}/release").status_code == 200
    cab_bom = post(api, "boms", {"item": cabinet["id"]})
    post(api, "bom-lines", {"bom": cab_bom["id"], "component": door["id"], "quantity": "2"})
    post(api, "bom-lines", {"bom": cab_bom["id"], "component": bolt["id"], "quantity": "4", "scrap_pct": "1"})
    assert api.post(f"/api/v1/boms/{cab_bom['id']}/release").status_code == 200

    rows = api.get(f"/api/v1/items/{cabinet['id']}/explosion?quantity=10").json()
    got = [(r["level"], r["sku"], Decimal(r["quantity"])) for r in rows]
    assert got == [(1, "DOOR-1", Decimal("20")), (2, "SHT-304-1.5", Decimal("4.4")), (1, "BOLT-M8", Decimal("40.4"))]

    door_cost = api.get(f"/api/v1/items/{door['id']}/cost").json()
    assert [Decimal(door_cost[k]) for k in ("material", "machine", "labour")] == [
        Decimal("40.15"),
        Decimal("26.00"),
        Decimal("14.0833"),
    ]
    cab_cost = api.get(f"/api/v1/items/{cabinet['id']}/cost").json()
    assert Decimal(cab_cost["material"]) == Decimal("161.8806") and Decimal(cab_cost["total"]) == Decimal("161.8806")

    used = api.get(f"/api/v1/items/{sheet}/where-used").json()
    assert {(r["level"], r["sku"]) for r in used} >= {(1, "DOOR-1"), (2, "CAB-1")}


def test_a_loop_is_refused_and_named_by_sku(api, world):
    a = item(api, world, "ASM-A", "subassembly")
    b = item(api, world, "ASM-B", "subassembly")
    bom_a = post(api, "boms", {"item": a["id"]})
    post(api, "bom-lines", {"bom": bom_a["id"], "component": b["id"], "quantity": "1"})
    api.post(f"/api/v1/boms/{bom_a['id']}/release")
    bom_b = post(api, "boms", {"item": b["id"]})
    refused = post(api, "bom-lines", {"bom": bom_b["id"], "component": a["id"], "quantity": "1"}, status=400)
    assert refused["errors"] == [
        {"field": "component", "message": "This would make a loop: ASM-B -> ASM-A -> ASM-B", "code": "bom_loop"}
    ]
    assert refused["code"] == "bom_loop"
    self_ref = post(api, "bom-lines", {"bom": bom_b["id"], "component": b["id"], "quantity": "1"}, status=400)
    assert self_ref["errors"][0]["field"] == "component"


def test_released_revisions_are_immutable_and_a_new_revision_supersedes(api, world):
    released = world.objects["catalog.bom#released"]
    (line,) = api.get(f"/api/v1/bom-lines?bom={released.pk}").json()["items"]
    response = api.patch(f"/api/v1/bom-lines/{line['id']}", {"quantity": "9"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "locked"
    assert "released" in response.json()["errors"][0]["message"]
    draft = world.objects["catalog.bom#draft"]  # revision 2, copied from the released one
    assert api.get(f"/api/v1/bom-lines?bom={draft.pk}").json()["count"] == 1
    assert api.post(f"/api/v1/boms/{draft.pk}/release").json()["status"] == "released"
    revisions = api.get(f"/api/v1/boms?item={world.pk('catalog.item')}&ordering=revision").json()["items"]
    assert [(b["revision"], b["status"]) for b in revisions] == [(1, "obsolete"), (2, "released")]
    with org_scope(world.org):  # each move stamped with who and when
        old, new = Bom.objects.get(pk=released.pk), Bom.objects.get(pk=draft.pk)
        assert old.obsolete_by_id == new.released_by_id == world.owner.user_id
        assert old.obsolete_at is not None and new.released_at is not None
    again = api.post(f"/api/v1/boms/{draft.pk}/release")  # a released revision is read-only, its state too
    assert again.status_code == 409 and again.json()["code"] == "locked"
    twice = api.post(f"/api/v1/boms/{world.pk('catalog.bom#released')}/obsolete")  # obsolete already
    assert twice.status_code == 409 and twice.json()["code"] == "transition_not_allowed"


def test_unconvertible_units_and_bought_items_are_field_errors(api, world):
    bolt = item(api, world, "BOLT-M6", "purchased", "0.2")
    refused = post(api, "boms", {"item": bolt["id"]}, status=400)
    assert refused["errors"][0]["field"] == "item" and "bought" in refused["errors"][0]["message"]
    draft = world.pk("catalog.bom#draft")
    kg = world.pk("catalog.unitofmeasure#kg")
    bad_unit = post(api, "bom-lines", {"bom": draft, "component": bolt["id"], "quantity": "1", "uom": kg}, status=400)
    assert bad_unit["errors"][0]["field"] == "uom" and "No conversion from kg to ea" in bad_unit["errors"][0]["message"]


def test_items_search_filter_and_unique_sku(api, world):
    dup = post(
        api,
        "items",
        {"sku": "BRK-100", "name": "Again", "item_type": "purchased", "uom": world.pk("catalog.unitofmeasure")},
        status=400,
    )
    assert dup["errors"] == [{"field": "sku", "message": "An item with this SKU already exists.", "code": "not_unique"}]
    assert api.get("/api/v1/items?q=brk").json()["count"] == 1  # SKU prefix, any case
    assert api.get("/api/v1/items?q=2400").json()["count"] == 1  # substring of a name
    assert api.get("/api/v1/items?item_type=raw&tag=stainless").json()["items"][0]["sku"] == "SHT-304-1.5"


def test_a_conversion_removed_after_release_is_named_when_the_bom_is_read(api, world):
    """A released line in kilograms of an item stocked in each: read through its conversion (2 each a kg), and once
    the conversion is gone, refused with the units' codes and the SKU (read for the message only)."""
    from factoryos.catalog import selectors
    from factoryos.catalog import services as catalog
    from factoryos.kernel.errors import DomainError

    kg = world.pk("catalog.unitofmeasure#kg")
    shot = item(api, world, "SHOT-1", "raw", "2")
    frame = item(api, world, "FRAME-9", "manufactured")
    with org_scope(world.org):
        owner = world.owner
        each = world.pk("catalog.unitofmeasure")
        half = catalog.conversion_create(actor=owner, from_uom=kg, to_uom=each, factor=Decimal(2), item=shot["id"])
        bom = catalog.bom_create(actor=owner, item=frame["id"])
        catalog.bom_line_add(actor=owner, bom=bom, component=shot["id"], quantity=Decimal("1.5"), uom=kg)
        catalog.bom_release(actor=owner, obj=bom)
        (line,) = [line for line in selectors.engine_lines() if line.parent == frame["id"]]
        assert line.qty_per == 3  # 1.5 kg at 2 each a kg
        catalog.simple_delete(actor=owner, obj=half)
        with pytest.raises(DomainError, match="No conversion from kg to ea for SHOT-1"):
            selectors.engine_lines()
