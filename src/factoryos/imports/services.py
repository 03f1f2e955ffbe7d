"""Import (with a dry run) and export of items, BOM lines, locations and opening stock.

An import reads the whole file, then writes every row through the domain services inside ONE transaction, each
row in its own savepoint so that one bad row does not hide the errors of the next. The transaction is rolled back
when it was a dry run or when any row failed: an import writes all rows or none. What is written is audited by the
services themselves (the events commit or roll back with the rows).

Imports run as background jobs (factoryos.jobs, about 10 ms a row): ``import_start`` stores the file (sealed) in a
job and enqueues ``tasks.import_file``; the worker runs ``import_job``, which is ``run_import`` as the member who
uploaded, reporting its progress. ``import_confirm`` starts the import of a file whose dry run passed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from factoryos.core.models import Membership
from factoryos.imports import formats
from factoryos.imports.errors import ImportsError
from factoryos.imports.kinds import KINDS, Cells, Kind, RowErrors
from factoryos.jobs import services as jobs
from factoryos.jobs.models import Job, JobStatus
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


def run_import(
    *,
    actor: Membership,
    kind: str,
    filename: str,
    data: bytes,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Validate (dry run) or import one file. File-level problems raise formats.FileError. ``progress(done, total)``
    hears of every row."""
    spec = kind_of(kind)
    headers, rows = formats.read(filename, data)
    report = Report(kind=spec.slug, dry_run=dry_run, rows=len(rows))
    report.errors = _check_headers(spec, headers)
    if progress is not None:
        progress(0, len(rows))
    if report.errors:
        return report
    with transaction.atomic():
        for done, (number, cells) in enumerate(rows, start=1):
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
            if progress is not None:
                progress(done, len(rows))
        if dry_run or report.errors:
            transaction.set_rollback(True)
    if report.errors:
        report.created = 0
    return report


# -- as background jobs ---------------------------------------------------------------------------------------------
JOB_KIND = "import"
EXPIRED = "That upload has expired: upload the file again."


def import_start(*, actor: Membership, kind: str, filename: str, data: bytes, dry_run: bool) -> Job:
    """A job that checks (``dry_run``) or imports ``data``, queued for the worker; the file is kept sealed in it."""
    from factoryos.imports.tasks import import_file  # the task runs import_job below

    spec = kind_of(kind)
    formats.format_of(filename)
    verb = "Check of" if dry_run else "Import of"
    return jobs.job_create(
        actor=actor,
        kind=JOB_KIND,
        title=f"{verb} {spec.label.lower()} from {filename}",
        task=import_file,
        view_permission=spec.export_permission,  # who may read what it imports may read its report
        params={"kind": spec.slug, "filename": filename, "dry_run": dry_run},
        upload=data,
    )


def checked_file(job: Job, *, actor: Membership, kind: str) -> bool:
    """Whether ``job`` is ``actor``'s dry run of ``kind`` that passed and whose file is still kept."""
    params = job.params
    return (
        job.kind == JOB_KIND
        and params.get("kind") == kind
        and params.get("dry_run") is True
        and job.status == JobStatus.SUCCEEDED
        and not job.errors
        and job.created_by_id == actor.pk
        and Job.objects.filter(pk=job.pk, upload__isnull=False).exists()
    )


@transaction.atomic
def import_confirm(*, actor: Membership, kind: str, checked: Job) -> Job:
    """Import the file of ``checked``, ``actor``'s dry run of ``kind`` that passed (the file is not asked again)."""
    checked = Job.objects.select_for_update(of=("self",)).get(pk=checked.pk)
    if not checked_file(checked, actor=actor, kind=kind):
        raise formats.FileError(EXPIRED)
    data = jobs.upload_of(checked)
    Job.objects.filter(pk=checked.pk).update(upload=None)  # one import per check
    return import_start(actor=actor, kind=kind, filename=checked.params["filename"], data=data, dry_run=False)


