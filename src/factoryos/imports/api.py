"""POST /imports/{kind} (multipart ``file``, ``?dry_run=true``) and GET /exports/{kind}?format=csv|xlsx.

One operation per kind, so that each carries its own permission guard (catalog.edit for items and BOM lines,
inventory.edit for locations and opening stock; the view permissions for exports).
"""

from typing import Literal

from django.http import HttpResponse
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.responses import Status

from factoryos.imports import formats, services
from factoryos.imports.kinds import KINDS, Kind
from factoryos.kernel.access import requires
from factoryos.kernel.api import ErrorOut
from factoryos.kernel.errors import CommonError
from factoryos.kernel.reads import EXPORT, reads

router = Router(tags=["imports"])
OPTIONAL_FILE = File(None)  # optional in the signature: a missing file is our 400, not a 422 before the guard


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportReportOut(Schema):
    kind: str
    dry_run: bool
    rows: int
    created: int
    errors: list[RowErrorOut]


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
        report = services.run_import(
            actor=request.membership, kind=kind.slug, filename=name, data=data, dry_run=dry_run
        )
        if report.ok or dry_run:  # a dry run answers the question "what is wrong?": its report is the answer
            return Status(200, report.as_dict())
        # A refused import is a client error in the API's one 4xx shape; each error names its row and column.
        errors = [{"field": f"row {e.row}: {e.column}", "message": e.message, "code": e.code} for e in report.errors]
        detail = f"{len(errors)} error(s) in the file: nothing was imported."
        return Status(400, {"detail": detail, "code": CommonError.INVALID, "errors": errors})

    return operation


def _export_operation(kind: Kind):
    @requires(kind.export_permission)
    @reads(EXPORT)
    def operation(request, fmt: Literal["csv", "xlsx"] = Query("csv", alias="format")):
        content, content_type, filename = services.export(actor=request.membership, kind=kind.slug, fmt=fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    return operation


for _kind in KINDS.values():
    router.post(
        f"/imports/{_kind.slug}",
        response={200: ImportReportOut, 400: ErrorOut},
        operation_id=f"import_{_kind.url_name}",
        summary=f"Import {_kind.label.lower()} (CSV or XLSX; dry_run=true only validates)",
        description="Columns (header names, case-insensitive): "
        + ", ".join(f"{c.name}{' (required)' if c.required else ''}" for c in _kind.columns)
        + ". Every row is validated. dry_run=true writes nothing and reports every error by row and column (200); "
        "otherwise any error means nothing is written (400, each error's field naming 'row N: column').",
    )(_import_operation(_kind))
    router.get(
        f"/exports/{_kind.slug}",
        response={200: str},
        operation_id=f"export_{_kind.url_name}",
        summary=f"Export {_kind.label.lower()} as CSV or XLSX (importable back)",
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
