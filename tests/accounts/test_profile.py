"""Profile: every field round-trips; the photo is checked by content, re-encoded without metadata, encrypted."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from factoryos.accounts.models import User
from tests.factories import login_client, make_org


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc"  # Make
    exif[0x8825] = {1: "N", 2: (33.0, 51.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.django_db
def test_profile_fields_round_trip_through_the_form_and_the_api():
    org, owner = make_org()
    client = login_client(owner.user, org)
    data = {
        "first_name": "Ana",
        "last_name": "Silva",
        "phone": "+61 412 345 678",
        "job_title": "Welder",
        "department": "Fabrication",
    }
    assert client.post("/profile/", data).status_code == 302
    me = client.get("/api/v1/me").json()
    assert {k: me[k] for k in data} == data
    bad = client.patch("/api/v1/me", {"phone": "call me maybe"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "phone"
    form_error = client.post("/profile/", {**data, "first_name": ""})
    assert form_error.status_code == 400 and User.objects.get(pk=owner.user_id).first_name == "Ana"


@pytest.mark.django_db
def test_photo_is_reencoded_without_metadata_and_stored_encrypted():
    org, owner = make_org()
    client = login_client(owner.user, org)
    original = _jpeg_with_gps()
    assert b"SpyCam" in original
    upload = SimpleUploadedFile("me.jpg", original, content_type="image/jpeg")
    assert client.post("/profile/photo/", {"photo": upload}).status_code == 302
    user = User.objects.get(pk=owner.user_id)
    with default_storage.open(user.photo, "rb") as fh:
        stored = fh.read()
    assert stored.startswith(b"FOSENC1") and b"JFIF" not in stored and b"SpyCam" not in stored
    served = client.get("/profile/photo.img")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(served.content))
    assert image.size == (64, 48) and not image.getexif() and b"SpyCam" not in served.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content", [("evil.png", b"<?php system($_GET['c']); ?>"), ("x.gif", b"GIF89a" + b"0" * 50)]
)
def test_non_images_are_refused_by_content_not_name(name, content):
    org, owner = make_org()
    client = login_client(owner.user, org)
    response = client.post("/profile/photo/", {"photo": SimpleUploadedFile(name, content)}, follow=True)
    assert b"not an image we can read" in response.content
    assert User.objects.get(pk=owner.user_id).photo == ""


@pytest.mark.django_db
def test_photos_over_the_size_limit_are_refused(settings):
    settings.PROFILE_PHOTO_MAX_BYTES = 1000
    org, owner = make_org()
    client = login_client(owner.user, org)
    big = SimpleUploadedFile("big.jpg", _jpeg_with_gps() + b"\0" * 2000, content_type="image/jpeg")
    response = client.post("/profile/photo/", {"photo": big}, follow=True)
    assert b"larger than" in response.content and User.objects.get(pk=owner.user_id).photo == ""
