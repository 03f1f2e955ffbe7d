"""POST /imports/{kind} (multipart ``file``, ``?dry_run=true``) and GET /exports/{kind}?format=csv|xlsx.

One operation per kind, so that each carries its own permission guard (catalog.edit for items and BOM lines,
inventory.edit for locations and opening stock; the view permissions for exports). An import runs as a background
job: the upload answers 202 with the job (``url`` to poll: GET /jobs/{id}), whose ``errors`` are the report. An
export of more than ``services.EXPORT_JOB_ROWS`` rows is a job too: 202, then its ``file_url``.
"""

from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router, UploadedFile
from ninja.responses import Status

from factoryos.imports import formats, services
from factoryos.imports.kinds import KINDS, Kind
from factoryos.jobs.schemas import JobOut
from factoryos.kernel.access import requires
from factoryos.kernel.api import OPTIONAL_FILE, ErrorOut
from factoryos.kernel.reads import EXPORT, reads

router = Router(tags=["imports"])


def read_upload(file: UploadedFile | None) -> tuple[str, bytes]:
    if file is None:
        raise formats.FileError("Upload a file in the 'file' field (multipart/form-data).")
    if file.size is not None and file.size > formats.MAX_BYTES:
        raise formats.FileError(f"The file is larger than {formats.MAX_BYTES // (1024 * 1024)} MB: split it.")
    formats.format_of(file.name or "")
    return file.name or "", file.read()


def _import_operation(kind: Kind):
    @requires(kind.import_permission)
    def operation(request, file: UploadedFile = OPTIONAL_FILE, dry_run: bool = False):
        name, data = read_upload(file)
        job = services.import_start(actor=request.membership, kind=kind.slug, filename=name, data=data, dry_run=dry_run)
        return Status(202, job)

    return operation


def _export_operation(kind: Kind):
    @requires(kind.export_permission)
    @reads(EXPORT)
    def operation(request, fmt: Literal["csv", "xlsx"] = Query("csv", alias="format")):
        if services.export_size(kind.slug) > services.EXPORT_JOB_ROWS:  # the worker's: 202, then the job's file_url
            return Status(202, services.export_start(actor=request.membership, kind=kind.slug, fmt=fmt))
        content, content_type, filename = services.export(actor=request.membership, kind=kind.slug, fmt=fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    return operation


for _kind in KINDS.values():
    router.post(
        f"/imports/{_kind.slug}",
        response={202: JobOut, 400: ErrorOut},
        operation_id=f"import_{_kind.url_name}",
        summary=f"Import {_kind.label.lower()} (CSV or XLSX; dry_run=true only validates) as a background job",
        description="Columns (header names, case-insensitive): "
        + ", ".join(f"{c.name}{' (required)' if c.required else ''}" for c in _kind.columns)
        + ". Answers 202 with the job; poll its url (GET /jobs/{id}) until its status is succeeded or failed. Every "
        "row is validated: the job's errors list every problem by row and column. dry_run=true writes nothing (the "
        "job succeeds with its report); otherwise any error means nothing is written (the job fails). A file that "
        "cannot be read fails the job with its message; no file, a wrong type or too large a file is a 400 at once.",
    )(_import_operation(_kind))
    router.get(
        f"/exports/{_kind.slug}",
        response={200: str, 202: JobOut},
        operation_id=f"export_{_kind.url_name}",
        summary=f"Export {_kind.label.lower()} as CSV or XLSX (importable back)",
        description=f"The file at once; over {services.EXPORT_JOB_ROWS:,} rows, 202 with a background job: poll its "
        "url (GET /jobs/{id}) until it has succeeded, then download its file_url (GET /jobs/{id}/file).",
        openapi_extra={
            "responses": {
                200: {
                    "content": {
                        "text/csv": {"schema": {"type": "string"}},
                        formats.CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
                    }
                }
            }
        },
    )(_export_operation(_kind))
