import pytest
from django.core.management import call_command

from factoryos.accounts.models import User
from factoryos.audit.services import verify_chain
from factoryos.core.models import Membership, Organization
from factoryos.core.permissions import BuiltinRole
from factoryos.core.tenancy import org_scope


@pytest.mark.django_db
def test_seed_demo_loads_one_member_per_role_and_is_idempotent(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert "Loaded" in first and "Found" in second
    org = Organization.objects.get()
    with org_scope(org):
        roles = sorted(Membership.objects.values_list("role", flat=True))
    assert roles == sorted(r.value for r in BuiltinRole)
    assert User.objects.count() == len(BuiltinRole)
    for role in BuiltinRole:
        assert f"{role.value}@demo.factoryos.localhost" in first
    assert verify_chain(org) is None
