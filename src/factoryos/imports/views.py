"""The Import / export page: pick a kind, upload a file, read the dry run (errors by row and column, or the counts),
confirm the import; download exports and template files.

A dry run that passes keeps the uploaded file on disk (under VAR_DIR/imports, named by a random token held in the
session) so that "Import" does not ask for the file again.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from factoryos.imports import formats, services
from factoryos.imports.kinds import KINDS
from factoryos.kernel.access import has_perm
from factoryos.kernel.errors import DomainError
from factoryos.kernel.reads import EXPORT, NOTHING
from factoryos.web.pages import member_view

SESSION_KEY = "imports_staged"
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _staging_dir():
    path = settings.VAR_DIR / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stage(request, slug: str, filename: str, data: bytes) -> str:
    token = secrets.token_hex(16)
    (_staging_dir() / token).write_bytes(data)
    staged = request.session.get(SESSION_KEY, {})
    staged[token] = {"kind": slug, "filename": filename, "org": request.membership.org_id}
    request.session[SESSION_KEY] = staged
    return token


def _staged(request, slug: str, token: str) -> tuple[str, bytes] | None:
    info = request.session.get(SESSION_KEY, {}).get(token) if TOKEN.match(token or "") else None
    if not info or info["kind"] != slug or info["org"] != request.membership.org_id:
        return None
    path = _staging_dir() / token
    return (info["filename"], path.read_bytes()) if path.exists() else None


def _unstage(request, token: str) -> None:
    staged = request.session.get(SESSION_KEY, {})
    if staged.pop(token, None) is not None:
        request.session[SESSION_KEY] = staged
    (_staging_dir() / token).unlink(missing_ok=True)


def _context(request, slug: str, **extra) -> dict:
    kinds = [
        {
            "slug": k.slug,
            "label": k.label,
            "columns": k.columns,
            "url_name": k.url_name,
            "can_import": has_perm(request, k.import_permission),
            "can_export": has_perm(request, k.export_permission),
        }
        for k in KINDS.values()
    ]
    current = next((k for k in kinds if k["slug"] == slug), kinds[0])
    return {"kinds": kinds, "current": current, "max_rows": formats.MAX_ROWS, **extra}


@require_GET
@member_view("catalog.view", reads=NOTHING)
def page(request):
    return render(request, "imports/page.html", _context(request, request.GET.get("kind", "items")))


def upload_view(slug: str):
    kind = KINDS[slug]

    @require_POST
    @member_view(kind.import_permission)
    def upload(request):
        action = request.POST.get("action", "dry_run")
        token = request.POST.get("token", "")
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                from factoryos.imports.api import read_upload

                filename, data = read_upload(upload)
            elif token and (staged := _staged(request, slug, token)) is not None:
                filename, data = staged
            else:
                raise formats.FileError(
                    "Choose a .csv or .xlsx file to upload."
                    if not token
                    else "That upload has expired: upload the file again."
                )
            report = services.run_import(
                actor=request.membership, kind=slug, filename=filename, data=data, dry_run=action != "import"
            )
        except DomainError as exc:
            return render(request, "imports/page.html", _context(request, slug, file_error=exc.message), status=400)
        if action == "import" and report.ok:
            if token:
                _unstage(request, token)
            messages.success(request, f"Imported {report.created} {kind.label.lower()} from {filename}.")
            return redirect(f"{reverse('imports:page')}?kind={slug}")
        if report.ok and upload is not None:
            token = _stage(request, slug, filename, data)
        context = _context(request, slug, report=report, filename=filename, token=token if report.ok else "")
        return render(request, "imports/page.html", context, status=200 if report.ok else 400)

    return upload


def _download_view(slug: str, reads: str, make):
    """A GET that sends a file of kind ``slug``: ``make(request, fmt)`` gives (content, content type, file name)."""
    kind = KINDS[slug]

    @require_GET
    @member_view(kind.export_permission, reads=reads)
    def download(request):
        fmt = request.GET.get("format", "csv")
        content, content_type, filename = make(request, fmt if fmt in formats.FORMATS else "csv")
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    return download


def export_view(slug: str):
    return _download_view(
        slug, EXPORT, lambda request, fmt: services.export(actor=request.membership, kind=slug, fmt=fmt)
    )


def template_view(slug: str):
    return _download_view(slug, NOTHING, lambda request, fmt: services.template(kind=slug, fmt=fmt))
