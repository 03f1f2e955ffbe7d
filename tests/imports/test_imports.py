"""Import (dry run, all-or-nothing) and export of items, BOM lines, locations and opening stock, CSV and XLSX.

An import is a background job: the upload answers 202 with the job, the worker (run here in-process) runs it, and
the job (GET /api/v1/jobs/{id}) holds the summary and the report.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from openpyxl import Workbook, load_workbook

from factoryos.audit.models import AuditEvent
from factoryos.catalog import services as catalog_services
from factoryos.catalog.models import BomLine, Category, Item
from factoryos.facilities import services as facility_services
from factoryos.inventory.models import Location, Lot, StockLevel, StockMove
from factoryos.kernel.events import Action
from factoryos.kernel.limits import of
from factoryos.kernel.tenancy import org_scope
from tests.factories import add_member, login_client, make_org
from tests.worker import run_tasks

D = Decimal

ITEMS = [
    ["sku", "name", "type", "unit", "standard_cost", "safety_stock", "tracking", "category"],
    ["SHEET", "Steel sheet 2mm", "raw", "ea", "38.20", "5", "lot", "Sheet metal"],
    ["BOLT", "M8 bolt", "purchased", "ea", "0.1", "0.1", "none", ""],
    ["BRK", "Bracket", "manufactured", "ea", "12.5", "0", "none", "Brackets"],
]
BOM_LINES = [
    ["parent_sku", "revision", "component_sku", "quantity", "unit", "scrap_pct", "phantom", "reference"],
    ["BRK", "", "SHEET", "0.25", "ea", "2", "false", "Laser cut"],
    ["BRK", "", "BOLT", "4", "", "", "", ""],
]
LOCATIONS = [
    ["Code", "Name", "Kind", "Site", "Parent"],  # header names are case-insensitive
    ["WH1", "Warehouse 1", "warehouse", "MAIN", ""],
    ["WH1-A", "Aisle A", "zone", "", "WH1"],
    ["WH1-A-01", "Bin A1", "bin", "MAIN", "WH1-A"],
]
STOCK = [
    ["sku", "location", "quantity", "unit", "lot", "unit_cost"],
    ["SHEET", "WH1-A-01", "12", "ea", "HEAT-1", "37.5"],
    ["BOLT", "WH1-A-01", "1000", "", "", ""],
]


def as_csv(rows, bom=False) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()


def as_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([_numeric(v) for v in row])  # numbers as real numeric cells, as a spreadsheet keeps them
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _numeric(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if number.is_integer() else number


def encode(rows, fmt):
    return as_csv(rows, bom=True) if fmt == "csv" else as_xlsx(rows)


@pytest.fixture
def org(db):
    org, owner = make_org("Importers")
    with org_scope(org):
        catalog_services.uom_create(actor=owner, code="ea", name="Each", kind="count")
        catalog_services.uom_create(actor=owner, code="kg", name="Kilogram", kind="mass")
        facility_services.site_create(actor=owner, code="MAIN", name="Main plant")
    org.owner = owner
    return org


@pytest.fixture
def client(org):
    return login_client(org.owner.user, org)


def upload(client, kind, content, fmt="csv", *, dry_run=False, name=None):
    """POST the file; when it is accepted (202, a job), run the worker and answer with the finished job's GET."""
    file = SimpleUploadedFile(name or f"{kind}.{fmt}", content)
    query = "?dry_run=true" if dry_run else ""
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job's task is enqueued when the upload commits
        response = client.post(f"/api/v1/imports/{kind}{query}", {"file": file})
    if response.status_code != 202:
        return response
    assert response.json()["status"] == "queued"
    run_tasks()
    return client.get(response.json()["url"])


def report(response) -> dict:
    """A finished import job as its summary and its errors (what the import used to answer directly)."""
    job = response.json()
    assert job["status"] in ("succeeded", "failed"), job
    return {**job["result"], "errors": job["errors"]}


def import_all(client, fmt):
    for kind, rows in (("items", ITEMS), ("bom-lines", BOM_LINES), ("locations", LOCATIONS), ("opening-stock", STOCK)):
        response = upload(client, kind, encode(rows, fmt), fmt)
        assert response.status_code == 200 and response.json()["status"] == "succeeded", response.content
        body = report(response)
        assert body["errors"] == [] and body["created"] == len(rows) - 1 and body["dry_run"] is False


def counts(org):
    with org_scope(org):
        return (
            Item.objects.count(),
            BomLine.objects.count(),
            Location.objects.count(),
            StockMove.objects.count(),
            Category.objects.count(),
            AuditEvent.objects.exclude(object_type="jobs.job").count(),  # starting a job is recorded (who asked)
        )


