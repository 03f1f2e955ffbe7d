"""Audited create / update / delete for master data: the shared tail of many services.

A service does its domain checks, then calls one of these inside its transaction: the row is validated by the
model (``full_clean``: field rules and constraints become field errors, not 500s), written, and its audit event
recorded in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from factoryos.kernel import diffs, events
from factoryos.kernel.events import Action
from factoryos.kernel.tenancy import require_org

M = TypeVar("M", bound=models.Model)


def _validate(instance: models.Model) -> None:
    exclude = [f.name for f in instance._meta.fields if f.name in {"org", "uid"}]
    instance.full_clean(exclude=exclude, validate_constraints=True)
    _check_unique_in_org(instance)


def _check_unique_in_org(instance: models.Model) -> None:
    """Each unique (org, ...) constraint as an error on its last field: "A site with this code already exists."."""
    opts = instance._meta
    for constraint in opts.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or "org" not in constraint.fields:
            continue
        others = [name for name in constraint.fields if name != "org"]
        lookup = {opts.get_field(name).attname: getattr(instance, opts.get_field(name).attname) for name in others}
        rows = type(instance).objects.filter(**lookup).exclude(pk=instance.pk)
        if constraint.condition is not None:  # e.g. one *released* revision per item
            if not constraint.condition.check(instance._get_field_expression_map(meta=opts)):
                continue
            rows = rows.filter(constraint.condition)
        if rows.exists():
            field = opts.get_field(others[-1])
            article = "An" if str(opts.verbose_name)[:1].lower() in "aeiou" else "A"
            raise ValidationError(
                {field.name: f"{article} {opts.verbose_name} with this {field.verbose_name} already exists."}
            )


def _save(instance: models.Model, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError as exc:  # a race past full_clean: same message shape as a validation error
        raise ValidationError("This conflicts with an existing record.", code="integrity") from exc


@transaction.atomic
def create(model: type[M], *, audit_metadata: dict[str, Any] | None = None, **fields: Any) -> M:
    """Validate, insert in the current organization, record CREATE with every set field."""
    instance = model(**fields)
    if hasattr(instance, "org_id") and instance.org_id is None:
        instance.org = require_org()
    _validate(instance)
    _save(instance, force_insert=True)
    events.record(action=Action.CREATE, obj=instance, changes=diffs.created_fields(instance), metadata=audit_metadata)
    return instance


@transaction.atomic
def update(instance: M, *, allowed: Iterable[str], **fields: Any) -> M:
    """Lock the row, apply ``fields`` (only names in ``allowed``), validate, save and record the diff."""
    allowed = set(allowed)
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError({name: "This field cannot be changed here." for name in unknown})
    instance = type(instance)._base_manager.select_for_update(of=("self",)).get(pk=instance.pk)
    before = diffs.snapshot(instance, sorted(allowed))
    for name, value in fields.items():
        setattr(instance, name, value)
    _validate(instance)
    changes = diffs.diff(before, instance)
    if changes:
        _save(instance)
        events.record(action=Action.UPDATE, obj=instance, changes=changes)
    return instance


@transaction.atomic
def delete(instance: models.Model) -> None:
    """Record DELETE, then delete; a row still referenced (PROTECT) is a clear error, not a 500."""
    events.record(action=Action.DELETE, obj=instance)
    try:
        with transaction.atomic():
            instance.delete()
    except models.ProtectedError as exc:
        used_by = sorted({obj._meta.verbose_name for obj in exc.protected_objects})
        raise ValidationError(f"It is still used by: {', '.join(used_by)}.", code="protected") from exc


def refs(fields: dict[str, Any], models: Mapping[str, type[models.Model]]) -> dict[str, Any]:
    """A copy of ``fields`` with each id named in ``models`` (field -> model) turned into the current
    organization's object; objects pass through, None stays None, an unknown or foreign id is a field error."""
    resolved = dict(fields)
    for name, model in models.items():
        value = resolved.get(name)
        if value is not None and not isinstance(value, model):
            resolved[name] = ref(model, value, name)
    return resolved


def ref(model: type[M], pk: Any, field: str) -> M:
    """The current organization's ``model`` with ``pk``, or a field error (another organization's id is unknown)."""
    if isinstance(pk, model):
        pk = pk.pk
    in_range = isinstance(pk, int) and not isinstance(pk, bool) and 0 < pk <= 2**63 - 1  # else: unknown, not a 500
    obj = model.objects.filter(pk=pk).first() if in_range else None
    if obj is None:
        raise ValidationError({field: f"No {model._meta.verbose_name} with id {pk}."})
    return obj
