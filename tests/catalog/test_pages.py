"""The catalog pages: items, units, categories and the BOM editor render the world's data, search and sort, hide and
refuse edits without the permission, and show the services' refusals (loops, units, released revisions) where the
person acted."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from factoryos.catalog import services as catalog_services
from factoryos.catalog.models import Bom, BomLine, Item
from factoryos.core.models import Membership
from factoryos.kernel.tenancy import org_scope
from tests.factories import HTMX, assert_page_shows, login_client, make_user, page_cases, page_text

PAGES = [
    ("catalog:unit_list", None, ["Kilogram", "1 ea = 34.6 kg", "SHT-304-1.5"]),
    ("catalog:category_list", None, ["Enclosures", "stainless"]),
    ("catalog:item_list", None, ["BRK-100", "SHT-304-1.5", "Raw material", "182.50", "rev 1"]),
    ("catalog:item_create", None, ["New item", "Standard cost", "stainless"]),
    ("catalog:item_edit", "catalog.item", ["Edit Bracket 100", "BRK-100"]),
    ("catalog:item_detail", "catalog.item", ["Bracket 100", "Bill of materials", "SHT-304-1.5", "Where used"]),
    ("catalog:item_detail", "catalog.item#sheet", ["Sheet 304", "Where used", "BRK-100", "182.50"]),
    ("catalog:bom_list", None, ["BRK-100", "Draft", "Released"]),
    ("catalog:bom_detail", "catalog.bom", ["BRK-100", "rev 2", "Draft", "SHT-304-1.5", "Laser cut", "Add a line"]),
    ("catalog:bom_detail", "catalog.bom#released", ["rev 1", "Released", "read-only", "SHT-304-1.5"]),
    ("catalog:bom_line_edit", "catalog.bomline", ["Save line", "Line 10: SHT-304-1.5"]),
]


@pytest.fixture
def inspector(world):
    """A member whose custom role holds catalog.view and nothing else."""
    with org_scope(world.org):
        member = Membership.objects.create(
            org=world.org, user=make_user(), role="", custom_role=world.objects["core.role"]
        )
    assert member.permissions == frozenset({"catalog.view"})
    return login_client(member.user, world.org)


@pytest.mark.parametrize(("name", "label", "expected"), page_cases(PAGES))
def test_owner_sees_each_page_with_the_worlds_data(world, owner, name, label, expected):
    assert_page_shows(owner, world, name, label, expected)


def test_navigation_lists_the_catalog_pages(owner):
    page = page_text(owner.get("/"))
    for label, url in [
        ("Items", "/control/items/"),
        ("BOMs", "/control/boms/"),
        ("Units", "/control/units/"),
    ]:
        assert f'href="{url}"' in page and label in page


# -- lists: search, filters, sorting, partial refresh -------------------------------------------------------------
def rows(response) -> list[str]:
    return re.findall(r'href="/control/items/\d+/">([^<]+)</a>', response.content.decode())


def test_item_list_searches_by_prefix_and_substring_filters_and_sorts(world, owner):
    with org_scope(world.org):
        ea = world.objects["catalog.unitofmeasure"]
        catalog_services.item_create(
            actor=world.owner, sku="BRK-200", name="Bracket 200", item_type="purchased", uom=ea
        )
        catalog_services.item_create(
            actor=world.owner, sku="PNL-7", name="Side panel (bracket mount)", item_type="raw", uom=ea
        )
    url = reverse("catalog:item_list")
    assert rows(owner.get(url, {"q": "brk"})) == ["BRK-100", "BRK-200"]  # SKU prefix
    assert rows(owner.get(url, {"q": "bracket"})) == ["BRK-100", "BRK-200", "PNL-7"]  # name prefix before substring
    assert rows(owner.get(url, {"q": "304"})) == ["SHT-304-1.5"]  # substring of the SKU
    assert rows(owner.get(url, {"item_type": "raw"})) == ["PNL-7", "SHT-304-1.5"]
    assert rows(owner.get(url, {"category": world.pk("catalog.category")})) == ["BRK-100"]
    ours = ["SHT-304-1.5", "PNL-7", "BRK-200", "BRK-100"]  # the apps above the catalog add items of their own
    assert [sku for sku in rows(owner.get(url, {"sort": "-sku"})) if sku in ours] == ours
    assert rows(owner.get(url, {"sort": "cost"}))[-1] == "SHT-304-1.5"

    partial = owner.get(url, {"q": "sht"}, **HTMX)
    assert partial.status_code == 200
    assert b"<html" not in partial.content and rows(partial) == ["SHT-304-1.5"]
    assert b'name="sort"' in partial.content  # the sort travels with the filter form


# -- permission: catalog.view only ---------------------------------------------------------------------------------
def test_a_viewer_sees_no_edit_controls(world, inspector):
    pages = [
        reverse("catalog:item_list"),
        reverse("catalog:item_detail", args=[world.pk("catalog.item")]),
        reverse("catalog:bom_detail", args=[world.pk("catalog.bom")]),
        reverse("catalog:unit_list"),
        reverse("catalog:category_list"),
    ]
    for url in pages:
        response = inspector.get(url)
        assert response.status_code == 200, url
        page = page_text(response)
        for control in (
            "New item",
            "Edit item",
            "Add a line",
            "Add an operation",
            "Release revision",
            "Remove",
            "Add unit",
            "Add category",
            "New revision",
            "Create BOM",
            'method="post"',
        ):
            assert control not in page.replace('method="post" action="/accounts/logout/"', ""), f"{control} on {url}"
    assert "SHT-304-1.5" in page_text(inspector.get(pages[2]))  # but sees the lines


def test_a_viewer_is_refused_every_edit(world, inspector):
    bom, line = world.pk("catalog.bom"), world.pk("catalog.bomline")
    posts = [
        (reverse("catalog:item_create"), {"sku": "X-1", "name": "X", "item_type": "raw"}),
        (reverse("catalog:item_edit", args=[world.pk("catalog.item")]), {"name": "Renamed"}),
        (reverse("catalog:bom_line_add", args=[bom]), {"component": world.pk("catalog.item#sheet"), "quantity": "1"}),
        (reverse("catalog:bom_line_edit", args=[line]), {f"line-{line}-quantity": "2"}),
        (reverse("catalog:bom_line_delete", args=[line]), {}),
        (reverse("catalog:operation_delete", args=[world.pk("catalog.operation")]), {}),
        (reverse("catalog:bom_release", args=[bom]), {}),
        (reverse("catalog:unit_list"), {"code": "m", "name": "Metre", "kind": "length"}),
        (reverse("catalog:tag_create"), {"name": "new"}),
    ]
    for url, data in posts:
        assert inspector.post(url, data).status_code == 403, url
        assert inspector.post(url, data, **HTMX).status_code == 403, url
    with org_scope(world.org):
        assert Bom.objects.get(pk=bom).status == "draft"
        assert BomLine.objects.filter(pk=line).exists()
        assert not Item.objects.filter(sku="X-1").exists()
    # and facilities are not theirs to see at all
    assert inspector.get(reverse("facilities:site_list")).status_code == 403


# -- BOM editor -----------------------------------------------------------------------------------------------------
def add_line(client, bom_pk, **data):
    return client.post(reverse("catalog:bom_line_add", args=[bom_pk]), data, **HTMX)


def test_adding_a_line_through_htmx_returns_the_lines_panel(world, owner):
    with org_scope(world.org):
        bolt = catalog_services.item_create(
            actor=world.owner,
            sku="BOLT-M8",
            name="Bolt M8",
            item_type="purchased",
            uom=world.objects["catalog.unitofmeasure"],
            standard_cost=Decimal("0.35"),
        )
    response = add_line(
        owner, world.pk("catalog.bom"), component=bolt.pk, quantity="4", scrap_pct="1", reference="Holes A-D"
    )
    assert response.status_code == 200
    body = page_text(response)
    assert "<html" not in body and "<h2>Lines</h2>" in body
    assert "BOLT-M8" in body and "Holes A-D" in body and "2 lines" in body
    with org_scope(world.org):
        line = BomLine.objects.get(bom_id=world.pk("catalog.bom"), component=bolt)
        assert (line.quantity, line.scrap_pct, line.uom.code, line.position) == (Decimal("4"), Decimal("1"), "ea", 20)


def test_a_line_that_makes_a_loop_shows_the_loop_on_the_component(world, owner):
    """ASSY-1 (released) uses BRK-100; giving the bracket's draft ASSY-1 as a component would close a loop."""
    with org_scope(world.org):
        ea = world.objects["catalog.unitofmeasure"]
        assy = catalog_services.item_create(
            actor=world.owner, sku="ASSY-1", name="Assembly", item_type="finished", uom=ea
        )
        bom = catalog_services.bom_create(actor=world.owner, item=assy)
        catalog_services.bom_line_add(actor=world.owner, bom=bom, component=world.objects["catalog.item"], quantity=2)
        catalog_services.bom_release(actor=world.owner, obj=bom)
    response = add_line(owner, world.pk("catalog.bom"), component=assy.pk, quantity="1")
    assert response.status_code == 400
    body = page_text(response)
    error = re.search(r'<small class="error" id="id_component-error">([^<]+)</small>', body)
    assert error, body
    assert "This would make a loop: BRK-100 -&gt; ASSY-1 -&gt; BRK-100" in error.group(1)
    with org_scope(world.org):
        assert not BomLine.objects.filter(bom_id=world.pk("catalog.bom"), component=assy).exists()


