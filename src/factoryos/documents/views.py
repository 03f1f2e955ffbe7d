"""Documents pages, declared on the shared page layer (web/pages.py): the download of a kept PDF.

The records' own pages (a quote's, an invoice's) list their documents (``selectors.for_record``) and link here.
Who may download one is on the row (``Rendered.view_permission``): another organization's document is a 404, one
the member may not read a 403. Downloading is the recorded export (``selectors.opened``). The guard depends on the
object, so the view is marked ``required_permission_of = "view_permission"`` (the object's attribute naming the
permission) rather than ``required_permission``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from factoryos.documents import selectors
from factoryos.documents.http import OBJECT_PERMISSION, pdf_response, readable
from factoryos.kernel.reads import EXPORT
from factoryos.web.pages import Page, route


@route("documents/<int:pk>/pdf", "download")
class DownloadPage(Page):
    """The PDF, as an attachment (``?inline=1``: shown in the browser's viewer)."""

    reads = EXPORT

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., Any]:
        view = super().as_view(**initkwargs)
        view.required_permission_of = OBJECT_PERMISSION  # type: ignore[attr-defined]  # for the role matrix
        return view

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        rendered = readable(request, pk)
        inline = request.GET.get("inline") == "1"
        return pdf_response(rendered, selectors.opened(rendered, actor=self.actor, inline=inline), inline=inline)