def test_dry_run_reports_every_bad_cell_and_writes_nothing(org, client):
    rows = [
        ["sku", "name", "type", "unit", "standard_cost", "lead_time_days", "active"],
        ["OK-1", "Fine", "raw", "ea", "1", "2", "yes"],
        ["", "No sku", "raw", "ea", "abc", "1.5", "maybe"],
        ["OK-1", "Duplicate sku", "gadget", "lb", "-1", "", ""],
    ]
    before = counts(org)
    response = upload(client, "items", as_csv(rows), dry_run=True)
    assert response.json()["status"] == "succeeded"  # a dry run's report is its answer, errors included
    body = report(response)
    assert body["dry_run"] is True and body["rows"] == 3 and body["created"] == 0
    found = {(e["row"], e["column"]) for e in body["errors"]}
    assert found == {
        (3, "sku"),
        (3, "standard_cost"),
        (3, "lead_time_days"),
        (3, "active"),
        (4, "type"),
        (4, "unit"),
        (4, "standard_cost"),
    }
    assert all(e["message"] for e in body["errors"])
    assert counts(org) == before

    # once the cell errors are fixed, the duplicate SKU (a rule of the service) is reported on its row too
    rows[2] = ["OK-2", "Second", "raw", "ea", "1", "1", "no"]
    rows[3] = ["OK-1", "Duplicate sku", "raw", "kg", "1", "", ""]
    body = report(upload(client, "items", as_csv(rows), dry_run=True))
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(4, "sku")]
    assert "already exists" in body["errors"][0]["message"]
    assert counts(org) == before


def test_a_clean_dry_run_counts_and_writes_nothing(org, client):
    before = counts(org)
    response = upload(client, "items", as_csv(ITEMS), dry_run=True)
    assert response.status_code == 200 and response.json()["status"] == "succeeded"
    assert report(response) == {"kind": "items", "dry_run": True, "rows": 3, "created": 3, "errors": []}
    assert response.json()["done"] == response.json()["total"] == 3
    assert counts(org) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_good_file_of_each_kind_imports_with_its_audit_events(org, client, fmt):
    events = counts(org)[-1]
    import_all(client, fmt)
    with org_scope(org):
        assert Item.objects.count() == 3
        bracket = Item.objects.get(sku="BRK")
        assert bracket.make_buy == "make" and bracket.category.name == "Brackets"
        lines = {line.component.sku: line for line in BomLine.objects.filter(bom__item=bracket)}
        assert lines["SHEET"].quantity == D("0.25") and lines["SHEET"].scrap_pct == D("2")
        assert lines["BOLT"].quantity == D("4") and lines["BOLT"].uom.code == "ea"
        assert Location.objects.get(code="WH1-A-01").parent.code == "WH1-A"
        assert Location.objects.get(code="WH1-A").site.code == "MAIN"  # the parent's site
        sheet = StockLevel.objects.get(item__sku="SHEET")
        assert sheet.on_hand == D("12") and sheet.lot.code == "HEAT-1"
        assert StockLevel.objects.get(item__sku="BOLT").on_hand == D("1000")
        assert set(StockMove.objects.values_list("reference", flat=True)) == {"Opening stock"}
        new_events = AuditEvent.objects.order_by("seq")[events:]
        types = {e.object_type for e in new_events if e.action == Action.CREATE}
    assert {"catalog.item", "catalog.category", "catalog.bom", "catalog.bomline", "inventory.location"} <= types
    assert "inventory.stockmove" in types


def test_one_bad_row_among_good_ones_imports_nothing(org, client):
    import_all(client, "csv")
    before = counts(org)
    rows = [*STOCK, ["BOLT", "NOWHERE", "5", "", "", ""], ["SHEET", "WH1-A-01", "3", "", "", ""]]
    response = upload(client, "opening-stock", as_csv(rows))
    assert response.json()["status"] == "failed"  # refused: the report names every row and column
    errors = [(e["row"], e["column"]) for e in response.json()["errors"]]
    assert errors == [(4, "location"), (5, "lot")]  # an unknown code; a lot-tracked item without a lot
    assert "nothing was imported" in response.json()["message"]
    assert counts(org) == before


def test_float_like_xlsx_cells_stay_exact_decimals(org, client):
    rows = [["sku", "name", "type", "unit", "standard_cost", "safety_stock", "weight_kg"], ["P1", "Pin", "raw", "ea"]]
    rows[1] += [0.1, 0.3, 1.1]  # floats in the sheet: 0.1 is 0.1000000000000000055... as a binary float
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    assert upload(client, "items", out.getvalue(), "xlsx").json()["status"] == "succeeded"
    with org_scope(org):
        pin = Item.objects.get(sku="P1")
    assert (pin.standard_cost, pin.safety_stock, pin.weight_kg) == (D("0.1"), D("0.3"), D("1.1"))