def test_a_line_in_a_unit_that_does_not_convert_shows_the_error_on_the_unit(world, owner):
    with org_scope(world.org):
        bolt = catalog_services.item_create(
            actor=world.owner,
            sku="BOLT-M8",
            name="Bolt M8",
            item_type="purchased",
            uom=world.objects["catalog.unitofmeasure"],
        )
    response = add_line(
        owner, world.pk("catalog.bom"), component=bolt.pk, quantity="0.2", uom=world.pk("catalog.unitofmeasure#kg")
    )
    assert response.status_code == 400
    assert re.search(r'id="id_uom-error">No conversion from kg to ea for BOLT-M8', page_text(response))


def test_editing_and_removing_a_line_inline(world, owner):
    line = world.pk("catalog.bomline")
    url = reverse("catalog:bom_line_edit", args=[line])
    form = owner.get(url, **HTMX)
    assert form.status_code == 200 and "Save line" in page_text(form) and "<html" not in page_text(form)
    prefix = f"line-{line}-"
    response = owner.post(
        url,
        {
            prefix + "component": world.pk("catalog.item#sheet"),
            prefix + "quantity": "0.06",
            prefix + "scrap_pct": "5",
            prefix + "operation": world.pk("catalog.operation"),
        },
        **HTMX,
    )
    assert response.status_code == 200, page_text(response)
    assert "0.06" in page_text(response) and "Laser cut" in page_text(response)
    response = owner.post(reverse("catalog:bom_line_delete", args=[line]), **HTMX)
    assert response.status_code == 200 and "No lines yet" in page_text(response)


