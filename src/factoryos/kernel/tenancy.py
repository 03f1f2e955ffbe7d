"""Tenant context and the two walls: ORM scoping (here) and PostgreSQL row-level security (rls.py).

The current organization lives in a context variable. The default manager of every tenant model filters by
it and raises when none is set. On PostgreSQL the same organization is written into the transaction with
``set_config('factoryos.org_id', ..., true)`` so that the database policies agree with the ORM.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import connection, models

if TYPE_CHECKING:
    from factoryos.core.models import Organization

_current_org: ContextVar[Organization | None] = ContextVar("factoryos_org", default=None)
_current_user_id: ContextVar[int | None] = ContextVar("factoryos_user_id", default=None)

# Transaction-local settings read by the row-level security policies.
GUC_ORG = "factoryos.org_id"
GUC_USER = "factoryos.user_id"
GUC_API_KEY_PREFIX = "factoryos.api_key_prefix"


class NoTenantContext(RuntimeError):
    """A tenant model was queried with no organization in context (fail closed)."""


def current_org() -> Organization | None:
    return _current_org.get()


def require_org() -> Organization:
    org = _current_org.get()
    if org is None:
        raise NoTenantContext("No organization in context: use org_scope(org) or .for_org(org)")
    return org


def set_db_setting(name: str, value: Any) -> None:
    """Write a transaction-local setting for the RLS policies (PostgreSQL only; SQLite has no RLS)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, "" if value is None else str(value)])


def activate(org: Organization | None) -> Any:
    """Make ``org`` the current organization for the ORM and, inside a transaction, for RLS."""
    token = _current_org.set(org)
    set_db_setting(GUC_ORG, org.pk if org else None)
    return token


def deactivate(token: Any) -> None:
    _current_org.reset(token)
    previous = _current_org.get()
    set_db_setting(GUC_ORG, previous.pk if previous else None)


def set_user(user_id: int | None) -> Any:
    token = _current_user_id.set(user_id)
    set_db_setting(GUC_USER, user_id)
    return token


def reset_user(token: Any) -> None:
    _current_user_id.reset(token)
    set_db_setting(GUC_USER, _current_user_id.get())


@contextlib.contextmanager
def org_scope(org: Organization) -> Iterator[Organization]:
    """Run a block (a background task, a management command, a test) as ``org``.

    Call inside ``transaction.atomic()`` on PostgreSQL so the RLS setting applies to the block's queries.
    """
    token = activate(org)
    try:
        yield org
    finally:
        deactivate(token)


@contextlib.contextmanager
def user_scope(user_id: int | None) -> Iterator[None]:
    token = set_user(user_id)
    try:
        yield
    finally:
        reset_user(token)


class TenantQuerySet(models.QuerySet):
    pass


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """Default manager of tenant models: scoped to the current organization, raises without one."""

    def get_queryset(self) -> TenantQuerySet:
        return super().get_queryset().filter(org=require_org())

    def unscoped(self) -> TenantQuerySet:
        """Every organization's rows. For admin jobs only; RLS still applies on PostgreSQL."""
        return super().get_queryset()

    def for_org(self, org: Organization) -> TenantQuerySet:
        return super().get_queryset().filter(org=org)


class TenantModel(models.Model):
    """Base of every organization-owned table.

    - ``org`` is NOT NULL and indexed; every unique constraint must include it (tests/core/test_tenancy_rules.py).
    - ``objects`` is scoped and fails closed; ``all_tenants`` crosses organizations explicitly.
    - ``rls_extra_predicate`` (class attribute) widens the RLS policy for lookups that must happen before the
      organization is known (a user's memberships, an API key by prefix). It must still yield zero rows when
      no setting is made.
    """

    rls_extra_predicate: str | None = None

    org = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+", db_index=True)

    objects = TenantManager()
    all_tenants = models.Manager()  # noqa: DJ012 - ruff reads models.Manager() as a field

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.org_id is None:
            self.org = require_org()
        super().save(*args, **kwargs)


def tenant_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, TenantModel)]
