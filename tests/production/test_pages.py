"""The production pages: they show the world's work orders and the floor, walk a work order from draft to released
on the pages, and run an operation on the tablet (start, a refused report on its field, a pause with its reason, a
batch, completion), each refusal on the field at fault and nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from factoryos.kernel.tenancy import org_scope
from factoryos.production import services
from factoryos.production.models import JobStatus, ProductionReport, WorkOrder, WorkOrderStatus
from tests.factories import assert_page_shows, page_cases, page_text

D = Decimal

PAGES = [
    ("production:workorder_list", None, ["Work orders", "BRK-100", "Draft", "Released", "In progress"]),
    ("production:workorder_create", None, ["New work order", "Draft work order"]),
    ("production:workorder_detail", "production.workorder", ["Draft", "Release", "Stock for the January build"]),
    ("production:workorder_detail", "production.workorder#started", ["Laser cut", "SHT-304-1.5", "Planned", "Actual"]),
    ("production:floor", None, ["Shop floor", "LSR1", "in the queue"]),
    ("production:floor_queue", "facilities.workcenter", ["LSR1", "Laser cut", "BRK-100"]),
    ("production:job", "production.jobcard#running", ["Laser cut", "Report a batch", "Pause", "Here to work on"]),
    (
        "production:job",
        "production.jobcard#at_supplier",
        ["Outside processing", "at the supplier now", "Received back"],
    ),
    ("production:workorder_detail", "production.workorder#coated", ["Powder coat", "Outside", "PO-"]),
    ("production:downtime_list", None, ["Downtime", "LSR1", "Breakdown", "Chiller fault", "90"]),
    ("production:downtime_edit", "production.downtime", ["Downtime of LSR1", "Delete"]),
    ("production:nonconformance_list", None, ["Non-conformances", "Hole pitch", "Setup", "Trend"]),
]


@pytest.mark.parametrize(("name", "label", "expected"), page_cases(PAGES))
def test_owner_sees_each_page_with_the_worlds_data(world, owner, name, label, expected):
    assert_page_shows(owner, world, name, label, expected)


def test_navigation_lists_the_work_orders_and_the_floor(owner):
    page = page_text(owner.get(reverse("core:home")))
    for url in (reverse("production:workorder_list"), reverse("production:floor")):
        assert f'href="{url}"' in page


def test_a_work_order_is_drafted_and_released_on_the_pages(world, owner):
    objects = world.objects
    fields = {"item": objects["catalog.item"].pk, "location": objects["inventory.location#warehouse"].pk}
    refused = owner.post(reverse("production:workorder_create"), {**fields, "quantity": "0", "due_date": "2026-12-20"})
    assert refused.status_code == 400 and "quantity" in page_text(refused).lower()
    made = owner.post(
        reverse("production:workorder_create"), {**fields, "quantity": "6", "due_date": "2026-12-20", "priority": "3"}
    )
    with org_scope(world.org):
        order = WorkOrder.objects.get(quantity=6)
    assert made["Location"] == reverse("production:workorder_detail", args=[order.pk])
    released = owner.post(reverse("production:workorder_release", args=[order.pk]), follow=True)
    page = page_text(released)
    assert "released to the floor" in page and "Open on the floor" in page and "SHT-304-1.5" in page
    with org_scope(world.org):
        order.refresh_from_db()
        assert order.status == WorkOrderStatus.RELEASED and order.job_cards.count() == 1


def test_an_operation_runs_on_the_tablet(world, owner):
    card = world.objects["production.jobcard"]  # the released order of 10 brackets, waiting
    page = page_text(owner.get(reverse("production:job", args=[card.pk])))
    assert "Start" in page and "Report a batch" not in page
    started = owner.post(reverse("production:job_start", args=[card.pk]), follow=True)
    assert "your time is running" in page_text(started) and "Report a batch" in page_text(started)
    too_many = owner.post(reverse("production:job_report", args=[card.pk]), {"good": "11"})
    assert too_many.status_code == 400 and "Only 10 ea are at operation" in page_text(too_many)
    no_reason = owner.post(reverse("production:job_pause", args=[card.pk]), {})
    assert no_reason.status_code == 400
    with org_scope(world.org):
        assert not ProductionReport.objects.filter(job_card=card).exists()
    owner.post(reverse("production:job_pause", args=[card.pk]), {"reason": "tooling"})
    owner.post(reverse("production:job_start", args=[card.pk]))
    owner.post(reverse("production:job_report", args=[card.pk]), {"good": "4", "scrap": "1", "scrap_reason": "setup"})
    done = owner.post(reverse("production:job_complete", args=[card.pk]), {"good": "5"}, follow=True)
    assert "done" in page_text(done)
    with org_scope(world.org):
        card.refresh_from_db()
        assert card.status == JobStatus.DONE and (card.quantity_good, card.quantity_scrap) == (D("9"), D("1"))
        assert card.work_order.status == WorkOrderStatus.COMPLETED
        assert card.time_logs.filter(end_reason="tooling").count() == 1


def test_the_traveler_prints_each_operation_with_a_qr_code_that_opens_it_on_the_tablet(world, owner):
    import io

    import pypdf

    from factoryos.documents.models import Rendered

    order = world.objects["production.workorder#coated"]
    printed = owner.post(reverse("production:workorder_traveler", args=[order.pk]), follow=True)
    assert "Traveler" in page_text(printed) and "printed" in page_text(printed)
    # the order's page lists it once, in its Travelers section (not in the page's title or its crumbs as well)
    detail = page_text(owner.get(reverse("production:workorder_detail", args=[order.pk])))
    assert detail.count("<h2>Travelers</h2>") == 1 and f"<title>{order.number} " in detail
    with org_scope(world.org):
        rendered = Rendered.objects.filter(kind="traveler").latest("pk")
        card = order.job_cards.order_by("sequence").first()
    pdf = owner.get(reverse("documents:download", args=[rendered.pk]))
    reader = pypdf.PdfReader(io.BytesIO(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content))
    text = reader.pages[0].extract_text()
    assert "Job traveler" in text and order.number in text and "Hole pitch" in text and "Powder coat" in text
    images = [image for page in reader.pages for image in page.images]
    assert len(images) >= 2  # a QR code per operation (the letterhead's logo besides)
    draft = world.objects["production.workorder"]
    refused = owner.post(reverse("production:workorder_traveler", args=[draft.pk]), follow=True)
    assert "release it to print its traveler" in page_text(refused)
    with org_scope(
        world.org
    ):  # each QR code holds its operation's tablet page, at the address the traveler was asked on
        context = services.traveler_context(order, "http://testserver/")
    first = context["operations"][0]
    assert first["url"] == "http://testserver" + reverse("production:job", args=[card.pk])
    assert first["qr"].startswith("data:image/png;base64,")
