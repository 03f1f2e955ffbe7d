"""Import (with a dry run) and export of items, BOM lines, locations and opening stock.

An import reads the whole file, then writes every row through the domain services inside ONE transaction, each
row in its own savepoint so that one bad row does not hide the errors of the next. The transaction is rolled back
when it was a dry run or when any row failed: an import writes all rows or none. What is written is audited by the
services themselves (the events commit or roll back with the rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from factoryos.core.models import Membership
from factoryos.imports import formats
from factoryos.imports.errors import ImportsError
from factoryos.imports.kinds import KINDS, Cells, Kind, RowErrors
from factoryos.kernel import events
from factoryos.kernel.errors import CommonError, DomainError, field_errors
from factoryos.kernel.events import Action

HEADER_ROW = 1


@dataclass
class RowError:
    row: int
    column: str
    message: str
    code: str = CommonError.INVALID


@dataclass
class Report:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "errors": [e.__dict__ for e in self.errors],
        }


def kind_of(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise DomainError(
            f"Unknown kind '{slug}': one of {', '.join(KINDS)}.", code=ImportsError.UNKNOWN_KIND, field="kind"
        ) from None


def _check_headers(kind: Kind, headers: list[str]) -> list[RowError]:
    errors = []
    known = set(kind.headers)
    seen: set[str] = set()
    for name in headers:
        if not name:
            continue
        if name not in known:
            errors.append(RowError(HEADER_ROW, name, f"Unknown column: the columns are {', '.join(kind.headers)}."))
        elif name in seen:
            errors.append(RowError(HEADER_ROW, name, "This column appears twice."))
        seen.add(name)
    for column in kind.columns:
        if column.required and column.name not in seen:
            errors.append(RowError(HEADER_ROW, column.name, "This required column is missing."))
    return errors


def run_import(*, actor: Membership, kind: str, filename: str, data: bytes, dry_run: bool) -> Report:
    """Validate (dry run) or import one file. File-level problems raise formats.FileError."""
    spec = kind_of(kind)
    headers, rows = formats.read(filename, data)
    report = Report(kind=spec.slug, dry_run=dry_run, rows=len(rows))
    report.errors = _check_headers(spec, headers)
    if report.errors:
        return report
    with transaction.atomic():
        for number, cells in rows:
            values = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(headers) if name}
            try:
                with transaction.atomic():  # a savepoint: a failed row leaves no trace, the next rows go on
                    spec.write_row(actor, Cells(values))
                report.created += 1
            except RowErrors as exc:
                report.errors += [RowError(number, column, message) for column, message in exc.errors]
            except (ValidationError, DomainError) as exc:
                report.errors += [
                    RowError(number, spec.column_for(e.field), e.message, e.code) for e in field_errors(exc)
                ]
        if dry_run or report.errors:
            transaction.set_rollback(True)
    if report.errors:
        report.created = 0
    return report


def export(*, actor: Membership, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(file content, content type, file name) of every row of ``kind``; the export is audited."""
    spec = kind_of(kind)
    if fmt not in formats.FORMATS:
        raise DomainError("The format is csv or xlsx.", code=ImportsError.BAD_FORMAT, field="format")
    rows = list(spec.export_rows())
    content = formats.write(fmt, spec.headers, rows)
    with transaction.atomic():
        events.record(
            action=Action.EXPORT,
            actor=actor,
            object_type=spec.object_type,
            metadata={"kind": spec.slug, "format": fmt, "count": len(rows)},
        )
    return content, formats.CONTENT_TYPES[fmt], f"{spec.slug}.{fmt}"


def template(*, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """An empty file of ``kind`` with its header row and one example row."""
    spec = kind_of(kind)
    if fmt not in formats.FORMATS:
        raise DomainError("The format is csv or xlsx.", code=ImportsError.BAD_FORMAT, field="format")
    content = formats.write(fmt, spec.headers, [list(spec.example)])
    return content, formats.CONTENT_TYPES[fmt], f"{spec.slug}-template.{fmt}"