def test_a_text_where_a_number_belongs_in_xlsx_is_a_field_error(org, client):
    rows = [["sku", "name", "type", "unit", "safety_stock"], ["P1", "Pin", "raw", "ea", "lots"]]
    body = report(upload(client, "items", as_xlsx(rows), "xlsx", dry_run=True))
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "safety_stock")]
    refused = upload(client, "items", as_xlsx(rows), "xlsx").json()
    assert refused["status"] == "failed" and [(e["row"], e["column"]) for e in refused["errors"]] == [
        (2, "safety_stock")
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_imports_back_unchanged(org, client, fmt, db):
    import_all(client, "csv")
    exports = {}
    for kind in ("items", "bom-lines", "locations", "opening-stock"):
        response = client.get(f"/api/v1/exports/{kind}?format={fmt}")
        assert response.status_code == 200
        exports[kind] = response.content
    with org_scope(org):
        event = AuditEvent.objects.filter(action=Action.EXPORT).order_by("-seq").first()
    assert event.object_type == "inventory.stockmove"
    assert event.metadata == {"kind": "opening-stock", "format": fmt, "count": 2}

    other, owner = make_org("Second site")
    with org_scope(other):
        catalog_services.uom_create(actor=owner, code="ea", name="Each", kind="count")
        catalog_services.uom_create(actor=owner, code="kg", name="Kilogram", kind="mass")
        facility_services.site_create(actor=owner, code="MAIN", name="Main plant")
    client2 = login_client(owner.user, other)
    for kind, content in exports.items():
        response = upload(client2, kind, content, fmt)
        assert response.json()["status"] == "succeeded", (kind, response.content)
    for kind, content in exports.items():
        again = client2.get(f"/api/v1/exports/{kind}?format={fmt}").content
        assert read_rows(again, fmt) == read_rows(content, fmt), kind


def read_rows(content, fmt):
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def test_file_problems_are_400_with_the_error_body(org, client):
    response = upload(client, "items", b"sku,name\n", name="items.txt")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Upload a .csv or .xlsx file.",
        "code": "bad_file",
        "errors": [{"field": "file", "message": "Upload a .csv or .xlsx file.", "code": "bad_file"}],
    }
    # a file that cannot be read fails its job with the reason (the upload itself was a file of the right type)
    unreadable = upload(client, "items", b"not a zip", "xlsx").json()
    assert unreadable["status"] == "failed" and unreadable["message"] and unreadable["errors"] == []
    latin = upload(client, "items", "sku\n\xe9".encode("latin-1")).json()
    assert latin["status"] == "failed" and "UTF-8" in latin["message"]
    response = client.post("/api/v1/imports/items", {})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "file"
    body = report(upload(client, "items", as_csv([["sku", "colour"], ["X", "red"]]), dry_run=True))
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(1, "colour"), (1, "name"), (1, "type"), (1, "unit")}


def test_row_and_size_caps(org, client, monkeypatch):
    from factoryos.imports import formats

    monkeypatch.setattr(formats, "MAX_ROWS", 2)
    response = upload(client, "items", as_csv(ITEMS))
    assert response.json()["status"] == "failed" and "more than 2 rows" in response.json()["message"]
    monkeypatch.setattr(formats, "MAX_BYTES", 10)
    assert "larger than" in upload(client, "items", as_csv(ITEMS)).json()["detail"]


def test_a_viewer_cannot_import_but_may_export(org):
    viewer = add_member(org, role="viewer")
    client = login_client(viewer.user, org)
    before = counts(org)
    assert upload(client, "items", as_csv(ITEMS)).status_code == 403
    assert upload(client, "locations", as_csv(LOCATIONS)).status_code == 403
    assert client.get("/api/v1/exports/items?format=xlsx").status_code == 200
    assert counts(org)[:5] == before[:5]
    response = client.post("/control/import-export/items/upload/", {"file": SimpleUploadedFile("i.csv", as_csv(ITEMS))})
    assert response.status_code == 403