def test_operations_are_added_and_removed_inline(world, owner):
    bom = world.pk("catalog.bom")
    response = owner.post(
        reverse("catalog:operation_add", args=[bom]),
        {"work_center": world.pk("facilities.workcenter"), "description": "Deburr", "run_minutes_per_unit": "0.5"},
        **HTMX,
    )
    assert response.status_code == 200
    body = page_text(response)
    assert "Deburr" in body and 'hx-swap-oob="true"' in body  # the lines panel's operation choices follow
    with org_scope(world.org):
        op = Bom.objects.get(pk=bom).operations.get(description="Deburr")
    assert op.sequence == 20
    response = owner.post(reverse("catalog:operation_delete", args=[op.pk]), **HTMX)
    assert response.status_code == 200 and "Deburr" not in page_text(response)


def test_a_released_revision_is_read_only_and_says_how_to_change_it(world, owner):
    released = world.pk("catalog.bom#released")
    page = page_text(owner.get(reverse("catalog:bom_detail", args=[released])))
    assert "Revision 1 is released: it is read-only" in page
    assert "start a new revision" in page and "Open draft revision 2" in page
    assert "Add a line" not in page and "Release revision" not in page

    response = add_line(owner, released, component=world.pk("catalog.item#sheet"), quantity="1")
    assert response.status_code == 409
    assert "Revision 1 is released and cannot change. To change this BOM, start a new revision" in page_text(response)
    with org_scope(world.org):
        line = world.objects["catalog.bom#released"].lines.get()
    assert owner.post(reverse("catalog:bom_line_delete", args=[line.pk]), **HTMX).status_code == 409
    without_htmx = owner.post(reverse("catalog:bom_line_delete", args=[line.pk]), follow=True)
    assert "Revision 1 is released and cannot change" in page_text(without_htmx)
    with org_scope(world.org):
        assert BomLine.objects.filter(bom_id=released).count() == 1


