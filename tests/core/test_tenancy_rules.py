"""The ORM wall: every organization-owned model is scoped, fails closed, and keeps org in every unique key."""

import pytest
from django.apps import apps
from django.db import connection, models

from factoryos.core.models import Organization, Role
from factoryos.kernel.tenancy import NoTenantContext, TenantManager, TenantModel, org_scope, tenant_models
from tests.factories import make_org


def _has_org_field(model) -> bool:
    try:
        field = model._meta.get_field("org")
    except Exception:
        return False
    return isinstance(field, models.ForeignKey) and field.related_model is Organization


def test_every_model_with_an_org_is_a_scoped_tenant_model():
    offenders = []
    for model in apps.get_models():
        if not _has_org_field(model):
            continue
        if not issubclass(model, TenantModel) or not isinstance(model._default_manager, TenantManager):
            offenders.append(model._meta.label)
    assert offenders == [], f"models with org but without the scoped default manager: {offenders}"
    assert len(tenant_models()) >= 6


def test_every_unique_constraint_on_a_tenant_model_includes_org():
    offenders = []
    for model in tenant_models():
        for field in model._meta.local_fields:
            if field.unique and not field.primary_key:
                offenders.append(f"{model._meta.label}.{field.name} (unique=True)")
        for fields in model._meta.unique_together:
            if "org" not in fields:
                offenders.append(f"{model._meta.label} unique_together {fields}")
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and "org" not in constraint.fields:
                offenders.append(f"{model._meta.label} constraint {constraint.name}")
    assert offenders == [], f"unique keys without org (Citus and the isolation rule need it): {offenders}"


def test_tenant_org_is_not_null_and_indexed():
    for model in tenant_models():
        field = model._meta.get_field("org")
        assert not field.null and field.db_index, model._meta.label


@pytest.mark.django_db
def test_scoped_manager_fails_closed_without_an_organization():
    with pytest.raises(NoTenantContext):
        list(Role.objects.all())


@pytest.mark.django_db
def test_scoped_manager_sees_only_the_current_organization():
    org_a, owner_a = make_org()
    org_b, owner_b = make_org()
    with org_scope(org_a):
        Role.objects.create(name="Welder lead", permissions=["catalog.view"])
    with org_scope(org_b):
        Role.objects.create(name="Welder lead", permissions=[])
        assert list(Role.objects.values_list("org_id", flat=True)) == [org_b.pk]
        # Explicit crossing: both rows on SQLite; on PostgreSQL row-level security still hides org A's row.
        assert Role.objects.unscoped().count() == (1 if connection.vendor == "postgresql" else 2)
    with org_scope(org_a):
        assert Role.objects.for_org(org_a).count() == 1
    # Outside any scope the ORM still answers for_org(), but PostgreSQL's policy returns nothing (fails closed).
    assert Role.objects.for_org(org_a).count() == (0 if connection.vendor == "postgresql" else 1)
