"""API bodies derived from the model, so that a field is declared once (its limits: see kernel/limits.py).

``bodies(Site, SiteFields)`` gives ``SiteIn`` (what creating takes: a field is required where the model requires it)
and ``SitePatch`` (every field optional); the fields are the service's (its TypedDict) or a list of names. Each
field's type, length, bounds, digits, choices and description come from the model field; a foreign key is taken as
the id under the field's own name (``site``). ``override`` replaces a field's annotation where the model's type says
too little (a wall-clock time, a JSON object), ``extra`` adds what is not a model field (an item's tags).

``reply(Site, ("code", "name", ...))`` gives ``SiteOut``, what the API answers: ``id`` and the fields as stored (a
foreign key as ``<name>_id``), read from the object's attributes; ``extra`` adds computed ones (a property).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import models
from ninja import Schema
from pydantic import Field, create_model

from factoryos.kernel.filters import BIGINT_MAX
from factoryos.kernel.limits import limits

RefId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
BODIES: list[tuple[type[models.Model], type[Schema]]] = []  # every derived body, for the field-limits test


# A model field's Python type, the first that matches (a DateTimeField is a DateField too); any other is text.
PYTHON_TYPES: tuple[tuple[type[models.Field[Any, Any]], Any], ...] = (
    (models.BooleanField, bool),
    (models.DecimalField, Decimal),
    (models.IntegerField, int),
    (models.DateTimeField, datetime),
    (models.DateField, date),
    (models.TimeField, time),
    (models.JSONField, dict[str, Any]),
)


def annotation(field: models.Field) -> Any:
    """The Python type of a value of ``field`` as the API takes it (a related row by its id)."""
    if field.is_relation:
        return RefId
    if field.choices:
        return Literal[tuple(value for value, _label in field.flatchoices)]
    return next((kind for field_class, kind in PYTHON_TYPES if isinstance(field, field_class)), str)


Fields = str | Sequence[str] | type  # a name, names, or a TypedDict (its keys)


def _field_names(fields: Sequence[Fields]) -> list[str]:
    """The names ``fields`` give, in order: each a name, a list of names, or a TypedDict (its keys, as declared)."""
    names: list[str] = []
    for given in fields:
        if isinstance(given, str):
            names.append(given)
        elif isinstance(given, type):
            names.extend(given.__annotations__)
        else:
            names.extend(given)
    return names


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a concrete field"
    return field


def reply(
    model: type[models.Model],
    *fields: Fields,
    name: str | None = None,
    override: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> type[Schema]:
    """``<Name>Out``: ``id``, then ``fields`` of ``model`` as it stores them (a relation as ``<name>_id``), then
    ``extra`` (name -> annotation: attributes that are not fields). Nullable fields may be null."""
    override = override or {}
    answered: dict[str, Any] = {"id": (int, ...)}
    for field_name in _field_names(fields):
        field = _concrete(model, field_name)
        kind = override.get(field_name) or (int if field.is_relation else annotation(field))
        if field.choices and field.blank:
            kind = kind | Literal[""]  # not chosen
        description = _description(field)
        answered[field.attname] = (kind | None if field.null else kind, Field(..., description=description))
    for field_name, kind in (extra or {}).items():
        answered[field_name] = (kind, ...)
    return create_model(f"{name or model.__name__}Out", __base__=Schema, **answered)


def _description(field: models.Field) -> str | None:
    """The field's help text, as the schema's description of it."""
    return str(field.help_text) if field.help_text else None


def _bounds(field: models.Field) -> dict[str, Any]:
    """The pydantic bounds of ``field`` (a choice is bounded by its choices alone)."""
    if field.choices:
        return {}
    bounds = limits(field).pydantic()
    if isinstance(field, models.CharField | models.TextField) and not field.blank:
        bounds.setdefault("min_length", 1)
    return bounds


def _create(field: models.Field, kind: Any, *, needed: bool, defaulted: bool) -> tuple[Any, Any]:
    """The create body's (annotation, Field) of ``field``: required, nullable, or with the model's default
    (``defaulted``: the service fills it when absent, e.g. a site's time zone from its organization's)."""
    bounds = _bounds(field)
    description = _description(field)
    if needed and not defaulted:
        return kind, Field(..., description=description, **bounds)
    if field.null or defaulted:
        return kind | None, Field(None, description=description, **bounds)
    default = field.get_default()  # the model's default, or "" for text
    return kind, Field(default, description=description, **bounds)


def _change(field: models.Field, kind: Any) -> tuple[Any, Any]:
    """The patch body's (annotation, Field): every field optional, with the model's limits. Only a nullable field
    takes null: on any other, an explicit null is a 422 naming it (it was a 500 on a required relation)."""
    bounds = _bounds(field)
    description = _description(field)
    return (kind | None) if field.null else kind, Field(None, description=description, **bounds)


def _required(field: models.Field) -> bool:
    return not field.blank and not field.null and not field.has_default()


def bodies(
    model: type[models.Model],
    *fields: Fields,
    name: str | None = None,
    required: Sequence[str] | None = None,
    override: Mapping[str, Any] | None = None,
    extra: Mapping[str, tuple[Any, Any]] | None = None,
    fixed: Sequence[str] = (),
    defaulted: Sequence[str] = (),
) -> tuple[type[Schema], type[Schema]]:
    """(``<Name>In``, ``<Name>Patch``) for ``fields`` of ``model`` (names, or the service's TypedDict).

    ``required`` overrides which fields creating needs (default: what the model requires); ``fixed`` names the
    fields set when creating that a change may not touch (a line's BOM); ``defaulted`` names the fields the service
    fills when they are absent; ``override`` maps a field to its annotation; ``extra`` maps added fields (not the
    model's, e.g. an item's tags) to ``(annotation, default or pydantic Field)``.
    """
    name = name or model.__name__
    override, extra = override or {}, extra or {}
    creating: dict[str, Any] = {}
    changing: dict[str, Any] = {}
    for field_name in _field_names(fields):
        if field_name in extra:
            continue
        field = _concrete(model, field_name)
        needed = field_name in required if required is not None else _required(field)
        kind = override.get(field_name, annotation(field))
        creating[field_name] = _create(field, kind, needed=needed, defaulted=field_name in defaulted)
        if field_name not in fixed:
            changing[field_name] = _change(field, kind)
    for field_name, (kind, default) in extra.items():  # the constraints travel in an Annotated ``kind``
        creating[field_name] = (kind, default)
        changing[field_name] = (kind | None, Field(None, description=getattr(default, "description", None)))
    body_in = create_model(f"{name}In", __base__=Schema, **creating)
    body_patch = create_model(f"{name}Patch", __base__=Schema, **changing)
    BODIES.extend([(model, body_in), (model, body_patch)])
    return body_in, body_patch
