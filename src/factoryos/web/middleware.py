from django.utils.cache import patch_vary_headers


class HtmxVaryMiddleware:
    """One URL serves a full page or, for htmx, a partial; caches must key on HX-Request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.htmx = request.headers.get("HX-Request") == "true"
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response
