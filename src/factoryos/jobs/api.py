"""GET /jobs and /jobs/{id}: the background jobs the caller may see, with their status, progress and report.

Any member (or API key) may ask; each sees the jobs whose data they may read (``Job.view_permission``), so an
integration polls the import it started with the scope that let it import. Another organization's job is a 404.
Reads record nothing (a poll a second; see jobs/selectors.py); downloading a job's file is the recorded export.
"""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router

from factoryos.jobs import selectors
from factoryos.jobs.filters import JobFilterSet
from factoryos.jobs.schemas import JobOut
from factoryos.kernel.access import has_perm
from factoryos.kernel.api import PageParams, page_of, paginate
from factoryos.kernel.filters import query_schema
from factoryos.kernel.reads import EXPORT, NOTHING, reads
from factoryos.kernel.resources import PathId, filter_errors

router = Router(tags=["jobs"])
# What a job's file may be (today: an export, CSV or XLSX).
FILE_TYPES = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
}
JobParams = query_schema(JobFilterSet)


def _visible(request):
    return selectors.visible(lambda permission: has_perm(request, permission))


@router.get("/jobs", response=page_of(JobOut), summary="List background jobs (newest first)")
@reads(NOTHING)
def job_list(request, params: Query[JobParams], page: Query[PageParams]):  # type: ignore[valid-type]
    listing = selectors.jobs.filter(params.model_dump(exclude_none=True), queryset=_visible(request))
    if not listing.filterset.is_valid():
        raise filter_errors(listing.filterset)
    return paginate(listing.queryset, limit=page.limit, offset=page.offset, ordering=None, allowed=set())


@router.get("/jobs/{id}", response=JobOut, url_name="job_get", summary="Read one background job (poll it)")
@reads(NOTHING)
def job_get(request, id: PathId):  # noqa: A002 - the path parameter's name
    return selectors.jobs.fetch(id, queryset=_visible(request))


@router.get(
    "/jobs/{id}/file",
    response={200: str},
    url_name="job_file",
    summary="Download the file a job made (a large export), once it has succeeded",
    openapi_extra={"responses": {200: {"content": FILE_TYPES}}},
)
@reads(EXPORT)
def job_file(request, id: PathId):  # noqa: A002 - the path parameter's name
    job = selectors.jobs.fetch(id, queryset=_visible(request))
    content, content_type, filename = selectors.made_file(job, actor=request.membership)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
