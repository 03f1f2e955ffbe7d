"""One transition mechanism: flows are data on the models, every move is stamped with who and when, and a move the
flow does not allow is refused before anything changes."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import transaction

from factoryos.audit.models import AuditEvent
from factoryos.catalog.models import Bom, BomStatus
from factoryos.inventory.models import CountStatus
from factoryos.kernel.errors import ConflictError
from factoryos.kernel.tenancy import org_scope
from factoryos.kernel.transitions import Flow, can_transition, check_editable, is_editable, transition
from tests.factories import make_world


def flowing_models():
    return [m for m in apps.get_models() if isinstance(getattr(m, "flow", None), Flow)]


def test_every_state_a_move_leads_to_is_stamped_with_who_and_when():
    models = flowing_models()
    assert {m._meta.label for m in models} >= {"catalog.Bom", "inventory.Reservation", "inventory.CountSheet"}
    missing = [
        f"{model._meta.label}.{state}_{suffix}"
        for model in models
        for state in model.flow.targets()
        for suffix in ("at", "by")
        if not any(f.name == f"{state}_{suffix}" for f in model._meta.get_fields())
    ]
    assert missing == []


@pytest.mark.django_db
def test_a_move_is_checked_stamped_and_recorded_once():
    world = make_world()
    owner = world.owner
    with transaction.atomic(), org_scope(world.org):
        sheet = world.objects["inventory.countsheet"]
        assert is_editable(sheet) and can_transition(sheet, CountStatus.POSTED)
        before = AuditEvent.objects.count()
        posted = transition(sheet, to=CountStatus.POSTED, actor=owner, metadata={"note": "test"})
        assert (posted.status, posted.posted_by_id) == ("posted", owner.user_id) and posted.posted_at is not None
        event = AuditEvent.objects.order_by("-seq").first()
        assert AuditEvent.objects.count() == before + 1
        assert event.changes["status"] == ["open", "posted"] and event.actor_user_id == owner.user_id
        assert not is_editable(posted) and not can_transition(posted, CountStatus.POSTED)
        with pytest.raises(ConflictError) as refused:
            transition(posted, to=CountStatus.POSTED, actor=owner)
        assert refused.value.code == "transition_not_allowed" and refused.value.status == 409
        with pytest.raises(ConflictError) as locked:
            check_editable(posted)
        assert locked.value.code == "locked" and "start a new count" in locked.value.message
        released = world.objects["catalog.bom#released"]
        with pytest.raises(ConflictError):
            transition(released, to=BomStatus.RELEASED, actor=owner)  # released -> released is no move
        assert Bom.objects.get(pk=released.pk).status == BomStatus.RELEASED
