"""Import / export (factoryos.imports): every route is ORG (they name a kind, never an object)."""

from tests.isolation.routes import ORG

_KINDS = ("items", "bom-lines", "locations", "opening-stock")

WEB = {"imports:page": ORG}
API = {}
for _slug in _KINDS:
    _name = _slug.replace("-", "_")
    WEB.update({f"imports:upload_{_name}": ORG, f"imports:export_{_name}": ORG, f"imports:template_{_name}": ORG})
    API.update({f"imports/{_slug}": ORG, f"exports/{_slug}": ORG})
