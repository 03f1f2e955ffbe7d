"""Import / export (factoryos.imports): every route is ORG (they name a kind), but an import job's page (OBJECT)."""

from tests.isolation.routes import OBJECT, ORG

_KINDS = ("items", "bom-lines", "locations", "opening-stock")

# an import job's page (and its poll), and the file a large export's job made
WEB = {"imports:page": ORG, "imports:job": OBJECT("jobs.job"), "imports:job_file": OBJECT("jobs.job#export")}
API = {}
for _slug in _KINDS:
    _name = _slug.replace("-", "_")
    WEB.update({f"imports:upload_{_name}": ORG, f"imports:export_{_name}": ORG, f"imports:template_{_name}": ORG})
    API.update({f"imports/{_slug}": ORG, f"exports/{_slug}": ORG})


# A valid one-row file for each import (the event test sends them as multipart uploads).
API_FILES = {
    ("POST", "imports/items"): lambda o: ("items.csv", "sku,name,type,unit\nIMP-1,Imported part,purchased,ea\n"),
    ("POST", "imports/bom-lines"): lambda o: (
        "bom-lines.csv",
        "parent_sku,component_sku,quantity\nBRK-100,SHT-304-1.5,0.1\n",
    ),
    ("POST", "imports/locations"): lambda o: ("locations.csv", "code,name,kind,parent\nIMP-BIN,Imported bin,bin,WH1\n"),
    ("POST", "imports/opening-stock"): lambda o: (
        "opening-stock.csv",
        "sku,location,quantity,unit_cost\nBRK-100,B-01,2,12.50\n",
    ),
}
