"""The documents pages and API: the download of a kept PDF (web and API), its details, the list."""

from tests.isolation.routes import OBJECT, ORG

WEB: dict = {"documents:download": OBJECT("documents.rendered")}

API: dict = {
    "documents": ORG,
    "documents/{id}": OBJECT("documents.rendered"),
    "documents/{id}/pdf": OBJECT("documents.rendered"),
}

API_PAYLOADS: dict = {}
