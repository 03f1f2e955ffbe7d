"""The Import / export page: pick a kind, upload a file, watch its dry run (a background job: a progress bar, then
the errors by row and column, or the counts), confirm the import; download exports and template files.

An upload starts a job (factoryos.jobs) and redirects to the job's page, whose panel polls the job every second
(htmx) until it has finished, then shows its report. A dry run that passes keeps its file, sealed, in its job, so
that "Import" does not ask for the file again: the import is a second job with the same file.
"""

from __future__ import annotations

import re

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factoryos.imports import formats, services
from factoryos.imports.kinds import KINDS
from factoryos.jobs import selectors as job_selectors
from factoryos.jobs.models import Job
from factoryos.kernel.access import has_perm
from factoryos.kernel.errors import DomainError
from factoryos.kernel.reads import EXPORT, NOTHING
from factoryos.web.pages import member_view
from factoryos.web.pages import render as render_page

RECENT_JOBS = 5
JOB_ID = re.compile(r"^[1-9][0-9]{0,17}$")  # an id the database can compare (a bigint)


def _jobs(request, *kinds: str):
    """The import (or export) jobs the member may see (they read what each imports or exports)."""
    visible = job_selectors.visible(lambda permission: has_perm(request, permission))
    return visible.filter(kind__in=kinds or (services.JOB_KIND,))


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
    recent = _jobs(request).filter(params__kind=current["slug"])[:RECENT_JOBS]
    return {"kinds": kinds, "current": current, "max_rows": formats.MAX_ROWS, "recent_jobs": recent, **extra}


@require_GET
@member_view("catalog.view", reads=NOTHING)
def page(request):
    return render(request, "imports/page.html", _context(request, request.GET.get("kind", "items")))


def upload_view(slug: str):
    kind = KINDS[slug]

    @require_POST
    @member_view(kind.import_permission)
    def upload(request):
        upload = request.FILES.get("file")
        checked = request.POST.get("job", "")
        try:
            if upload is not None:
                from factoryos.imports.api import read_upload

                filename, data = read_upload(upload)
                dry_run = request.POST.get("action", "dry_run") != "import"
                job = services.import_start(
                    actor=request.membership, kind=slug, filename=filename, data=data, dry_run=dry_run
                )
            elif checked:
                found = _jobs(request).filter(pk=int(checked)).first() if JOB_ID.match(checked) else None
                if found is None:
                    raise formats.FileError(services.EXPIRED)
                job = services.import_confirm(actor=request.membership, kind=slug, checked=found)
            else:
                raise formats.FileError("Choose a .csv or .xlsx file to upload.")
        except DomainError as exc:
            return render(request, "imports/page.html", _context(request, slug, file_error=exc.message), status=400)
        return redirect("imports:job", job.pk)

    return upload


@require_GET
@member_view("catalog.view", reads=NOTHING)  # a poll every second; the job's own work is what is audited
def job_view(request, pk: int):
    """An import (or export) job: its progress while it runs (the panel polls itself), then its report (or file)."""
    has_file = ExpressionWrapper(Q(upload__isnull=False), output_field=BooleanField())
    job = _jobs(request, services.JOB_KIND, services.EXPORT_JOB_KIND).annotate(has_file=has_file).filter(pk=pk).first()
    if job is None:
        raise Http404("Not found.")
    slug = job.params.get("kind", "")
    if slug not in KINDS:
        raise Http404("Not found.")
    context = _context(request, slug, job=job, **_job_context(request, job))
    return render_page(request, "imports/page.html", context, partial="imports/partials/job.html")


def _job_context(request, job: Job) -> dict:
    """What the job's panel shows: the progress, or the report as the dry run and the import give it."""
    done, total = job_selectors.live_progress(job)
    report = {**job.result, "errors": job.errors}
    can_confirm = (
        job.finished
        and job.created_by_id == request.membership.pk
        and bool(getattr(job, "has_file", False))
        and report.get("dry_run") is True
        and not job.errors
        and has_perm(request, KINDS[job.params["kind"]].import_permission)
    )
    return {
        "done": done,
        "total": total,
        "report": report,
        "filename": job.params.get("filename", ""),
        "can_confirm": can_confirm,
    }


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
    """The export of kind ``slug``: the file at once; over ``services.EXPORT_JOB_ROWS`` rows, a page that offers to
    have the worker make it (POST starts the job, whose page then offers the download)."""
    kind = KINDS[slug]
    sends = _download_view(
        slug, EXPORT, lambda request, fmt: services.export(actor=request.membership, kind=slug, fmt=fmt)
    )

    @require_http_methods(["GET", "POST"])
    @member_view(kind.export_permission, reads=EXPORT)
    def export(request):
        fmt = request.GET.get("format", "csv")
        fmt = fmt if fmt in formats.FORMATS else "csv"
        rows = services.export_size(slug)
        if rows <= services.EXPORT_JOB_ROWS:
            return sends(request)
        if request.method == "POST":
            job = services.export_start(actor=request.membership, kind=slug, fmt=fmt)
            return redirect("imports:job", job.pk)
        large = {"format": fmt, "rows": rows, "threshold": services.EXPORT_JOB_ROWS}
        return render(request, "imports/page.html", _context(request, slug, large_export=large))

    return export


@require_GET
@member_view("catalog.view", reads=EXPORT)
def job_file(request, pk: int):
    """The file an export job made: downloading it is the export (recorded)."""
    job = _jobs(request, services.EXPORT_JOB_KIND).filter(pk=pk).first()
    if job is None:
        raise Http404("Not found.")
    content, content_type, filename = job_selectors.made_file(job, actor=request.membership)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def template_view(slug: str):
    return _download_view(slug, NOTHING, lambda request, fmt: services.template(kind=slug, fmt=fmt))
