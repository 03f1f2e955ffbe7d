"""What a change did, for its audit event: field snapshots and diffs with sensitive values masked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models

from factoryos.kernel.fields import MASK, EncryptedField

# Names whose values never appear in a diff, whatever the model (on top of every encrypted field).
SENSITIVE_NAMES = {"password", "secret", "token", "key_hash", "secret_hash", "photo"}


def is_sensitive(field: models.Field) -> bool:
    """Masked in diffs: encrypted fields, secret-like names, and every field of a model whose records are private
    beyond their encrypted columns (``audit_private = True``, e.g. employee records: admins only, while the audit
    trail is also read by accountants)."""
    return (
        isinstance(field, EncryptedField)
        or field.name in SENSITIVE_NAMES
        or getattr(field.model, "audit_private", False)
    )


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The field values of ``instance`` now, to diff against after a change."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or (fields and field.name not in fields):
            continue
        values[field.name] = getattr(instance, field.attname)
    return values


def diff(before: dict[str, Any], instance: models.Model) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed; sensitive values are masked."""
    after = snapshot(instance, list(before))
    changes = {}
    for name, old in before.items():
        new = after.get(name)
        if old != new:
            field = instance._meta.get_field(name)
            if isinstance(field, models.Field) and is_sensitive(field):
                changes[name] = [MASK if old else "", MASK if new else ""]
            else:
                changes[name] = [plain(old), plain(new)]
    return changes


def created_fields(instance: models.Model) -> dict[str, list[Any]]:
    """A create's diff: every set field, from nothing."""
    changes = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in {"org", "uid"}:
            continue
        value = getattr(instance, field.attname)
        if value in (None, "", [], {}):
            continue
        changes[field.name] = [None, MASK if is_sensitive(field) else plain(value)]
    return changes


def plain(value: Any) -> Any:
    """A value as JSON can hold it (datetimes as ISO text, decimals and the rest as text)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)
