"""Background jobs: an import runs in the worker as the member who uploaded it, reports its progress, keeps its file
sealed only as long as it is needed, runs once, and is seen only by whoever may read what it imports."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from django.urls import reverse

from factoryos.audit.models import AuditEvent
from factoryos.catalog.models import Item
from factoryos.core.models import Membership
from factoryos.imports import services as import_services
from factoryos.imports.kinds import KINDS
from factoryos.jobs import services as jobs
from factoryos.jobs.models import Job, JobStatus
from factoryos.jobs.selectors import progress_key
from factoryos.kernel.crypto import FILE_MAGIC
from factoryos.kernel.events import Action
from factoryos.kernel.tenancy import org_scope
from tests.factories import HTMX, key_client, login_client, make_key
from tests.worker import run_tasks, waiting

PARTS = "sku,name,type,unit\nJOB-1,Job part one,purchased,ea\nJOB-2,Job part two,purchased,ea\n"


def start(client, content: str = PARTS, *, kind: str = "items", dry_run: bool = False) -> dict:
    """Upload through the API as a browser or integration would: 202 and the queued job, nothing imported yet."""
    query = "?dry_run=true" if dry_run else ""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/api/v1/imports/{kind}{query}",
            {"file": SimpleUploadedFile("parts.csv", content.encode())},
            HTTP_X_REQUEST_ID="upload-request-0001",
        )
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "queued" and job["url"] == f"/api/v1/jobs/{job['id']}"
    return job


def _job(world, pk: int) -> Job:
    with transaction.atomic(), org_scope(world.org):
        return Job.objects.get(pk=pk)


def _set_status(world, job: Job, status: str) -> None:
    with transaction.atomic(), org_scope(world.org):
        Job.objects.filter(pk=job.pk).update(status=status)


def _items(world) -> set[str]:
    with transaction.atomic(), org_scope(world.org):
        return set(Item.objects.filter(sku__startswith="JOB-").values_list("sku", flat=True))


def _events(world, **filters) -> list[AuditEvent]:
    with transaction.atomic(), org_scope(world.org):
        return list(AuditEvent.objects.filter(**filters).order_by("seq"))


@pytest.mark.django_db
def test_an_import_runs_in_the_worker_as_the_member_who_uploaded_it(world, owner):
    queued = start(owner)
    assert _items(world) == set()  # the request only queued it
    (asked,) = _events(world, object_type="jobs.job", action=Action.CREATE)
    assert asked.actor_user_id == world.owner.user_id and asked.metadata["params"]["filename"] == "parts.csv"

    assert run_tasks() == 1
    job = owner.get(queued["url"]).json()
    assert job["status"] == "succeeded" and job["done"] == job["total"] == 2
    assert job["result"] == {"kind": "items", "dry_run": False, "rows": 2, "created": 2} and job["errors"] == []
    assert _items(world) == {"JOB-1", "JOB-2"}
    created = _events(world, object_type="catalog.item", action=Action.CREATE, object_repr_plain__startswith="JOB-")
    assert len(created) == 2
    for event in created:  # the member who uploaded, and the request they uploaded in: not "system"
        assert event.actor_user_id == world.owner.user_id and event.actor_api_key_id is None
        assert event.actor_label == world.owner.user.email
        assert (event.request_id, event.path, event.method) == ("upload-request-0001", "/api/v1/imports/items", "POST")

    page = owner.get(reverse("imports:page") + "?kind=items")
    assert b"Import of items from parts.csv" in page.content  # under "Recent uploads", linking to its page


@pytest.mark.django_db
def test_an_api_keys_import_is_recorded_as_the_key_and_polled_with_its_scope(world):
    key, token = make_key(world.owner, scopes={"catalog": "write"})
    integration = key_client(token)
    queued = start(integration)
    run_tasks()
    job = integration.get(queued["url"]).json()
    assert job["status"] == "succeeded" and job["api_key_id"] == key.pk
    created = _events(world, object_type="catalog.item", action=Action.CREATE, object_repr_plain__startswith="JOB-")
    assert [(e.actor_api_key_id, e.actor_label) for e in created] == [(key.pk, "API key Integration")] * 2
    listed = integration.get("/api/v1/jobs?status=succeeded&kind=import").json()
    assert [j["id"] for j in listed["items"]] == [queued["id"], world.pk("jobs.job")]  # newest first

    _, stock_token = make_key(world.owner, scopes={"inventory": "read"})  # may not read items: not its jobs
    stock_reader = key_client(stock_token)
    assert stock_reader.get(queued["url"]).status_code == 404
    assert stock_reader.get("/api/v1/jobs").json()["count"] == 0


@pytest.mark.django_db
def test_another_organizations_job_is_not_found(world, owner, their_world):
    queued = start(owner)
    other = their_world
    stranger = login_client(other.owner.user, other.org)
    assert stranger.get(queued["url"]).status_code == 404
    assert stranger.get(reverse("imports:job", args=[queued["id"]])).status_code == 404
    assert queued["id"] not in [j["id"] for j in stranger.get("/api/v1/jobs").json()["items"]]


@pytest.mark.django_db
def test_progress_is_reported_while_the_job_runs_and_shown_by_the_polling_page(world, owner, monkeypatch):
    reported = []
    cache = caches["jobs"]
    original = cache.set
    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL", 0)
    monkeypatch.setattr(
        cache, "set", lambda key, value, **kw: (reported.append(tuple(value)), original(key, value, **kw))
    )
    queued = start(owner, dry_run=True)
    job = _job(world, queued["id"])

    # While it runs, its transaction is invisible to others: the page reads the count the worker reports.
    _set_status(world, job, JobStatus.RUNNING)
    original(progress_key(job), [1, 2])
    page = owner.get(reverse("imports:job", args=[job.pk]), **HTMX)
    text = page.content.decode()
    assert 'hx-trigger="every 1s"' in text and '<progress value="1" max="2"' in text and "1 of 2 rows" in text
    assert (owner.get(queued["url"]).json()["done"], owner.get(queued["url"]).json()["total"]) == (1, 2)

    _set_status(world, job, JobStatus.QUEUED)
    run_tasks()
    assert reported[0] == (0, 2) and reported[-1] == (2, 2)
    assert all(a[0] <= b[0] for a, b in zip(reported, reported[1:], strict=False))
    assert cache.get(progress_key(job)) is None  # gone once the row holds the final count
    done = owner.get(reverse("imports:job", args=[job.pk]), **HTMX).content.decode()
    assert "hx-trigger" not in done and "all 2 rows are valid" in done


@pytest.mark.django_db
def test_the_file_is_kept_sealed_and_only_while_it_is_needed(world, owner):
    checked = start(owner, dry_run=True)
    stored = bytes(_job(world, checked["id"]).upload)
    assert stored.startswith(FILE_MAGIC) and b"Job part one" not in stored  # sealed, never plain at rest
    run_tasks()
    assert _job(world, checked["id"]).upload is not None  # a dry run that passed keeps it for its import

    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic(), org_scope(world.org):
        imported = import_services.import_confirm(actor=world.owner, kind="items", checked=_job(world, checked["id"]))
    assert _job(world, checked["id"]).upload is None  # moved to the import: one import per check
    run_tasks()
    assert _job(world, imported.pk).status == JobStatus.SUCCEEDED and _job(world, imported.pk).upload is None
    assert _items(world) == {"JOB-1", "JOB-2"}

    refused = start(owner, "sku,name,type,unit\nJOB-3,Bad unit,purchased,furlong\n", dry_run=True)
    run_tasks()
    failed = _job(world, refused["id"])
    assert failed.status == JobStatus.SUCCEEDED and failed.errors and failed.upload is None  # nothing to confirm


@pytest.mark.django_db
def test_a_job_runs_once(world, owner):
    queued = start(owner)
    run_tasks()
    events = len(_events(world))
    calls = []
    jobs.run(world.org.pk, queued["id"], lambda job, actor, progress: calls.append(job))  # the task, run again
    assert calls == [] and len(_events(world)) == events and _items(world) == {"JOB-1", "JOB-2"}


@pytest.mark.django_db
def test_an_unexpected_error_fails_the_job_and_keeps_nothing(world, owner, monkeypatch):
    kind = type(KINDS["items"])
    write_row = kind.write_row

    def breaks_on_the_second_row(self, actor, cells):
        if cells.values.get("sku") == "JOB-2":
            raise RuntimeError("the disk is on fire")
        return write_row(self, actor, cells)

    monkeypatch.setattr(kind, "write_row", breaks_on_the_second_row)
    queued = start(owner)
    run_tasks()
    job = owner.get(queued["url"]).json()
    assert job["status"] == "failed" and job["message"] == jobs.FAILED_MESSAGE
    assert _items(world) == set()  # JOB-1 was written, then rolled back with the rest


@pytest.mark.django_db
def test_the_job_of_a_member_removed_before_it_ran_does_nothing(world, owner):
    queued = start(owner)
    with transaction.atomic(), org_scope(world.org):
        Membership.objects.filter(pk=world.owner.pk).update(is_active=False)
    run_tasks()
    job = _job(world, queued["id"])
    assert job.status == JobStatus.FAILED and "no longer a member" in job.message and job.upload is None
    assert _items(world) == set()


@pytest.mark.django_db
def test_a_rolled_back_upload_queues_nothing(world):
    with (
        TestCase.captureOnCommitCallbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
        org_scope(world.org),
    ):
        import_services.import_start(
            actor=world.owner, kind="items", filename="parts.csv", data=PARTS.encode(), dry_run=False
        )
        raise RuntimeError("the request fails after the upload")
    assert callbacks == [] and waiting() == []
    with transaction.atomic(), org_scope(world.org):
        assert not Job.objects.filter(title__contains="parts.csv").exists()


# -- large exports -------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_large_export_is_made_by_the_worker_and_its_download_is_the_recorded_export(world, monkeypatch):
    """Over EXPORT_JOB_ROWS rows, the API answers 202 with a job and the page offers to prepare the file; the worker
    makes it (sealed in the job); its download is the same file a small export gives, recorded as the export."""
    monkeypatch.setattr(import_services, "EXPORT_JOB_ROWS", 0)  # the world's items are "many"
    _, token = make_key(world.owner)
    api = key_client(token)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = api.get("/api/v1/exports/items?format=csv")
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "queued" and job["file_url"] is None
    assert run_tasks() == 1
    done = api.get(job["url"]).json()
    assert done["status"] == "succeeded" and done["file_url"] == f"/api/v1/jobs/{job['id']}/file"
    with transaction.atomic(), org_scope(world.org):
        stored = bytes(Job.objects.get(pk=job["id"]).upload)
    assert stored.startswith(FILE_MAGIC)  # sealed at rest
    before = len(_events(world, action=Action.EXPORT))
    download = api.get(done["file_url"])
    assert download.status_code == 200 and download["Content-Disposition"] == 'attachment; filename="items.csv"'
    with transaction.atomic(), org_scope(world.org):
        _, written, rows = import_services._written("items", "csv")
    assert download.content == written
    exported = _events(world, action=Action.EXPORT)
    assert len(exported) == before + 1 and exported[-1].metadata["job"] == job["id"]
    assert exported[-1].metadata["count"] == rows

    browser = login_client(world.owner.user, world.org)
    offer = browser.get(reverse("imports:export_items") + "?format=xlsx")
    assert offer.status_code == 200 and b'id="large-export"' in offer.content
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = browser.post(reverse("imports:export_items") + "?format=xlsx")
    assert started.status_code == 302
    run_tasks()
    page = browser.get(started["Location"]).content.decode()
    assert "Download items.xlsx" in page
    pk = int(started["Location"].rstrip("/").rsplit("/", 1)[1])
    file = browser.get(reverse("imports:job_file", args=[pk]))
    assert file.status_code == 200 and file.content.startswith(b"PK")  # an XLSX (a zip)