def test_release_and_new_revision_from_the_editor(world, owner):
    draft = world.pk("catalog.bom")
    response = owner.post(reverse("catalog:bom_release", args=[draft]), follow=True)
    assert "Revision 2 of BRK-100 released. Revision 1 is now obsolete." in page_text(response)
    response = owner.post(reverse("catalog:bom_revise", args=[draft]), follow=True)
    assert "Draft revision 3 started from revision 2." in page_text(response)
    with org_scope(world.org):
        assert list(Bom.objects.filter(item_id=world.pk("catalog.item")).values_list("revision", "status")) == [
            (3, "draft"),
            (2, "released"),
            (1, "obsolete"),
        ]


def test_item_page_shows_the_indented_tree_and_the_cost(world, owner):
    """BRK-100 = 0.05 sheet (182.50) + laser 10 min setup + 1.5 min run at 120/h machine, 65/h labour.
    material 9.125; minutes 11.5 -> labour 12.4583, machine 23.00; total 44.5833."""
    with org_scope(world.org):
        ea = world.objects["catalog.unitofmeasure"]
        cab = catalog_services.item_create(actor=world.owner, sku="CAB-1", name="Cabinet", item_type="finished", uom=ea)
        bom = catalog_services.bom_create(actor=world.owner, item=cab)
        catalog_services.bom_line_add(actor=world.owner, bom=bom, component=world.objects["catalog.item"], quantity=2)
        catalog_services.bom_release(actor=world.owner, obj=bom)
    page = page_text(owner.get(reverse("catalog:item_detail", args=[cab.pk])))
    assert re.search(r"tree-row level-1.*?BRK-100.*?tree-row level-2.*?SHT-304-1\.5", page)
    assert 'class="tree-cell lvl-2"' in page
    assert ">0.1<" in page  # 2 brackets x 0.05 sheet
    assert "89.1666" in page  # 2 x 44.5833 material, no routing on the cabinet
    bracket = page_text(owner.get(reverse("catalog:item_detail", args=[world.pk("catalog.item")])))
    for amount in ("9.1250", "12.4583", "23.00", "44.5833"):
        assert amount in bracket
    assert "CAB-1" in bracket  # where used


def test_item_form_creates_and_shows_service_errors_on_fields(world, owner):
    url = reverse("catalog:item_create")
    data = {
        "sku": "BRK-100",
        "name": "Duplicate",
        "item_type": "purchased",
        "uom": world.pk("catalog.unitofmeasure"),
        "tracking": "none",
        "active": "on",
    }
    response = owner.post(url, data)
    assert response.status_code == 400
    assert re.search(r'id="id_sku-error">An? item with this SKU already exists', page_text(response))
    response = owner.post(url, {**data, "sku": "BRK-300", "tags": [world.pk("catalog.tag")]})
    assert response.status_code == 302
    with org_scope(world.org):
        item = Item.objects.get(sku="BRK-300")
        assert item.make_buy == "buy" and [t.name for t in item.tags.all()] == ["stainless"]
    assert response["Location"] == reverse("catalog:item_detail", args=[item.pk])


def test_creating_a_bom_for_a_bought_item_is_refused_with_the_reason(world, owner):
    response = owner.post(reverse("catalog:item_bom_create", args=[world.pk("catalog.item#sheet")]), follow=True)
    assert "SHT-304-1.5 is bought, not made" in page_text(response)


def test_units_and_conversions(world, owner):
    response = owner.post(reverse("catalog:unit_list"), {"code": "m", "name": "Metre", "kind": "length"})
    assert response.status_code == 302
    response = owner.post(
        reverse("catalog:conversion_create"),
        {
            "from_uom": world.pk("catalog.unitofmeasure"),
            "to_uom": world.pk("catalog.unitofmeasure#kg"),
            "factor": "2",
            "item": "NOPE-1",
        },
    )
    assert response.status_code == 400 and "No item with SKU NOPE-1." in page_text(response)
    response = owner.post(reverse("catalog:unit_delete", args=[world.pk("catalog.unitofmeasure")]), follow=True)
    assert "Unit ea cannot be removed: It is still used by" in page_text(response)
