"""The organization's logo: uploaded on its settings page or through the API, checked by its content, kept sealed,
and printed on every document."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from factoryos.audit.models import AuditEvent
from factoryos.core.models import Organization
from factoryos.documents.render import render_pdf
from factoryos.kernel.tenancy import org_scope
from tests.documents.world import sample_context
from tests.factories import add_member, key_client, login_client, make_key, make_org

TEMPLATE = "documents/example.html"


def png_with_text_chunk(size=(300, 120)) -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "made on SpyCam at -33.85,151.21")
    out = io.BytesIO()
    Image.new("RGB", size, (20, 60, 160)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


@pytest.mark.django_db
def test_a_logo_uploaded_on_the_settings_page_is_kept_sealed_and_printed_on_documents(
    django_capture_on_commit_callbacks,
):
    org, owner = make_org("Kestrel Steelworks Pty Ltd")
    client = login_client(owner.user, org)
    original = png_with_text_chunk()
    assert b"SpyCam" in original

    page = client.get("/settings/organization/")
    assert b"No logo yet" in page.content and client.get("/settings/organization/logo.img").status_code == 404
    response = client.post("/settings/organization/logo/", {"logo": SimpleUploadedFile("logo.png", original)})
    assert response.status_code == 302
    org.refresh_from_db()
    with default_storage.open(org.logo, "rb") as fh:
        stored = fh.read()
    assert stored.startswith(b"FOSENC1") and b"PNG" not in stored[:64] and b"SpyCam" not in stored
    served = client.get("/settings/organization/logo.img")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(served.content)).size == (300, 120) and b"SpyCam" not in served.content
    with org_scope(org):
        updates = AuditEvent.objects.filter(object_type="core.organization", action="update")
        assert [event.changes for event in updates] == [{"logo": ["", "(new logo)"]}]

    with transaction.atomic(), org_scope(org):  # the letterhead prints it: one image on the first page
        reader = pypdf.PdfReader(io.BytesIO(render_pdf(TEMPLATE, sample_context(1))))
    assert len(reader.pages[0].images) == 1

    first = org.logo
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/settings/organization/logo/", {"logo": SimpleUploadedFile("l.png", png_with_text_chunk((80, 80)))}
        )
    org.refresh_from_db()
    assert org.logo != first and not default_storage.exists(first)  # the replaced one is gone
    assert client.post("/settings/organization/logo/remove/").status_code == 302
    org.refresh_from_db()
    assert org.logo == "" and client.get("/settings/organization/logo.img").status_code == 404
    with transaction.atomic(), org_scope(org):  # no logo: no image
        reader = pypdf.PdfReader(io.BytesIO(render_pdf(TEMPLATE, sample_context(1))))
    assert len(reader.pages[0].images) == 0


@pytest.mark.django_db
def test_a_logo_that_is_not_an_image_is_refused_and_only_editors_may_change_it():
    org, owner = make_org()
    client = login_client(owner.user, org)
    refused = client.post(
        "/settings/organization/logo/", {"logo": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>")}, follow=True
    )
    assert b"not an image we can read" in refused.content
    assert Organization.objects.get(pk=org.pk).logo == ""

    viewer = login_client(add_member(org, role="viewer").user, org)
    upload = {"logo": SimpleUploadedFile("logo.png", png_with_text_chunk())}
    assert viewer.post("/settings/organization/logo/", upload).status_code == 403
    assert b"Upload logo" not in viewer.get("/settings/organization/").content


@pytest.mark.django_db
def test_the_api_uploads_reads_and_removes_the_logo():
    org, owner = make_org()
    _key, token = make_key(owner)
    api = key_client(token)
    assert api.get("/api/v1/organization").json()["has_logo"] is False
    assert api.get("/api/v1/organization/logo").status_code == 404

    missing = api.post("/api/v1/organization/logo", {})
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "file"
    not_image = api.post(
        "/api/v1/organization/logo", {"file": SimpleUploadedFile("logo.png", b"%PDF-1.7 not an image", "image/png")}
    )
    assert not_image.status_code == 400
    assert not_image.json()["errors"][0] == {
        "field": "file",
        "message": "This file is not an image we can read (JPEG, PNG or WebP).",
        "code": "not_an_image",
    }

    done = api.post("/api/v1/organization/logo", {"file": SimpleUploadedFile("l.png", png_with_text_chunk())})
    assert done.status_code == 200 and done.json()["has_logo"] is True
    image = api.get("/api/v1/organization/logo")
    assert image.status_code == 200 and image["Content-Type"] == "image/png" and b"SpyCam" not in image.content
    assert api.delete("/api/v1/organization/logo").status_code == 204
    assert api.get("/api/v1/organization").json()["has_logo"] is False
