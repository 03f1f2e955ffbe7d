from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from factoryos.accounts.models import User
from factoryos.audit.models import AuditEvent
from factoryos.audit.services import verify_chain
from factoryos.catalog.models import Bom, BomStatus, Item, Operation, Tracking
from factoryos.catalog.selectors import explosion
from factoryos.core.models import Membership, Organization
from factoryos.facilities.models import Site, WorkCenter
from factoryos.inventory.models import StockLevel
from factoryos.kernel.permissions import BuiltinRole
from factoryos.kernel.tenancy import org_scope
from factoryos.mrp.models import Forecast, MrpRun, PlannedOrder
from factoryos.partners.models import Partner
from factoryos.people.models import Employee
from factoryos.production import estimates
from factoryos.production.models import TimeLog, WorkOrder


@pytest.mark.django_db
def test_seed_demo_loads_the_shop_and_is_idempotent(capsys, monkeypatch):
    from factoryos.demo import shop

    # A demo organization loaded before the shop existed (an older seed_demo) ...
    monkeypatch.setattr(shop, "load_shop", lambda actor: None)
    call_command("seed_demo")
    monkeypatch.undo()
    org = Organization.objects.get()
    with org_scope(org):
        assert not Site.objects.exists()
    capsys.readouterr()
    # ... gets the shop on the next run, and a further run adds nothing.
    call_command("seed_demo")
    first = capsys.readouterr().out
    with org_scope(org):
        events = AuditEvent.objects.count()
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert "Found the demo organization" in first and "Found the demo organization" in second
    assert "Loaded the demo fabrication shop" in first and "nothing added" in second
    assert Organization.objects.count() == 1
    for role in BuiltinRole:
        assert f"{role.value}@demo.factoryos.localhost" in first
    with org_scope(org):
        assert AuditEvent.objects.count() == events  # the second run added nothing
        roles = sorted(Membership.objects.values_list("role", flat=True))
        assert roles == sorted(r.value for r in BuiltinRole)
        assert Site.objects.count() == 2
        assert (
            Partner.objects.filter(is_customer=True).count() == 4
            and Partner.objects.filter(is_supplier=True).count() == 3
        )
        assert WorkCenter.objects.count() >= 10
        assert Item.objects.count() >= 150
        assert Item.objects.filter(tracking=Tracking.SERIAL).exists()
        assert Item.objects.filter(tracking=Tracking.LOT).count() > 10
        released = list(Bom.objects.filter(status=BomStatus.RELEASED).select_related("item"))
        assert released and all(bom.operations.exists() for bom in released)
        finished = [bom.item for bom in released if bom.item.item_type == "finished"]
        deepest = max(max(row["level"] for row in explosion(item, Decimal(1))) for item in finished)
        assert deepest >= 3
        levels = StockLevel.objects.filter(on_hand__gt=0)
        assert levels.count() > 100
        assert levels.filter(lot__isnull=False).exists()
        employees = Employee.objects.all()
        assert employees.count() > 0
        assert all(e.work_centers.exists() and e.skill_levels.exists() for e in employees)
        assert Employee.objects.filter(user__email="operator@demo.factoryos.localhost").exists()
        # Make and Plan are alive: a work order in every state, time on the floor, a forecast and an MRP run
        states = set(WorkOrder.objects.values_list("status", flat=True))
        assert states == {"draft", "planned", "released", "started", "completed", "closed", "cancelled"}
        assert TimeLog.objects.filter(ended_at__isnull=True).exists() and TimeLog.objects.filter(minutes__gt=0).exists()
        # estimates that learn: setup logged apart from run, and the made item's past orders suggest standard times
        assert TimeLog.objects.filter(phase="setup", minutes__gt=0).exists()
        routings = Operation.objects.filter(bom__status=BomStatus.RELEASED).select_related("bom", "work_center")
        learned = [s for s in estimates.suggestions(routings).values() if s.worth_it]
        assert learned and all(
            part.runs >= estimates.LEAST_RUNS for s in learned for _, part in s.parts() if part.worth_it
        )
        assert Forecast.objects.exists() and PlannedOrder.objects.exists() and MrpRun.objects.count() == 1
    assert User.objects.count() == len(BuiltinRole)
    assert verify_chain(org) is None


@pytest.mark.django_db
def test_seed_demo_makes_a_second_independent_organization_for_an_owner(capsys):
    call_command("seed_demo", organization="Second Shop Pty Ltd", owner="Pat@Example.com")
    out = capsys.readouterr().out
    assert "Loaded the demo organization: Second Shop Pty Ltd" in out and "Loaded the demo fabrication shop" in out
    org = Organization.objects.get(legal_name="Second Shop Pty Ltd")
    owner = User.objects.get(email="pat@example.com")
    with org_scope(org):
        assert list(Membership.objects.values_list("user__email", "role")) == [("pat@example.com", "owner")]
        assert Item.objects.count() >= 150 and Site.objects.count() == 2
        items = Item.objects.count()
    assert owner.check_password("factory-demo-2026")

    call_command("seed_demo", organization="Second Shop Pty Ltd", owner="pat@example.com")
    assert "nothing added" in capsys.readouterr().out
    with org_scope(org):
        assert Item.objects.count() == items
    assert verify_chain(org) is None

    with pytest.raises(CommandError, match="another owner"):
        call_command("seed_demo", organization="Second Shop Pty Ltd", owner="someone.else@example.com")
    with pytest.raises(CommandError, match="together"):
        call_command("seed_demo", organization="Third")
    assert Organization.objects.count() == 1
