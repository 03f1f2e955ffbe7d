"""Audited create / update / delete for master data: the shared tail of many services.

A service does its domain checks, then calls one of these inside its transaction: the row is validated by the
model (``full_clean``: field rules and constraints become field errors, not 500s), written, and its audit event
recorded in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

from factoryos.kernel import diffs, events
from factoryos.kernel.errors import CommonError, DomainError, ErrorCode, FieldError
from factoryos.kernel.events import Action, Actor
from factoryos.kernel.tenancy import require_org

M = TypeVar("M", bound=models.Model)


def _validate(instance: models.Model) -> None:
    exclude = [f.name for f in instance._meta.fields if f.name in {"org", "uid"}]
    instance.full_clean(exclude=exclude, validate_constraints=True)
    _check_unique_in_org(instance)


def concrete_field(model: models.Model | type[models.Model], name: str) -> models.Field[Any, Any]:
    """The model's field (a column, not a reverse relation) called ``name``."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model._meta.label}.{name} is not a concrete field")
    return field


def _check_unique_in_org(instance: models.Model) -> None:
    """Each unique (org, ...) constraint as an error on its last field: "A site with this code already exists."."""
    opts = instance._meta
    for constraint in opts.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or "org" not in constraint.fields:
            continue
        others = [name for name in constraint.fields if name != "org"]
        attnames = [concrete_field(instance, name).attname for name in others]
        rows = type(instance)._default_manager.filter(**{a: getattr(instance, a) for a in attnames})
        rows = rows.exclude(pk=instance.pk)
        if constraint.condition is not None:  # e.g. one *released* revision per item
            values = instance._get_field_expression_map(meta=opts)  # type: ignore[attr-defined]  # Django's own
            if not constraint.condition.check(values):
                continue
            rows = rows.filter(constraint.condition)
        if rows.exists():
            field = concrete_field(instance, others[-1])
            article = "An" if str(opts.verbose_name)[:1].lower() in "aeiou" else "A"
            raise DomainError(
                f"{article} {opts.verbose_name} with this {field.verbose_name} already exists.",
                code=CommonError.NOT_UNIQUE,
                field=field.name,
            )


def _save(instance: models.Model, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError as exc:  # a race past full_clean: same message shape as a validation error
        raise DomainError("This conflicts with an existing record.", code=CommonError.CONFLICT) from exc


# Never set from outside: the organization comes from the context, the identities from the database.
PROTECTED = frozenset({"org", "org_id", "uid", "id", "pk"})


def field_names(spec: type | Iterable[str]) -> frozenset[str]:
    """The names a service accepts: the keys of its TypedDict, or an explicit list."""
    if isinstance(spec, type) and hasattr(spec, "__required_keys__"):
        return frozenset(spec.__required_keys__ | spec.__optional_keys__)  # type: ignore[attr-defined]
    return frozenset(spec)  # type: ignore[arg-type]


def refuse_unknown(values: Mapping[str, Any], allowed: type | Iterable[str]) -> None:
    """A field error for every name not in ``allowed`` (and for the protected ones, always)."""
    unknown = sorted((set(values) - field_names(allowed)) | (set(values) & PROTECTED))
    if unknown:
        raise DomainError.of(
            [FieldError(name, "This field cannot be set here.", CommonError.NOT_SETTABLE) for name in unknown]
        )


@transaction.atomic
def create(
    model: type[M],
    *,
    actor: Actor,
    values: Mapping[str, Any],
    allowed: type | Iterable[str],
    metadata: dict[str, Any] | None = None,
) -> M:
    """Validate, insert in the current organization, record CREATE (by ``actor``) with every set field.

    ``allowed`` names the fields a caller may set (a TypedDict or a list); anything else, ``org`` above all, is a
    field error.
    """
    refuse_unknown(values, allowed)
    instance = model(**values)
    if hasattr(instance, "org_id"):
        instance.org = require_org()  # type: ignore[attr-defined]  # a tenant model
    _validate(instance)
    _save(instance, force_insert=True)
    events.record(
        action=Action.CREATE, actor=actor, obj=instance, changes=diffs.created_fields(instance), metadata=metadata
    )
    return instance


@transaction.atomic
def create_many(model: type[M], rows: Iterable[M], *, actor: Actor) -> list[M]:
    """Insert ``rows`` (built by the caller, organization set) in one statement and record a CREATE event for each,
    with every set field, as ``create`` would: for a service that writes many rows of one kind at once (an order's
    reservations, a released work order's job cards)."""
    made = model._default_manager.bulk_create(list(rows))
    for row in made:
        events.record(action=Action.CREATE, actor=actor, obj=row, changes=diffs.created_fields(row))
    return made


@transaction.atomic
def update(
    instance: M,
    *,
    actor: Actor,
    changes: Mapping[str, Any],
    allowed: type | Iterable[str],
    metadata: dict[str, Any] | None = None,
) -> M:
    """Lock the row, apply ``changes`` (only names in ``allowed``), validate, save and record the diff (with
    ``metadata``: why it changed, when the diff alone does not say)."""
    refuse_unknown(changes, allowed)
    instance = type(instance)._base_manager.select_for_update(of=("self",)).get(pk=instance.pk)
    before = diffs.snapshot(instance, sorted(field_names(allowed)))
    for name, value in changes.items():
        setattr(instance, name, value)
    _validate(instance)
    diff = diffs.diff(before, instance)
    if diff:
        _save(instance)
        events.record(action=Action.UPDATE, actor=actor, obj=instance, changes=diff, metadata=metadata)
    return instance


@transaction.atomic
def delete(instance: models.Model, *, actor: Actor) -> None:
    """Record DELETE, then delete; a row still referenced (PROTECT) is a clear error, not a 500."""
    events.record(action=Action.DELETE, actor=actor, obj=instance)
    try:
        with transaction.atomic():
            instance.delete()
    except models.ProtectedError as exc:
        used_by = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
        raise DomainError(f"It is still used by: {', '.join(used_by)}.", code=CommonError.IN_USE) from exc


def check_not_below_itself(obj: models.Model, parent: Any, message: str, code: ErrorCode) -> None:
    """A field error on ``parent`` when ``obj`` would sit under itself (``parent`` is it, or one of its
    descendants), for the trees a model makes with a ``parent`` of its own kind."""
    while parent is not None:
        if parent.pk == obj.pk:
            raise DomainError(message, code=code, field="parent")
        parent = parent.parent


def refs(fields: Mapping[str, Any], models: Mapping[str, type[models.Model]]) -> dict[str, Any]:
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
    obj = model._default_manager.filter(pk=pk).first() if in_range else None
    if obj is None:
        raise DomainError(
            f"No {model._meta.verbose_name} with id {pk}.", code=CommonError.UNKNOWN_REFERENCE, field=field
        )
    return obj