def test_web_page_dry_run_then_confirm(org, client):
    page = client.get("/control/import-export/?kind=items")
    assert page.status_code == 200 and b"Import / export" in page.content
    url = "/control/import-export/items/upload/"
    bad = [*ITEMS, ["", "x", "raw", "ea", "", "", "", ""]]
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"action": "dry_run", "file": SimpleUploadedFile("items.csv", as_csv(bad))})
    assert response.status_code == 302  # to the job's page: the request does not wait for the check
    job_page = response["Location"]
    waiting = client.get(job_page)
    assert (
        waiting.status_code == 200 and b'hx-trigger="every 1s"' in waiting.content and b"<progress" in waiting.content
    )
    run_tasks()
    checked = client.get(job_page, HTTP_HX_REQUEST="true")  # the panel's poll: the partial, now the report
    assert b"import-errors" in checked.content and b"hx-trigger" not in checked.content  # finished: polling stops
    assert b"<html" not in checked.content and b"Nothing was imported" in checked.content

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"action": "dry_run", "file": SimpleUploadedFile("items.csv", as_csv(ITEMS))})
    run_tasks()
    page = client.get(response["Location"])
    assert counts(org)[0] == 0 and b"all 3 rows are valid" in page.content
    checked_job = re.search(rb'name="job" value="(\d+)"', page.content).group(1).decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"action": "import", "job": checked_job})  # the file is not asked again
    assert response.status_code == 302
    run_tasks()
    assert counts(org)[0] == 3
    assert b"Imported 3 items from items.csv." in client.get(response["Location"]).content
    again = client.post(url, {"action": "import", "job": checked_job})  # one import per check
    assert again.status_code == 400 and b"That upload has expired" in again.content
    for path in ("export", "template"):
        for fmt in ("csv", "xlsx"):
            download = client.get(f"/control/import-export/items/{path}/?format={fmt}")
            assert download.status_code == 200 and download["Content-Disposition"].endswith(f'.{fmt}"')


# A cell that fills a model field accepts what the model accepts at its edges (kernel/limits.py), and a cell past them
# is an error of its column before the row reaches the service, alongside the row's other bad cells.
VALID = {
    "items": {"sku": "EDGE", "name": "Edge", "type": "raw", "unit": "ea"},
    "bom-lines": {"parent_sku": "BRK", "component_sku": "BOLT", "quantity": "1"},
    "locations": {"code": "EDGE", "name": "Edge", "kind": "bin", "parent": "WH1-A"},
    "opening-stock": {"sku": "SHEET", "location": "WH1-A-01", "quantity": "1", "lot": "L1"},
}
ANOTHER_BAD_CELL = {  # reported with the cell under test
    "items": {"type": "gadget"},
    "bom-lines": {"quantity": "abc"},
    "locations": {"kind": "shelf"},
    "opening-stock": {"quantity": "abc"},
}
TEXT_CELLS = [
    ("items", "sku", Item, "sku"),
    ("items", "name", Item, "name"),
    ("items", "description", Item, "description"),
    ("items", "material", Item, "material"),
    ("items", "category", Category, "name"),
    ("bom-lines", "reference", BomLine, "reference"),
    ("locations", "code", Location, "code"),
    ("locations", "name", Location, "name"),
    ("opening-stock", "lot", Lot, "code"),
]
ITEM_NUMBERS = ("standard_cost", "lead_time_days", "safety_stock", "reorder_point", "reorder_qty", "min_order_qty")
NUMBER_CELLS = [
    *[("items", name, Item, name) for name in (*ITEM_NUMBERS, "order_multiple", "weight_kg")],
    ("bom-lines", "quantity", BomLine, "quantity"),
    ("bom-lines", "scrap_pct", BomLine, "scrap_pct"),
    ("opening-stock", "unit_cost", StockMove, "unit_cost"),
]


def dry_run_errors(client, kind, cells):
    row = {**VALID[kind], **cells}
    body = report(upload(client, kind, as_csv([list(row), list(row.values())]), dry_run=True))
    return [(e["column"], e["message"]) for e in body["errors"]]


@pytest.mark.parametrize(("kind", "column", "model", "field"), TEXT_CELLS)
def test_a_text_cell_is_as_long_as_its_model_field(org, client, kind, column, model, field):
    import_all(client, "csv")
    longest = of(model, field).max_length
    assert dry_run_errors(client, kind, {column: "x" * longest}) == []
    too_long = dry_run_errors(client, kind, {column: "x" * (longest + 1), **ANOTHER_BAD_CELL[kind]})
    other = next(iter(ANOTHER_BAD_CELL[kind]))
    assert sorted(c for c, _ in too_long) == sorted([column, other])  # every bad cell of the row, at once
    assert (column, f"At most {longest} characters (this has {longest + 1}).") in too_long


@pytest.mark.parametrize(("kind", "column", "model", "field"), NUMBER_CELLS)
def test_a_number_cell_is_in_its_model_fields_range(org, client, kind, column, model, field):
    import_all(client, "csv")
    bounds = of(model, field)
    assert bounds.min_value is not None
    assert dry_run_errors(client, kind, {column: str(bounds.min_value)}) == []
    below = dry_run_errors(client, kind, {column: str(bounds.min_value - 1)})
    assert [c for c, _ in below] == [column]
    if bounds.max_value is not None:
        assert dry_run_errors(client, kind, {column: str(bounds.max_value)}) == []
        above = dry_run_errors(client, kind, {column: str(bounds.max_value + 1)})
        assert above == [(column, f"Must be at most {bounds.max_value}.")]
