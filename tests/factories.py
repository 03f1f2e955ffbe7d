"""Small builders for tests: people, organizations, members, keys, and a populated 'world' per organization."""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.test import Client

from factoryos.accounts import services as account_services
from factoryos.accounts.models import ApiKey, User
from factoryos.audit.models import AuditEvent
from factoryos.catalog import services as catalog_services
from factoryos.core import services
from factoryos.core.middleware import SESSION_ORG_KEY
from factoryos.core.models import Invitation, Membership, Organization, Role, TaxIdentifier
from factoryos.facilities import services as facility_services
from factoryos.kernel.permissions import Module
from factoryos.kernel.tenancy import org_scope, user_scope

PASSWORD = "Correct-Horse-Battery-9"
CHROME_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
_seq = itertools.count(1)


def make_user(email: str | None = None, *, password: str = PASSWORD, first_name: str = "Pat", **fields) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        email or f"person{n}@example.com", password, first_name=first_name, last_name=f"Tester{n}", **fields
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def make_org(name: str | None = None, *, owner: User | None = None, **fields) -> tuple[Organization, Membership]:
    owner = owner or make_user()
    with transaction.atomic(), user_scope(owner.pk):  # the RLS settings live inside a transaction
        return services.organization_create(owner=owner, legal_name=name or f"Org {next(_seq)} Pty Ltd", **fields)


def add_member(org: Organization, *, role: str = "viewer", user: User | None = None) -> Membership:
    user = user or make_user()
    with org_scope(org):
        return Membership.objects.create(org=org, user=user, role=role)


def make_key(member: Membership, scopes: dict[str, str] | None = None) -> tuple[ApiKey, str]:
    with org_scope(member.org):
        return account_services.api_key_create(
            actor=member, name="Integration", scopes=scopes or {m: "write" for m in Module.values}
        )


def login_client(user: User, org: Organization | None = None, *, ua: str = CHROME_UA) -> Client:
    client = Client(HTTP_USER_AGENT=ua, REMOTE_ADDR="203.0.113.7")
    client.force_login(user)
    if org is not None:
        session = client.session
        session[SESSION_ORG_KEY] = org.pk
        session.save()
    return client


