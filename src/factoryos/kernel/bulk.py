"""Rows of one model inserted by the hundred thousand as plain values, for derived data a run rewrites whole (an MRP
run's planned orders and messages): ``bulk_create`` builds a model object per row and prepares every value through
its field, which for 370,000 planned orders costs four times what the database does with them.

``insert_rows`` takes tuples of values the driver takes as they are (int, str, bool, Decimal, date, None; a
JSONField's value is dumped here) and writes them:

- on PostgreSQL, one ``INSERT ... SELECT ... FROM jsonb_array_elements(%s::jsonb)`` per chunk: the rows are sent
  as one JSON document (dumped by orjson, seven times faster than the standard library's json here), so the
  statement and its parameters are a handful of values however many rows (COPY would be faster still, but
  PostgreSQL refuses ``COPY FROM`` on a table with row-level security, which every tenant table has);
- on SQLite, the driver's ``executemany`` of one prepared statement.

Row-level security applies as to any insert: ``constants`` must carry the organization the transaction is scoped to.
No audit event is recorded: the caller records one for the batch it wrote (what ran, what it made).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

import orjson
from django.db import connection, models

CHUNK = 50_000  # rows per statement on PostgreSQL: a few MB of parameters, the database's memory bounded


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    constants: Mapping[str, Any] | None = None,
) -> int:
    """Insert ``rows`` (one value per name in ``fields``, in its order) with ``constants`` (field name: value, the
    same on every row, e.g. the organization and the run); return how many rows were written."""
    constants = dict(constants or {})
    meta = model._meta
    varying: list[Any] = [meta.get_field(name) for name in fields]
    fixed: list[Any] = [meta.get_field(name) for name in constants]
    for field in meta.concrete_fields:  # a column left out takes its default, as bulk_create would give it
        if not field.primary_key and field not in varying and field not in fixed:
            default = field.get_default()
            if default is None and not field.null:
                raise ValueError(f"insert_rows into {meta.db_table}: no value for {field.name}")
            constants[field.name] = default
            fixed.append(field)
    fixed_values = [field.get_db_prep_save(constants[field.name], connection) for field in fixed]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [*varying, *fixed])
    table = connection.ops.quote_name(meta.db_table)
    write = _postgresql(table, columns, varying, fixed, fixed_values) if connection.vendor == "postgresql" else (
        _sqlite(table, columns, varying, fixed_values)
    )  # fmt: skip
    written, remaining = 0, iter(rows)
    while chunk := list(islice(remaining, CHUNK)):
        write(chunk)
        written += len(chunk)
    return written


def _postgresql(
    table: str, columns: str, varying: list[Any], fixed: list[Any], fixed_values: list[Any]
) -> Callable[[Sequence[Sequence[Any]]], None]:
    """One statement a chunk: the rows as ONE JSON document (an array of arrays) taken apart by the database. One
    text parameter escapes in C; a typed array per column was 2.5x slower (each JSON value escaped inside an array
    literal, then parsed again). Parsed once as jsonb: as json, each ``r->>i`` parses the row's text again (2x
    slower with nine pegs a row)."""
    picks = [
        f"(r->{i})::jsonb" if isinstance(field, models.JSONField) else f"(r->>{i})::{field.db_type(connection)}"
        for i, field in enumerate(varying)
    ]
    picks += [f"%s::{field.db_type(connection)}" for field in fixed]  # typed: an untyped NULL would be text
    sql = f"INSERT INTO {table} ({columns}) SELECT {', '.join(picks)} FROM jsonb_array_elements(%s::jsonb) AS r"

    def write(chunk: Sequence[Sequence[Any]]) -> None:
        document = orjson.dumps(chunk, default=str).decode()  # a Decimal as its text, a date in ISO: as SQL reads them
        with connection.cursor() as cursor:
            cursor.execute(sql, [*fixed_values, document])

    return write


def _sqlite(
    table: str, columns: str, varying: list[Any], fixed_values: list[Any]
) -> Callable[[Sequence[Sequence[Any]]], None]:
    """The driver's executemany of one prepared statement (SQLite's is C end to end); JSON values dumped first."""
    dumps = [i for i, field in enumerate(varying) if isinstance(field, models.JSONField)]
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(varying) + len(fixed_values)))})"

    def write(chunk: Sequence[Sequence[Any]]) -> None:
        rows = []
        for row in chunk:
            values = [*row, *fixed_values]
            for i in dumps:
                values[i] = orjson.dumps(values[i], default=str).decode()
            rows.append(values)
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    return write
