"""Reads over encrypted columns: match and sort after decrypting, since the database holds only ciphertext.

The database cannot compare, match or order a sealed value (kernel/fields.py refuses every lookup on one). For the
few hundred, or few thousand, rows an organization keeps of a private record (its employees), the read loads the
sealed columns of the rows concerned in one query, opens them here and answers with the rows' ids:

- ``matching(queryset, names, test)``: a ``Q`` of the rows whose opened values pass ``test``, which composes with
  the rest of the query (``SearchFilter`` uses it for the encrypted fields it searches);
- ``sorted_ids(queryset, order)`` and ``rows_in_order(queryset, ids)``: the rows ordered in Python, then one page
  of them fetched by id (the web table and the API's list use them when a sort names an encrypted field).

Each costs one query and a decryption per value, whatever the page: see docs/decisions/0009 for the measurements
and for when a keyed blind index would be the better answer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet

from factoryos.kernel.crypto import keyring
from factoryos.kernel.fields import EncryptedField, Sealed


def sealed_field(model: type[models.Model], path: str) -> EncryptedField | None:
    """The encrypted field ``path`` names on ``model`` (``-name`` too), or None (a plain field, an annotation).

    A related path to an encrypted field (``employee__last_name``) is refused: the row it would open is another
    model's, and the database would otherwise sort or match its ciphertext without a word."""
    *relations, name = path.lstrip("-").split("__")
    try:
        for relation in relations:
            model = model._meta.get_field(relation).related_model  # type: ignore[assignment]
            if model is None:
                return None
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not isinstance(field, EncryptedField):
        return None
    if relations:
        raise ValueError(f"{path}: an encrypted field of a related model cannot be searched or sorted")
    return field


def is_sealed(model: type[models.Model], *paths: str) -> bool:
    """Whether any of ``paths`` names an encrypted field of ``model``."""
    return any(sealed_field(model, path) is not None for path in paths)


def opened(queryset: QuerySet[Any], names: Sequence[str]) -> list[tuple[Any, tuple[Any, ...]]]:
    """``(pk, values)`` of every row of ``queryset``, ``values`` being those of ``names`` (fields or related paths),
    the encrypted ones opened: one query."""
    model = queryset.model
    fields = [sealed_field(model, name) for name in names]
    rows = queryset.order_by().prefetch_related(None).values_list("pk", "uid", *names)
    ring = keyring()
    opened_rows = []
    for pk, uid, *values in rows:
        row_id = str(uid)  # once per row, not per value
        opened_rows.append(
            (
                pk,
                tuple(
                    field.open(value, row_id, ring) if field is not None and isinstance(value, Sealed) else value
                    for field, value in zip(fields, values, strict=True)
                ),
            )
        )
    return opened_rows


def matching(queryset: QuerySet[Any], names: Sequence[str], test: Callable[[tuple[Any, ...]], bool]) -> Q:
    """A ``Q`` of the rows of ``queryset`` whose values of ``names`` (opened) pass ``test``: their ids."""
    return Q(pk__in=[pk for pk, values in opened(queryset, names) if test(values)])


def _sort_key(value: Any) -> tuple[bool, Any]:
    """Empty values after the others (ascending), text without regard to case or accents (Ó Briain among the O)."""
    if value is None or value == "":
        return (True, "")
    if isinstance(value, str):
        letters = unicodedata.normalize("NFKD", value.casefold())
        return (False, ("".join(c for c in letters if not unicodedata.combining(c)), value))
    return (False, value)


def sorted_ids(queryset: QuerySet[Any], order: Sequence[str]) -> list[Any]:
    """The ids of ``queryset``'s rows in ``order`` (field names or related paths, ``-`` for descending), sorted
    here after opening the encrypted ones; ties keep the id order."""
    rows = sorted(opened(queryset, [path.lstrip("-") for path in order]), key=lambda row: row[0])
    for i in reversed(range(len(order))):  # a stable sort per key, the least significant first
        rows.sort(key=lambda row: _sort_key(row[1][i]), reverse=order[i].startswith("-"))
    return [pk for pk, _values in rows]


def rows_in_order(queryset: QuerySet[Any], ids: Sequence[Any]) -> list[Any]:
    """The rows of ``queryset`` with ``ids``, in that order: one query (plus the queryset's prefetches)."""
    if not ids:
        return []
    found = {obj.pk: obj for obj in queryset.order_by().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]