@contextlib.contextmanager
def rolled_back():
    """Run a block (a request, say) in a savepoint that is rolled back: the next block sees the same world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def api_post(client: Client, path: str, body: dict, status: int = 201) -> dict:
    """POST JSON to /api/v1/<path>, assert the status, return the body."""
    response = client.post(f"/api/v1/{path}", body, content_type="application/json")
    assert response.status_code == status, response.content
    return response.json()


def key_client(token: str, *, ua: str = CHROME_UA) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_USER_AGENT=ua, REMOTE_ADDR="203.0.113.8")


@dataclass
class World:
    """One organization with one object of every tenant model, for sweeps and matrices."""

    org: Organization
    owner: Membership
    target: Membership  # a viewer others can act on
    objects: dict[str, object] = field(default_factory=dict)

    def pk(self, label: str) -> int:
        return self.objects[label].pk


def make_world(name: str | None = None) -> World:
    org, owner = make_org(name)
    with transaction.atomic(), org_scope(org):
        target = Membership.objects.create(org=org, user=make_user(), role="viewer")
        tax_id = services.tax_id_create(actor=owner, kind="ABN", country="AU", value="51 824 753 556")
        role = services.role_create(actor=owner, name=f"Inspector {next(_seq)}", permissions=["catalog.view"])
        invitation = services.invitation_create(
            actor=owner, email=f"invitee{next(_seq)}@example.com", role="viewer", base_url="http://testserver/"
        )
        key, _ = account_services.api_key_create(actor=owner, name="ERP link", scopes={"audit": "read"})
        objects = {
            "core.membership": target,
            "core.taxidentifier": tax_id,
            "core.role": role,
            "core.invitation": invitation,
            "accounts.apikey": key,
        }
        objects.update(facilities_world(owner))
        objects.update(catalog_world(owner, objects["facilities.workcenter"]))
        for builder in app_world_builders():
            objects.update(builder(owner, objects))
        objects["audit.auditevent"] = AuditEvent.objects.order_by("-seq").first()
    return World(org=org, owner=owner, target=target, objects=objects)


def app_world_builders():
    """Apps add their objects to the world in tests/<app>/world.py: ``build(owner, objects) -> dict``."""
    import importlib

    for app in ("inventory", "people"):
        try:
            module = importlib.import_module(f"tests.{app}.world")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"tests.{app}", f"tests.{app}.world"):
                raise  # a real import error inside the app's world module
            continue
        yield module.build


def catalog_world(owner: Membership, work_center) -> dict[str, object]:
    """Units (ea, kg), a sheet with an item-specific kg conversion, a bracket made from it with a released BOM and
    routing, and a draft revision 2 (the default object of each BOM model, so writes to it are allowed)."""
    ea = catalog_services.uom_create(actor=owner, code="ea", name="Each", kind="count")
    kg = catalog_services.uom_create(actor=owner, code="kg", name="Kilogram", kind="mass")
    category = catalog_services.category_create(actor=owner, name="Enclosures")
    tag = catalog_services.tag_create(actor=owner, name="stainless")
    sheet = catalog_services.item_create(
        actor=owner,
        sku="SHT-304-1.5",
        name="Sheet 304 1.5 mm 2400x1200",
        item_type="raw",
        uom=ea,
        standard_cost=Decimal("182.50"),
        material="SS304",
        tracking="lot",
        tags=[tag.pk],
    )
    conversion = catalog_services.conversion_create(
        actor=owner, from_uom=ea, to_uom=kg, factor=Decimal("34.6"), item=sheet
    )
    bracket = catalog_services.item_create(
        actor=owner,
        sku="BRK-100",
        name="Bracket 100",
        item_type="manufactured",
        uom=ea,
        category=category,
    )
    released = catalog_services.bom_create(actor=owner, item=bracket)
    catalog_services.operation_add(
        actor=owner,
        bom=released,
        work_center=work_center,
        description="Laser cut",
        setup_minutes=Decimal("10"),
        run_minutes_per_unit=Decimal("1.5"),
    )
    catalog_services.bom_line_add(actor=owner, bom=released, component=sheet, quantity=Decimal("0.05"))
    catalog_services.bom_release(actor=owner, bom=released)
    draft = catalog_services.bom_create(actor=owner, item=bracket)
    return {
        "catalog.unitofmeasure": ea,
        "catalog.unitofmeasure#kg": kg,
        "catalog.uomconversion": conversion,
        "catalog.category": category,
        "catalog.tag": tag,
        "catalog.item": bracket,
        "catalog.item#sheet": sheet,
        "catalog.bom": draft,
        "catalog.bom#draft": draft,
        "catalog.bom#released": released,
        "catalog.bomline": draft.lines.get(),
        "catalog.operation": draft.operations.get(),
    }


def facilities_world(owner: Membership) -> dict[str, object]:
    """A site with a day-shift calendar (a shift, a holiday, a closure) and one work center."""
    site = facility_services.site_create(actor=owner, code="MAIN", name="Main plant", city="Wetherill Park")
    calendar = facility_services.calendar_create(actor=owner, site=site, name="Day crew")
    shift = facility_services.shift_create(
        actor=owner, calendar=calendar, weekday=0, name="Day", start=time(7, 0), end=time(15, 30)
    )
    holiday = facility_services.holiday_create(
        actor=owner, calendar=calendar, date=date(2026, 12, 25), name="Christmas Day"
    )
    closure = facility_services.closure_create(
        actor=owner,
        calendar=calendar,
        starts_at=datetime(2026, 12, 11, 12),
        ends_at=datetime(2026, 12, 11, 17),
        reason="Stocktake",
    )
    work_center = facility_services.work_center_create(
        actor=owner,
        site=site,
        code="LSR1",
        name="Fibre laser 1",
        kind="laser",
        machine_rate=Decimal("120"),
        labour_rate=Decimal("65"),
        calendar=calendar,
    )
    return {
        "facilities.site": site,
        "facilities.calendar": calendar,
        "facilities.shift": shift,
        "facilities.holiday": holiday,
        "facilities.closure": closure,
        "facilities.workcenter": work_center,
    }


__all__ = ["ApiKey", "Invitation", "Role", "TaxIdentifier"]
