from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

from factoryos.kernel.api import error_body
from factoryos.kernel.errors import CommonError


class HtmxVaryMiddleware:
    """One URL serves a full page or, for htmx, a partial; caches must key on HX-Request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.htmx = request.headers.get("HX-Request") == "true"
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response


def too_large_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return f"The request is larger than {limit / (1024 * 1024):.1f} MB (files are uploaded with their own limit)."


class RequestBodyMiddleware:
    """Read the request's body first, so that a body Django refuses is answered here, the same way for every page and
    API operation: 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, 400 for too many fields or files or a broken
    multipart body, never the 500 (or the bare 400) of an exception raised wherever the body happened to be read.

    Under /api/ the answer is the API's error body (``code``: ``request_too_large``, ``invalid``); a page gets a
    plain error page. A multipart body's files are not counted (they stream to the upload handlers): an import file
    and a profile photo have their own limits, checked where they are read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if request.content_type == "multipart/form-data":
                request.POST  # noqa: B018 - parses the form: its fields in memory (the limit), its files to disk
            else:
                request.body  # noqa: B018 - read once, kept for the parser that needs it
        except RequestDataTooBig:
            return self.refused(request, 413, too_large_message(), CommonError.REQUEST_TOO_LARGE)
        except (TooManyFieldsSent, TooManyFilesSent, MultiPartParserError) as exc:
            return self.refused(request, 400, f"The request cannot be read: {exc}", CommonError.INVALID)
        return self.get_response(request)

    @staticmethod
    def refused(request: HttpRequest, status: int, detail: str, code: CommonError) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(detail, code), status=status)
        page = render_to_string("web/request_refused.html", {"status": status, "detail": detail})
        return HttpResponse(page, status=status)
