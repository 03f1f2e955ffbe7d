"""Uploaded images (a profile photo, an organization's logo): checked by their content, re-encoded, stored sealed.

``store(upload, folder=, field=, max_bytes=, max_side=)`` refuses anything that is not a JPEG, PNG or WebP by its
bytes (not its name or declared type), refuses decompression bombs, shrinks it to ``max_side`` pixels, re-encodes
it (which drops EXIF/GPS, comments and anything appended after the image), seals it with ``crypto.encrypt_stream``
and saves it under ``folder``; it answers the storage name, which ends ``.<format>.enc``. ``read(name)`` opens it
again as ``(bytes, content type)``. The model field holding the name is registered with
``kernel.fields.register_encrypted_file`` so ``rotate_keys`` re-wraps the file. ``response(name)`` serves one.
"""

from __future__ import annotations

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from PIL import Image, UnidentifiedImageError

from factoryos.kernel import crypto
from factoryos.kernel.errors import CommonError, DomainError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_SOURCE_PIXELS = 40_000_000


def reencode(data: bytes, *, field: str, max_side: int) -> tuple[bytes, str]:
    """The image in ``data`` re-encoded in its own format, at most ``max_side`` pixels a side, with no metadata."""
    unreadable = DomainError(
        "This file is not an image we can read (JPEG, PNG or WebP).", code=CommonError.NOT_AN_IMAGE, field=field
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        fmt = image.format
        if fmt not in FORMATS:
            raise DomainError("Upload a JPEG, PNG or WebP image.", code=CommonError.NOT_AN_IMAGE, field=field)
        if image.width * image.height > MAX_SOURCE_PIXELS:
            raise DomainError("This image is too large.", code=CommonError.IMAGE_TOO_LARGE, field=field)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise unreadable from exc
    image.thumbnail((max_side, max_side))
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    out = io.BytesIO()
    clean.save(out, format=fmt)  # no exif=, no pnginfo=: metadata is not carried over
    return out.getvalue(), FORMATS[fmt]


def store(upload, *, folder: str, field: str, max_bytes: int, max_side: int, noun: str = "image") -> str:
    """Check, re-encode and seal an uploaded image; save it under ``folder``; answer its storage name."""
    if upload.size > max_bytes:
        limit = _size(max_bytes)
        raise DomainError(f"The {noun} is larger than {limit}.", code=CommonError.IMAGE_TOO_LARGE, field=field)
    data, content_type = reencode(upload.read(), field=field, max_side=max_side)
    sealed = b"".join(crypto.encrypt_stream([data]))
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}.{content_type.split('/')[1]}.enc", ContentFile(sealed))


def _size(n: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"


def read(name: str) -> tuple[bytes, str]:
    """A stored image opened: its bytes and content type."""
    with default_storage.open(name, "rb") as fh:
        data = b"".join(crypto.decrypt_stream(fh))  # type: ignore[arg-type]  # a File reads bytes
    return data, f"image/{name.rsplit('.', 2)[-2]}"


def response(name: str, *, missing: str = "There is no image.") -> HttpResponse:
    """A stored image served (page or API alike): opened, with its own content type, cached by the browser only
    (``private``) for five minutes; a 404 saying ``missing`` when ``name`` is empty."""
    if not name:
        raise Http404(missing)
    data, content_type = read(name)
    served = HttpResponse(data, content_type=content_type)
    served["Cache-Control"] = "private, max-age=300"
    return served
