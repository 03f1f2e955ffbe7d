"""People: employee records for administrators only (everyone else gets 404), encrypted contact details, every
read of a record on the audit trail, and clear field errors that write nothing."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from factoryos.audit.models import AuditEvent
from factoryos.kernel.errors import DomainError
from factoryos.kernel.events import Action
from factoryos.kernel.fields import is_ciphertext
from factoryos.kernel.permissions import ROLE_PERMISSIONS, BuiltinRole
from factoryos.kernel.tenancy import org_scope
from factoryos.people import services
from factoryos.people.models import Employee, EmployeeSkill, ShiftAssignment
from tests.factories import add_member, key_client, login_client, make_key, make_world

NON_ADMIN_ROLES = [r.value for r in BuiltinRole if "people.view" not in ROLE_PERMISSIONS[r]]
# Every personal field of an employee (privacy policy: employee data is encrypted at rest).
ENCRYPTED = (
    "first_name",
    "last_name",
    "job_title",
    "department",
    "employment_start",
    "labour_rate",
    "emergency_contact_name",
    "emergency_contact_phone",
    "home_address",
)


@pytest.fixture
def admin(member_client):
    return member_client("admin")


def _events(world) -> list[AuditEvent]:
    with org_scope(world.org):
        return list(AuditEvent.objects.order_by("seq"))


def _count(world, model) -> int:
    with org_scope(world.org):
        return model.objects.count()


def _raw(employee_id: int) -> dict:
    table = connection.ops.quote_name(Employee._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [employee_id])
        columns = [c[0] for c in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def _without_csrf(html: bytes) -> bytes:
    return re.sub(rb"[A-Za-z0-9]{64}", b"", html)  # the masked CSRF token differs on every response


def _full_body(world, **overrides) -> dict:
    body = {
        "user": world.target.user_id,
        "employee_number": "E-042",
        "first_name": "Priya",
        "last_name": "Raman",
        "job_title": "Laser operator",
        "department": "Cutting",
        "site": world.pk("facilities.site"),
        "employment_start": "2023-08-14",
        "labour_rate": "51.75",
        "active": True,
        "emergency_contact_name": "Arun Raman",
        "emergency_contact_phone": "+61 433 987 654",
        "home_address": "5 Jacaranda Rd, Blacktown NSW 2148",
        "work_centers": [world.pk("facilities.workcenter")],
        "skills": [
            {"skill": world.pk("people.skill#tig"), "level": 2},
            {"skill": world.pk("people.skill"), "level": 5},
        ],
    }
    return {**body, **overrides}


def _comparable(body: dict) -> dict:
    """An EmployeeOut as the input it came from (ids for relations, skills as {skill, level})."""
    out = {k: v for k, v in body.items() if k not in {"id", "user_id", "site_id", "skills"}}
    out["user"], out["site"] = body["user_id"], body["site_id"]
    out["skills"] = sorted(({"skill": s["skill_id"], "level": s["level"]} for s in body["skills"]), key=str)
    return out


# -- round trips --------------------------------------------------------------------------------------------------
def test_admin_round_trip_of_every_field_through_the_api(admin, world):
    body = _full_body(world)
    created = admin.post("/api/v1/employees", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    got = admin.get(f"/api/v1/employees/{pk}").json()
    expected = {**body, "skills": sorted(body["skills"], key=str)}
    assert _comparable(got) == expected

    other_site = admin.post("/api/v1/sites", {"code": "WEST", "name": "West"}, content_type="application/json")
    changes = {
        "user": None,
        "employee_number": "E-043",
        "first_name": "Priyanka",
        "last_name": "Raman-Iyer",
        "job_title": "Leading hand",
        "department": "Welding",
        "site": other_site.json()["id"],
        "employment_start": "2023-09-01",
        "labour_rate": "58.10",
        "active": False,
        "emergency_contact_name": "Meera Iyer",
        "emergency_contact_phone": "+61 2 9600 1234",
        "home_address": "Unit 4, 20 Station St, Parramatta NSW 2150",
        "work_centers": [],
        "skills": [{"skill": world.pk("people.skill#tig"), "level": 4}],
    }
    patched = admin.patch(f"/api/v1/employees/{pk}", changes, content_type="application/json")
    assert patched.status_code == 200, patched.content
    assert _comparable(admin.get(f"/api/v1/employees/{pk}").json()) == changes
    listed = admin.get("/api/v1/employees?department=Welding&active=false&ordering=-employee_number").json()
    assert [e["employee_number"] for e in listed["items"]] == ["E-043"]


def test_admin_round_trip_of_every_field_through_the_form(admin, world):
    assert admin.get("/people/new/").status_code == 200
    tig, spare = world.pk("people.skill#tig"), world.pk("people.skill")
    form = {
        "employee_number": "E-100",
        "first_name": "Jordan",
        "last_name": "Kelly",
        "job_title": "Painter",
        "department": "Finishing",
        "site": world.pk("facilities.site"),
        "user": world.target.user_id,
        "employment_start": "2022-05-09",
        "labour_rate": "46.20",
        "active": "on",
        "emergency_contact_name": "Casey Kelly",
        "emergency_contact_phone": "+61 455 101 202",
        "home_address": "9 Waratah Pde\nPenrith NSW 2750",
        "work_centers": [world.pk("facilities.workcenter")],
        f"skill_{tig}": "3",
    }
    response = admin.post("/people/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    with org_scope(world.org):
        employee = Employee.objects.get(employee_number="E-100")
        assert response["Location"] == f"/people/{employee.pk}/"
        expected = {
            **{k: form[k] for k in ("employee_number", "first_name", "last_name", "job_title", "department")},
            **{k: form[k] for k in ENCRYPTED},
            "site": world.objects["facilities.site"],
            "user": world.target.user,
            "employment_start": date(2022, 5, 9),
            "labour_rate": Decimal("46.20"),
            "active": True,
        }
        assert {k: getattr(employee, k) for k in expected} == expected
        assert [wc.pk for wc in employee.work_centers.all()] == [world.pk("facilities.workcenter")]
        assert {(r.skill_id, r.level) for r in EmployeeSkill.objects.filter(employee=employee)} == {(tig, 3)}

    edit = admin.get(f"/people/{employee.pk}/edit/")
    assert edit.status_code == 200 and b"Casey Kelly" in edit.content and b"46.20" in edit.content
    assert b'value="2022-05-09"' in edit.content  # the date input takes ISO dates only
    changed = {
        **form,
        "first_name": "Jordyn",
        "site": "",
        "user": "",
        "labour_rate": "47.00",
        "emergency_contact_phone": "+61 455 999 000",
        "home_address": "1 New St\nPenrith NSW 2750",
        "work_centers": [],
        f"skill_{tig}": "",
        f"skill_{spare}": "5",
    }
    changed.pop("active")  # unchecked
    response = admin.post(f"/people/{employee.pk}/edit/", changed)
    assert response.status_code == 302, response.content.decode()[:2000]
    with org_scope(world.org):
        employee = Employee.objects.get(pk=employee.pk)
        assert (employee.first_name, employee.site, employee.user, employee.active) == ("Jordyn", None, None, False)
        assert employee.labour_rate == Decimal("47.00")
        assert employee.emergency_contact_phone == "+61 455 999 000"
        assert employee.home_address == "1 New St\nPenrith NSW 2750"
        assert not employee.work_centers.exists()
        assert {(r.skill_id, r.level) for r in EmployeeSkill.objects.filter(employee=employee)} == {(spare, 5)}

    page = admin.get(f"/people/{employee.pk}/").content.decode()
    for text in ("Jordyn", "Casey Kelly", "+61 455 999 000", "1 New St<br>Penrith NSW 2750", "Forklift licence"):
        assert text in page


def test_skill_and_work_center_changes_are_audited_on_the_employee(world):
    employee = world.objects["people.employee"]
    with org_scope(world.org):
        services.employee_set_skills(
            actor=world.owner, employee=employee, skills=[{"skill": world.pk("people.skill"), "level": 1}]
        )
        services.employee_set_work_centers(actor=world.owner, employee=employee, work_centers=[])
        skills_event, wc_event = AuditEvent.objects.order_by("-seq")[1], AuditEvent.objects.order_by("-seq")[0]
    assert skills_event.action == Action.UPDATE and skills_event.object_id == str(employee.pk)
    # Employee records are private: the trail says what changed and how many, never the skills or work centers.
    assert skills_event.changes == {"skills": ["••••••", "••••••"]} and skills_event.metadata == {"count": [1, 1]}
    assert wc_event.changes == {"work_centers": ["••••••", "••••••"]} and wc_event.metadata == {"count": [1, 0]}
    before = len(_events(world))
    with org_scope(world.org):  # setting the same again changes nothing and records nothing
        services.employee_set_work_centers(actor=world.owner, employee=employee, work_centers=[])
    assert len(_events(world)) == before


# -- encryption ---------------------------------------------------------------------------------------------------
def test_every_personal_field_is_ciphertext_in_the_raw_row(admin, world):
    body = _full_body(world, user=None)
    pk = admin.post("/api/v1/employees", body, content_type="application/json").json()["id"]
    with org_scope(world.org):  # raw SQL is bound by row-level security on PostgreSQL too
        raw = _raw(pk)
    for name in ENCRYPTED:
        assert is_ciphertext(raw[name]), name
        assert all(body[name] not in str(value) for value in raw.values()), name
    plain = " ".join(str(value) for name, value in raw.items() if name not in ENCRYPTED).lower()
    for text in ("Priya", "Raman", "Laser", "Cutting", "2023", "51.75", "51,75"):  # nor any part of them elsewhere
        assert text.lower() not in plain, text
    assert raw["employee_number"] == "E-042"  # the number is the plain handle the database sorts and joins on
    event = next(e for e in reversed(_events(world)) if e.action == Action.CREATE)
    assert (event.object_type, event.object_id) == ("people.employee", str(pk))
    assert all(event.changes[name] == [None, "••••••"] for name in ENCRYPTED)


# -- administrators only ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_non_admins_get_404_and_no_menu_entry(world, role):
    assert role in {"planner", "engineer", "operator", "sales", "purchasing", "accountant", "viewer"}
    client = login_client(add_member(world.org, role=role).user, world.org)
    pk = world.pk("people.employee")
    before = len(_events(world))
    for url in (f"/people/{pk}/", f"/people/{pk}/edit/", "/people/", "/people/new/"):
        response = client.get(url)
        assert response.status_code == 404, url
        missing = client.get(url.replace(str(pk), "987654"))  # the same page as for no such record
        assert _without_csrf(response.content) == _without_csrf(missing.content)
    assert client.post(f"/people/{pk}/delete/").status_code == 404
    for url in (f"/api/v1/employees/{pk}", "/api/v1/employees", f"/api/v1/skills/{world.pk('people.skill')}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found.", "code": "not_found", "errors": []}, url
    assert (
        client.patch(f"/api/v1/employees/{pk}", {"job_title": "x"}, content_type="application/json").status_code == 404
    )
    assert client.delete(f"/api/v1/employees/{pk}").status_code == 404
    assert len(_events(world)) == before  # not even a VIEW
    home = client.get("/")
    assert home.status_code == 200 and b'href="/people/"' not in home.content and b">People<" not in home.content
    with org_scope(world.org):
        assert Employee.objects.get(pk=pk).job_title == "Welder"


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_admins_see_the_menu_entry_and_the_list(world, role):
    member = world.owner if role == "owner" else add_member(world.org, role=role)
    client = login_client(member.user, world.org)
    assert b'href="/people/"' in client.get("/").content
    page = client.get("/people/?q=nguyen&department=Fabrication&active=1&sort=-employment_start")
    assert page.status_code == 200 and b"Nguyen, Alex" in page.content
    assert b"No employee matches" in client.get("/people/?active=0").content


def test_an_api_key_without_the_people_scope_gets_404(world):
    _, token = make_key(world.owner, scopes={"facilities": "write"})
    response = key_client(token).get(f"/api/v1/employees/{world.pk('people.employee')}")
    assert response.status_code == 404
    _, token = make_key(world.owner, scopes={"people": "read"})
    assert key_client(token).get(f"/api/v1/employees/{world.pk('people.employee')}").status_code == 200


# -- every read is audited ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/people/{pk}/", "/api/v1/employees/{pk}"])
def test_each_view_of_an_employee_record_writes_exactly_one_view_event(admin, world, url):
    pk = world.pk("people.employee")
    before = len(_events(world))
    for n in (1, 2):
        assert admin.get(url.format(pk=pk)).status_code == 200
        events = _events(world)
        assert len(events) == before + n
        assert (events[-1].action, events[-1].object_type, events[-1].object_id) == (
            Action.VIEW,
            "people.employee",
            str(pk),
        )


# -- bad input ----------------------------------------------------------------------------------------------------
def test_bad_input_is_a_field_error_and_writes_nothing(admin, world):
    other = make_world()
    employee = world.pk("people.employee")
    counts = lambda: (  # noqa: E731
        len(_events(world)),
        _count(world, Employee),
        _count(world, EmployeeSkill),
        _count(world, ShiftAssignment),
    )
    before = counts()
    cases = [
        ("POST", "/api/v1/employees", _full_body(world, labour_rate="-1.00"), 422, "labour_rate", None),
        ("PATCH", f"/api/v1/employees/{employee}", {"labour_rate": "-0.01"}, 422, "labour_rate", None),
        (
            "POST",
            "/api/v1/employees",
            _full_body(world, skills=[{"skill": 1, "level": 6}]),
            422,
            "skills.0.level",
            None,
        ),
        ("PATCH", f"/api/v1/employee-skills/{world.pk('people.employeeskill')}", {"level": 6}, 422, "level", None),
        (
            "POST",
            "/api/v1/employee-skills",
            {"employee": employee, "skill": world.pk("people.skill"), "level": 6},
            422,
            "level",
            None,
        ),
        ("POST", "/api/v1/employees", _full_body(world, site=987654), 400, "site", "No site with id 987654."),
        (
            "POST",
            "/api/v1/employees",
            _full_body(world, site=other.pk("facilities.site")),
            400,
            "site",
            f"No site with id {other.pk('facilities.site')}.",
        ),
        (
            "PATCH",
            f"/api/v1/employees/{employee}",
            {"site": other.pk("facilities.site")},
            400,
            "site",
            f"No site with id {other.pk('facilities.site')}.",
        ),
        ("POST", "/api/v1/employees", _full_body(world, user=other.owner.user_id), 400, "user", None),
        ("POST", "/api/v1/employees", _full_body(world, employee_number="E-001"), 400, "employee_number", None),
        (
            "POST",
            "/api/v1/employees",
            _full_body(world, work_centers=[other.pk("facilities.workcenter")]),
            400,
            "work_centers",
            None,
        ),
        ("POST", "/api/v1/employees", _full_body(world, work_centers=[2**63, -1]), 400, "work_centers", None),
        (
            "PATCH",
            f"/api/v1/employees/{employee}",
            {"skills": [{"skill": 2**64, "level": 1}]},
            400,
            "skills",
            f"No skill with id {2**64}.",
        ),
        (
            "POST",
            "/api/v1/shift-assignments",
            {
                "employee": employee,
                "shift": world.pk("facilities.shift"),
                "valid_from": "2026-05-01",
                "valid_to": "2026-04-30",
            },
            400,
            "valid_to",
            None,
        ),
        (
            "POST",
            "/api/v1/shift-assignments",
            {"employee": employee, "shift": other.pk("facilities.shift"), "valid_from": "2026-05-01"},
            400,
            "shift",
            None,
        ),
    ]
    for method, url, body, status, field, message in cases:
        response = admin.generic(method, url, json.dumps(body), content_type="application/json")
        assert response.status_code == status, (method, url, response.content)
        errors = response.json()["errors"]
        assert field in [e["field"] for e in errors], (method, url, errors)
        if message:
            assert any(e["field"] == field and e["message"] == message and e["code"] for e in errors), errors
        assert counts() == before, (method, url)

    # the web form: the same rules, shown on the field, nothing written
    form = {"employee_number": "E-200", "first_name": "A", "last_name": "B", "employment_start": "2024-01-01"}
    for field, value in (("labour_rate", "-5"), ("site", other.pk("facilities.site"))):
        response = admin.post("/people/new/", {**form, "labour_rate": "1", field: value})
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert counts() == before

    # and the services themselves
    with org_scope(world.org):
        with pytest.raises(ValidationError) as exc:
            services.employee_create(actor=world.owner, **{**form, "labour_rate": Decimal("-1")})
        assert "labour_rate" in exc.value.message_dict
        with pytest.raises(DomainError) as refused:
            services.employee_set_skills(
                actor=world.owner,
                employee=world.objects["people.employee"],
                skills=[{"skill": world.pk("people.skill"), "level": 6}],
            )
        assert (refused.value.field, refused.value.code) == ("skills", "out_of_range")
    assert counts() == before


def test_a_user_account_is_linked_to_at_most_one_employee(admin, world):
    linked = admin.post("/api/v1/employees", _full_body(world), content_type="application/json")
    assert linked.status_code == 201
    again = admin.post("/api/v1/employees", _full_body(world, employee_number="E-777"), content_type="application/json")
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "user"
    unlinked = [
        admin.post(
            "/api/v1/employees",
            _full_body(world, employee_number=f"E-80{n}", user=None),
            content_type="application/json",
        ).status_code
        for n in range(2)
    ]
    assert unlinked == [201, 201]  # any number of employees without an account


def test_a_skill_in_use_and_a_shift_in_use_cannot_be_deleted(admin, world):
    skill = admin.delete(f"/api/v1/skills/{world.pk('people.skill#tig')}")
    assert skill.status_code == 400 and "still used by" in skill.json()["errors"][0]["message"]
    shift = admin.delete(f"/api/v1/shifts/{world.pk('facilities.shift')}")
    assert shift.status_code == 400 and "shift assignment" in shift.json()["errors"][0]["message"]
    gone = admin.delete(f"/api/v1/employees/{world.pk('people.employee')}")
    assert gone.status_code == 204
    with org_scope(world.org):
        assert not EmployeeSkill.objects.exists() and not ShiftAssignment.objects.exists()


def test_an_admin_assigns_and_removes_shifts_on_the_employee_page(world):
    from factoryos.people.models import ShiftAssignment
    from tests.factories import login_client

    employee = world.objects["people.employee"]
    client = login_client(world.owner.user, world.org)
    page = client.get(f"/people/{employee.pk}/").content.decode()
    assert "Assign shift" in page
    response = client.post(
        f"/people/{employee.pk}/shifts/", {"shift": world.pk("facilities.shift"), "valid_from": "2027-01-04"}
    )
    assert response.status_code == 302
    with org_scope(world.org):
        assignment = ShiftAssignment.objects.filter(employee=employee).order_by("-pk").first()
        assert str(assignment.valid_from) == "2027-01-04"
    with org_scope(world.org):
        before = ShiftAssignment.objects.count()
    bad = client.post(
        f"/people/{employee.pk}/shifts/",
        {"shift": world.pk("facilities.shift"), "valid_from": "2027-02-01", "valid_to": "2027-01-01"},
        follow=True,
    )
    assert bad.status_code == 200 and "flash-error" in bad.content.decode()  # the refusal is shown
    with org_scope(world.org):
        assert ShiftAssignment.objects.count() == before  # and nothing was written
    assert client.post(f"/people/shift-assignments/{assignment.pk}/delete/").status_code == 302
    with org_scope(world.org):
        assert not ShiftAssignment.objects.filter(pk=assignment.pk).exists()
