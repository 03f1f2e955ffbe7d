"""The planning pages: the last run's planned orders and messages, firming ticked ones, starting a run (a job the
page follows), an item's projected stock, the forecast."""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from django.urls import reverse

from factoryos.jobs.models import Job
from factoryos.kernel.tenancy import org_scope
from factoryos.mrp import selectors, services
from factoryos.mrp.models import PlannedOrder
from tests.factories import assert_page_shows, page_cases, page_text

PAGES = [
    ("mrp:plannedorder_list", None, ["Material requirements", "GLV-1", "below its safety stock", "Run MRP"]),
    ("mrp:item_plan", "catalog.item", ["Projected stock", "Planned orders", "BRK-100"]),
    ("mrp:forecast_list", None, ["Demand forecast", "BRK-100", "Christmas rush"]),
    ("mrp:forecast_create", None, ["New forecast", "Add forecast"]),
    ("mrp:forecast_edit", "mrp.forecast", ["Forecast of BRK-100", "Delete"]),
    ("mrp:run_progress", "jobs.job#mrp", ["MRP over 60 days done", "Show the plan"]),
]


@pytest.mark.parametrize(("name", "label", "expected"), page_cases(PAGES))
def test_owner_sees_each_page_with_the_worlds_data(world, owner, name, label, expected):
    assert_page_shows(owner, world, name, label, expected)


def test_the_plan_groups_by_supplier_and_firms_what_is_ticked(world, owner):
    page = page_text(owner.get(reverse("mrp:plannedorder_list") + "?sort=supplier"))
    supplier = world.objects["partners.partner#supplier"]
    assert "Made here, or no supplier yet" in page and supplier.code in page
    with org_scope(world.org):
        planned = PlannedOrder.objects.get(item__sku="GLV-1")
        buys = list(PlannedOrder.objects.filter(run=planned.run, supplier=supplier).select_related("item"))
        makes = list(PlannedOrder.objects.filter(run=planned.run, item=world.objects["catalog.item"]))
    value = sum(p.quantity * p.item.standard_cost for p in buys).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    # each supplier's group says how many orders and what they are worth at standard cost
    totals = '<small class="muted group-totals">'
    plural = "s" if len(buys) > 1 else ""
    assert f"{supplier.code} · {supplier.legal_name} {totals}{len(buys)} order{plural} · {value:,.2f} at" in page
    by_item = page_text(owner.get(reverse("mrp:plannedorder_list") + "?sort=item"))
    assert '<option value="unknown" selected>Any</option>' in by_item and "Unknown" not in by_item  # past due?
    made = sum(p.quantity for p in makes)
    plural = "s" if len(makes) > 1 else ""
    assert f"{totals}{len(makes)} order{plural} · {made.normalize():f} ea · " in by_item
    done = owner.post(reverse("mrp:firm"), {"planned_orders": [str(planned.pk)]}, follow=True)
    assert "Firmed as PO-" in page_text(done)
    nothing = owner.post(reverse("mrp:firm"), {}, follow=True)
    assert "Nothing firmed: Choose the planned orders to firm." in page_text(nothing)


def test_a_run_starts_in_the_background_and_the_page_follows_it(world, owner):
    response = owner.post(reverse("mrp:run_start"), {"horizon_days": "90"}, follow=True)
    with org_scope(world.org):
        job = Job.objects.filter(kind="mrp").latest("pk")
    assert job.params == {"horizon_days": 90} and "MRP over 90 days started" in page_text(response)
    assert reverse("mrp:run_progress", args=[job.pk]) in page_text(response)
    refused = owner.post(reverse("mrp:run_start"), {"horizon_days": "2"}, follow=True)
    assert "MRP did not start" in page_text(refused)


def test_a_net_change_starts_from_the_page_and_its_job_replans_what_changed(world, owner):
    response = owner.post(reverse("mrp:run_start"), {"horizon_days": "60", "net_change": "on"}, follow=True)
    with org_scope(world.org):
        job = Job.objects.filter(kind="mrp").latest("pk")
        assert job.params == {"net_change": True} and "MRP net change started" in page_text(response)
        outcome = services.mrp_job(job, world.owner, lambda done, total: None)
        assert outcome.ok and outcome.message.startswith("Net change: ")
        run = selectors.latest_run()
        assert run.pk == world.objects["mrp.mrprun"].pk and len(run.stats["net_changes"]) == 1
