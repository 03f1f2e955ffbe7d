"""Estimates that learn, on the web (the reads are production.estimates; decision 0014): Make › Estimates, the
estimated beside actual setup and run time of the operations completed in a period, by work center and by item;
and the standard times the floor suggests, shown beside each operation of the BOM editor's routing (a column
production adds to the catalog's table through ``web.panels``) with an Accept button for engineers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.catalog import selectors as catalog
from factoryos.catalog.models import Operation
from factoryos.kernel.access import has_perm
from factoryos.kernel.reads import LIST
from factoryos.production import estimates, services
from factoryos.production.forms import TimeSuggestionForm
from factoryos.web import pages
from factoryos.web.pages import Page, route
from factoryos.web.panels import Column

MODULE = "production"


@route("estimates/", "estimates", menu=("Make", "Estimates", "chart"))
class Estimates(Page):
    """Estimated (planned at release) beside actual setup and run time of the operations completed in a period (the
    last 90 days unless asked), by work center and by item, and the latest one by one (one LIST event)."""

    module, reads, template = MODULE, LIST, "production/estimates.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        listing = estimates.completed.filter(estimates.criteria(request.GET))
        summary = estimates.summary(listing.queryset)
        listing.record(count=summary.count, actor=self.actor, view="estimates")
        return self.render(
            {
                "form": listing.filterset.form,
                "summary": summary,
                "runs": estimates.RUNS,
                "least_runs": estimates.LEAST_RUNS,
                "threshold": estimates.THRESHOLD_PCT,
            }
        )


@route("estimates/operations/<int:pk>/accept/", "time_suggestion_accept")
class TimeSuggestionAccept(Page):
    """Accept the standard times an operation's last runs suggest (the button beside it in the BOM editor): it
    changes the routing, so it takes engineering's permission; back to the routing with what changed."""

    module, permission, http_method_names = MODULE, "catalog.edit", ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        operation = catalog.operations.fetch(pk)
        form = TimeSuggestionForm(request.POST)
        result, failure = pages.submit(
            form, lambda: services.time_suggestion_accept(actor=self.actor, obj=operation, **form.service_fields())
        )
        if failure is not None:
            pages.flash_failure(request, failure, f"Operation {operation.sequence} unchanged: ")
        else:
            messages.success(
                request,
                f"Operation {result.sequence} now plans {result.setup_minutes.normalize():f} min setup and "
                f"{result.run_minutes_per_unit.normalize():f} min per unit, from the floor's last runs.",
            )
        return redirect("catalog:bom_detail", operation.bom_id)


# -- the routing's column (registered in apps.py): what the floor suggests beside each operation -------------------
def _suggestion_cells(request: HttpRequest, operations: list[Operation]) -> dict[Any, dict[str, Any]]:
    found = estimates.suggestions(operations)
    can_accept = has_perm(request, "catalog.edit")
    return {
        pk: {"suggestion": suggestion, "can_accept": can_accept, "least_runs": estimates.LEAST_RUNS}
        for pk, suggestion in found.items()
    }


ROUTING_TIMES_COLUMN = Column(
    slot="catalog.operation",
    header="Learned from the floor",
    template="production/cells/time_suggestion.html",
    cells=_suggestion_cells,
    permission=f"{MODULE}.view",
)