def import_job(job: Job, actor: Membership, progress: Callable[[int, int], None]) -> jobs.Outcome:
    """The work of an import job (in the worker, as ``actor``): ``run_import`` on the job's file."""
    params = job.params
    dry_run = bool(params["dry_run"])
    summary = {"kind": params["kind"], "dry_run": dry_run, "rows": 0, "created": 0}
    try:
        report = run_import(
            actor=actor,
            kind=params["kind"],
            filename=params["filename"],
            data=jobs.upload_of(job),
            dry_run=dry_run,
            progress=progress,
        )
    except DomainError as exc:  # the file as a whole: unreadable, too many rows, not UTF-8
        return jobs.Outcome(ok=False, result=summary, message=exc.message)
    summary.update(rows=report.rows, created=report.created)
    # A dry run answers "what is wrong?": it succeeds with its report. An import with errors imported nothing.
    refused = not report.ok and not dry_run
    return jobs.Outcome(
        ok=not refused,
        result=summary,
        errors=[e.__dict__ for e in report.errors],
        message=f"{len(report.errors)} error(s) in the file: nothing was imported." if refused else "",
        keep_upload=dry_run and report.ok,  # for the import that confirms it
    )


def _check_format(fmt: str) -> None:
    if fmt not in formats.FORMATS:
        raise DomainError("The format is csv or xlsx.", code=ImportsError.BAD_FORMAT, field="format")


def _written(kind: str, fmt: str) -> tuple[Kind, bytes, int]:
    """(the kind, the file of every row of ``kind`` in ``fmt``, how many rows)."""
    spec = kind_of(kind)
    _check_format(fmt)
    rows = list(spec.export_rows())
    return spec, formats.write(fmt, spec.headers, rows), len(rows)


def export(*, actor: Membership, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(file content, content type, file name) of every row of ``kind``; the export is audited."""
    spec, content, count = _written(kind, fmt)
    with transaction.atomic():
        events.record(
            action=Action.EXPORT,
            actor=actor,
            object_type=spec.object_type,
            metadata={"kind": spec.slug, "format": fmt, "count": count},
        )
    return content, formats.CONTENT_TYPES[fmt], f"{spec.slug}.{fmt}"


# An export of more rows than this is made by the worker (a job: the page and the API wait for it, then download).
EXPORT_JOB_ROWS = 5_000
EXPORT_JOB_KIND = "export"


def export_size(kind: str) -> int:
    """How many rows an export of ``kind`` has, near enough (its model's): over ``EXPORT_JOB_ROWS``, the worker's."""
    return kind_of(kind).model._default_manager.count()


def export_start(*, actor: Membership, kind: str, fmt: str) -> Job:
    """A job that makes the export of ``kind`` in ``fmt``; its asker downloads the file when it has succeeded (the
    download is the audited export: jobs.selectors.made_file)."""
    from factoryos.imports.tasks import export_file  # the task runs export_job below

    spec = kind_of(kind)
    _check_format(fmt)
    return jobs.job_create(
        actor=actor,
        kind=EXPORT_JOB_KIND,
        title=f"Export of {spec.label.lower()} ({fmt.upper()})",
        task=export_file,
        view_permission=spec.export_permission,
        params={"kind": spec.slug, "format": fmt},
    )


def export_job(job: Job, actor: Membership, progress: Callable[[int, int], None]) -> jobs.Outcome:
    """The work of an export job (in the worker, as ``actor``): the file, kept sealed in the job."""
    fmt = job.params["format"]
    spec, content, count = _written(job.params["kind"], fmt)
    progress(count, count)
    result = {
        "kind": spec.slug,
        "format": fmt,
        "rows": count,
        "filename": f"{spec.slug}.{fmt}",
        "content_type": formats.CONTENT_TYPES[fmt],
        "object_type": spec.object_type,
    }
    return jobs.Outcome(ok=True, result=result, made=content)


def template(*, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """An empty file of ``kind`` with its header row and one example row."""
    spec = kind_of(kind)
    _check_format(fmt)
    content = formats.write(fmt, spec.headers, [list(spec.example)])
    return content, formats.CONTENT_TYPES[fmt], f"{spec.slug}-template.{fmt}"
