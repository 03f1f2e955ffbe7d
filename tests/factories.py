"""Small builders for tests: people, organizations, members, keys, and a populated 'world' per organization."""

from __future__ import annotations

import contextlib
import itertools
import re
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db import transaction
from django.test import Client

from factoryos.accounts import services as account_services
from factoryos.accounts.models import ApiKey, User
from factoryos.audit import selectors as audit_selectors
from factoryos.audit.models import AuditEvent
from factoryos.core import services
from factoryos.core.middleware import SESSION_ORG_KEY
from factoryos.core.models import Membership, Organization
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


HTMX = {"HTTP_HX_REQUEST": "true"}  # the header htmx sends: the page answers with a fragment


def page_text(response) -> str:
    """A page's HTML with runs of white space made one space, to assert on what a person reads."""
    return re.sub(r"\s+", " ", response.content.decode())


def page_cases(pages: list[tuple[str, str | None, list[str]]]) -> list:
    """``(URL name, world object label or None, texts the page shows)`` as pytest parameters, named by the page."""
    import pytest

    return [pytest.param(name, label, expected, id=f"{name}-{label}") for name, label, expected in pages]


def assert_page_shows(client: Client, world: World, name: str, label: str | None, expected: list[str]) -> None:
    """The page ``name`` (of the world's object ``label``, if it names one) answers 200 and shows every text."""
    from django.urls import reverse

    response = client.get(reverse(name, args=[world.pk(label)] if label else []))
    assert response.status_code == 200, f"{name}: {response.status_code}"
    page = page_text(response)
    missing = [snippet for snippet in expected if snippet not in page]
    assert missing == [], f"missing on {name}: {missing}"


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
    objects: dict[str, object] = field(default_factory=dict)

    @property
    def target(self) -> Membership:
        """A viewer others can act on."""
        return self.objects["core.membership"]

    def pk(self, label: str) -> int:
        return self.objects[label].pk


# Each app builds its part of a world in tests/<app>/world.py, in layer order (a later app uses earlier objects):
#   build(owner, objects) -> dict of new objects by label;  grow(owner, objects, n): n more rows of every list.
WORLD_APPS = (
    "core",
    "jobs",
    "documents",
    "facilities",
    "finance",
    "catalog",
    "partners",  # after the catalog: supplier items and price lists name its items
    "inventory",
    "people",
    "sales",
    "shipping",
    "purchasing",
    "production",
    "mrp",
    "books",
)


def _world_modules(upto: str | None = None):
    import importlib

    apps = WORLD_APPS[: WORLD_APPS.index(upto) + 1] if upto else WORLD_APPS
    return [importlib.import_module(f"tests.{app}.world") for app in apps]


def make_world(name: str | None = None, *, upto: str | None = None) -> World:
    """An organization with an object of every model (of the apps up to ``upto``, in WORLD_APPS' order)."""
    org, owner = make_org(name)
    objects: dict[str, object] = {}
    with transaction.atomic(), org_scope(org):
        for module in _world_modules(upto):
            objects.update(module.build(owner, objects))
        # An event every role with audit.view may see (not one about admin-only records, e.g. employees).
        hidden = audit_selectors.hidden_object_types(frozenset())
        objects["audit.auditevent"] = AuditEvent.objects.exclude(object_type__in=hidden).order_by("-seq").first()
    return World(org=org, owner=owner, objects=objects)


def grow_world(world: World, n: int) -> None:
    """Add ``n`` more rows to every list of the world (the query-count test: a page's queries must not grow)."""
    with transaction.atomic(), org_scope(world.org):
        for module in _world_modules():
            module.grow(world.owner, world.objects, n)
