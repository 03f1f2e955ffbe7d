"""rotate_keys re-wraps the files sealed in database columns (a kept PDF, a job's upload) in place, so the old key
can leave the keyring."""

import io
import os

import pytest
from django.core.management import call_command
from django.db import transaction

from factoryos.core.keyrotation import rotate_all
from factoryos.documents import selectors as document_selectors
from factoryos.documents import services as document_services
from factoryos.documents.models import DocumentKind, Rendered
from factoryos.jobs import selectors as job_selectors
from factoryos.jobs.models import Job, JobStatus
from factoryos.jobs.services import seal_upload
from factoryos.kernel import crypto
from factoryos.kernel.fields import sealed_blobs
from factoryos.kernel.tenancy import org_scope
from tests.factories import make_org

KEY_A = crypto.generate_key_spec("ka")
KEY_B = crypto.generate_key_spec("kb")
PDF = b"%PDF-1.7\n" + os.urandom(150_000)  # three 64 KiB chunks: the chunks after the header are copied as they are
CSV = b"sku,name\r\nBRK-100,Bracket\r\n"


def _job(owner, upload: bytes | None) -> Job:
    return Job.objects.create(
        org=owner.org,
        kind="import",
        title="Check of items from parts.csv",
        view_permission="catalog.view",
        status=JobStatus.SUCCEEDED,
        upload=None if upload is None else seal_upload(upload),
        created_by=owner,
    )


def _rows(org, model, pk) -> dict:
    """The row as stored (the sealed column as bytes), read as its organization (RLS on PostgreSQL)."""
    with transaction.atomic(), org_scope(org):
        row = model.all_tenants.filter(pk=pk).values().get()
    return {name: bytes(value) if isinstance(value, memoryview) else value for name, value in row.items()}


def _key_of(sealed: bytes) -> str:
    return crypto.file_key_id(io.BytesIO(sealed))


@pytest.fixture
def sealed_under_a(db, settings):
    """Two organizations' sealed files, all under key A: a kept PDF and a job's upload in the first, a job's upload,
    a job without one (NULL) and one with an empty upload in the second."""
    settings.FACTORYOS_KEYS = KEY_A
    org, owner = make_org()
    other, other_owner = make_org()
    with transaction.atomic(), org_scope(org):
        rendered = document_services.store_pdf(actor=owner, record=org, kind=DocumentKind.QUOTE, number="QU-1", pdf=PDF)
        job = _job(owner, CSV)
    with transaction.atomic(), org_scope(other):
        other_job = _job(other_owner, CSV[::-1])
        empty_job = _job(other_owner, None)
        blank_job = _job(other_owner, None)
        Job.objects.filter(pk=blank_job.pk).update(upload=b"")
    return {
        "rendered": (org, Rendered, rendered.pk),
        "job": (org, Job, job.pk),
        "other_job": (other, Job, other_job.pk),
        "empty_job": (other, Job, empty_job.pk),
        "blank_job": (other, Job, blank_job.pk),
    }


def test_both_columns_are_registered():
    assert {("documents.Rendered", "content"), ("jobs.Job", "upload")} <= set(sealed_blobs())


def test_rotation_rewraps_sealed_blobs_in_place_and_the_old_key_can_go(sealed_under_a, settings):
    before = {name: _rows(*where) for name, where in sealed_under_a.items()}
    assert {_key_of(row["content"]) for row in [before["rendered"]]} == {"ka"}
    assert {_key_of(before[name]["upload"]) for name in ("job", "other_job")} == {"ka"}

    settings.FACTORYOS_KEYS = f"{KEY_B},{KEY_A}"
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    report = out.getvalue()
    assert "3 file(s) in database columns re-wrapped, 0 already current" in report
    assert "  documents.Rendered.content: 1 file(s) re-wrapped" in report
    assert "  jobs.Job.upload: 2 file(s) re-wrapped" in report

    after = {name: _rows(*where) for name, where in sealed_under_a.items()}
    for name, column in [("rendered", "content"), ("job", "upload"), ("other_job", "upload")]:
        assert _key_of(after[name][column]) == "kb"
        assert after[name][column] != before[name][column]
        # only the header changed: the sealed chunks are the same bytes, and no other column was touched
        header = len(crypto.FILE_MAGIC) + 6 + int.from_bytes(before[name][column][8:10], "big") + 4
        assert after[name][column][header:] == before[name][column][header:]
        assert {k: v for k, v in after[name].items() if k != column} == {
            k: v for k, v in before[name].items() if k != column
        }
    assert after["empty_job"] == before["empty_job"] and after["empty_job"]["upload"] is None
    assert after["blank_job"] == before["blank_job"] and after["blank_job"]["upload"] == b""

    settings.FACTORYOS_KEYS = KEY_B  # key A is gone: everything still opens to the same bytes
    org, _, pk = sealed_under_a["rendered"]
    with transaction.atomic(), org_scope(org):
        assert document_selectors.pdf_of(Rendered.objects.get(pk=pk)) == PDF
        assert job_selectors.opened(Job.objects.get(pk=sealed_under_a["job"][2]).upload) == CSV
    other = sealed_under_a["other_job"][0]
    with transaction.atomic(), org_scope(other):
        assert job_selectors.opened(Job.objects.get(pk=sealed_under_a["other_job"][2]).upload) == CSV[::-1]

    again = rotate_all()  # nothing left under an old key: nothing changes
    assert (again.blobs_rewrapped, again.blobs_current, again.per_blob_column) == (0, 3, {})
    assert {name: _rows(*where) for name, where in sealed_under_a.items()} == after


def test_without_rotation_the_old_key_is_still_needed(sealed_under_a, settings):
    """What the rotation saves: a file sealed under key A does not open once A has left the keyring."""
    settings.FACTORYOS_KEYS = KEY_B
    org, _, pk = sealed_under_a["rendered"]
    with transaction.atomic(), org_scope(org), pytest.raises(crypto.DecryptionError):
        document_selectors.pdf_of(Rendered.objects.get(pk=pk))
