"""State machines as data, and the one way to move a record between states.

A model with a status declares its ``flow``: which moves each state allows, and in which states its content may
still change::

    BOM_FLOW = Flow(moves={DRAFT: {RELEASED}, RELEASED: {OBSOLETE}}, editable={DRAFT})

``transition(obj, to=..., actor=...)`` locks the row, checks the move, stamps ``<state>_at`` and ``<state>_by``
(every state a move leads to has both fields: tests/core/test_transitions.py walks the models), saves, and records
one audit event with the move, in the caller's transaction. Views and templates ask ``can_transition`` (and
``is_editable``) instead of restating the rules; a refused move is a 409 with the code ``transition_not_allowed``,
a change to a record whose state forbids it a 409 with ``locked``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from factoryos.kernel import diffs, events
from factoryos.kernel.errors import CommonError, ConflictError
from factoryos.kernel.events import Action, Actor

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Flow:
    moves: Mapping[str, Iterable[str]]  # state -> the states it may move to
    editable: Iterable[str] | None = None  # states in which the record's content may change (None: every state)
    field: str = "status"
    locked_message: str = "{obj} is {state}: it cannot change any more."
    _moves: dict[str, frozenset[str]] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_moves", {str(k): frozenset(str(v) for v in vs) for k, vs in self.moves.items()})

    def targets(self) -> frozenset[str]:
        """Every state some move leads to (each needs its ``<state>_at`` and ``<state>_by`` fields)."""
        return frozenset().union(*self._moves.values())

    def allows(self, current: str, to: str) -> bool:
        return to in self._moves.get(str(current), frozenset())

    def state_of(self, obj: models.Model) -> str:
        return str(getattr(obj, self.field))


def stamps() -> tuple[models.DateTimeField[Any, Any], models.ForeignKey[Any, Any]]:
    """The ``<state>_at`` and ``<state>_by`` fields of a state a record moves to (``transition`` fills them)::

    released_at, released_by = stamps()
    """
    return (
        models.DateTimeField(null=True, blank=True, editable=False),
        models.ForeignKey(
            settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
        ),
    )


def flow_of(obj: models.Model | type[models.Model]) -> Flow:
    flow = getattr(obj, "flow", None)
    if not isinstance(flow, Flow):
        raise TypeError(f"{obj!r} declares no flow")
    return flow


def can_transition(obj: models.Model, to: str) -> bool:
    """Whether ``obj``'s state allows the move to ``to`` (the permission to make it is the caller's question)."""
    flow = flow_of(obj)
    return flow.allows(flow.state_of(obj), to)


def is_editable(obj: models.Model) -> bool:
    """Whether ``obj``'s state lets its content change (a draft BOM, an open count)."""
    flow = flow_of(obj)
    return flow.editable is None or flow.state_of(obj) in set(map(str, flow.editable))


def check_editable(obj: models.Model, *, field: str | None = None) -> None:
    """Refuse (409, ``locked``) a change to a record whose state forbids it; ``field`` names the error's field."""
    if not is_editable(obj):
        flow = flow_of(obj)
        state = getattr(obj, f"get_{flow.field}_display", lambda: flow.state_of(obj))()
        message = flow.locked_message.format(obj=obj, state=str(state).lower())
        raise ConflictError(message, code=CommonError.LOCKED, field=field or flow.field)


def check_transition(obj: models.Model, to: str) -> None:
    """Refuse (409, ``transition_not_allowed``) a move the flow does not allow from ``obj``'s state."""
    flow = flow_of(obj)
    current = flow.state_of(obj)
    if not flow.allows(current, to):
        raise ConflictError(
            f"{obj} cannot move from {current} to {to}.", code=CommonError.TRANSITION_NOT_ALLOWED, field=flow.field
        )


def locked(obj: M) -> M:
    """``obj`` read again with its row locked until the transaction ends."""
    return type(obj)._base_manager.select_for_update(of=("self",)).get(pk=obj.pk)


@transaction.atomic
def transition(
    obj: M,
    *,
    to: str,
    actor: Actor,
    fields: Mapping[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> M:
    """Move ``obj`` to the state ``to``: lock, check, stamp who and when, save, record the event.

    ``fields`` change together with the state (e.g. the quantity a reservation consumed), in the same event.
    """
    flow = flow_of(obj)
    row = locked(obj)
    check_transition(row, to)
    current = flow.state_of(row)
    before = diffs.snapshot(row, list(fields or {}))
    setattr(row, flow.field, to)
    setattr(row, f"{to}_at", timezone.now())
    setattr(row, f"{to}_by_id", actor.user_id)
    for name, value in (fields or {}).items():
        setattr(row, name, value)
    row.save(update_fields=[flow.field, f"{to}_at", f"{to}_by", *(fields or {})])
    changes = {flow.field: [current, str(to)], **diffs.diff(before, row)}
    events.record(action=Action.UPDATE, actor=actor, obj=row, changes=changes, metadata=metadata)
    return row
