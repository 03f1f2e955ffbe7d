"""API bodies of documents: only a reply (documents are made by the services of the records they print)."""

from factoryos.documents.models import Rendered
from factoryos.kernel.schemas import reply

RenderedOut = reply(
    Rendered,
    (
        "kind",
        "record_type",
        "record_id",
        "number",
        "version",
        "filename",
        "size",
        "sha256",
        "view_permission",
        "created_at",
        "created_by",
    ),
    name="Document",
)
