"""Plan pages, declared on the shared page layer (web/pages.py): MRP (the last run's planned orders, grouped by item
or by supplier, chosen and firmed; its messages; a new run in the background with its progress), an item's plan
(its projected stock as a chart, its planned orders and messages) and the demand forecast."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum, Window
from django.db.models.functions import Round
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.catalog import selectors as catalog
from factoryos.jobs import selectors as job_selectors
from factoryos.jobs.models import Job
from factoryos.kernel.access import has_perm
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.reads import NOTHING, VIEW
from factoryos.mrp import selectors, services
from factoryos.mrp.forms import ForecastForm, RunForm
from factoryos.mrp.models import MrpMessage, PlannedOrder
from factoryos.web import pages
from factoryos.web.pages import DeletePage, FormPage, ListPage, Page, route
from factoryos.web.tables import Column

MODULE = "planning"
MESSAGES_SHOWN = 50


def _running_job(request: HttpRequest) -> Job | None:
    jobs = job_selectors.visible(lambda permission: has_perm(request, permission))
    return jobs.filter(kind=services.JOB_KIND, finished_at__isnull=True).order_by("-pk").first()


@route("mrp/", "plannedorder_list", menu=("Plan", "MRP", "chart"))
class PlannedOrderList(ListPage):
    """The last run's proposals (and what was firmed from them), with the run's messages and its Run button."""

    module, reader = MODULE, selectors.planned_orders
    columns = [
        Column("pick", ""),
        Column("item", "Item", ("item__sku", "due_date", "id")),
        Column("source", "Make / buy", ("source", "item__sku", "due_date")),
        Column("quantity", "Quantity", css="num"),
        Column("release", "Release", ("release_date", "id")),
        Column("due", "Due", ("due_date", "id")),
        Column("supplier", "Supplier", ("supplier__code", "item__sku", "due_date")),
        Column("for", "For"),
        Column("status", "Status", ("status", "due_date")),
    ]
    default_sort = "item"
    filter_fields = ("q", "source", "status", "supplier", "past_due", "due_by")

    def grouping(self) -> str | None:
        sort = self.request.GET.get("sort", self.default_sort).lstrip("-")
        return sort if sort in ("item", "supplier") else None

    def get_queryset(self) -> Any:
        run = selectors.latest_run()
        if run is None:
            return PlannedOrder.objects.none()
        rows = self.reader.all().filter(run=run)
        by = self.grouping()
        if by is None:
            return rows
        group = {"partition_by": [F(f"{by}_id")]}  # each group's totals on its rows (after the filters)
        value = ExpressionWrapper(F("quantity") * F("item__standard_cost"), output_field=DecimalField())
        return rows.annotate(
            group_orders=Window(Count("id"), **group),
            group_quantity=Window(Sum("quantity"), **group),
            group_value=Round(Window(Sum(value), **group), 2, output_field=DecimalField()),
        )

    def get_context(self, listing: Any) -> dict[str, Any]:
        run = selectors.latest_run()
        notes = (
            selectors.messages.all().filter(run=run).order_by("on", "item__sku") if run else MrpMessage.objects.none()
        )
        return {
            "run": run,
            "notes": list(notes[:MESSAGES_SHOWN]),
            "notes_count": notes.count(),
            "job": _running_job(self.request),
            "run_form": RunForm(initial={"horizon_days": run.horizon_days if run else services.DEFAULT_HORIZON_DAYS}),
            "grouped": self.grouping() is not None,
        }


@route("mrp/run/", "run_start")
class RunStart(Page):
    """Start a run in the background; the MRP page follows it."""

    module, http_method_names = MODULE, ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RunForm(request.POST)
        job, failure = pages.submit(
            form,
            lambda: services.mrp_run_start(
                actor=self.actor,
                horizon_days=form.cleaned_data["horizon_days"],
                net_change=form.cleaned_data["net_change"],
            ),
        )
        if failure is not None:
            pages.flash_failure(request, failure, "MRP did not start: ")
        else:
            messages.success(request, f"{job.title} started: this page shows its progress.")
        return redirect("mrp:plannedorder_list")


@route("mrp/jobs/<int:pk>/", "run_progress")
class RunProgress(Page):
    """The running plan's panel: it asks for itself every second until the run is done."""

    module, reads, template = MODULE, NOTHING, "mrp/partials/job.html"  # a poll; the run's work is what is audited

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        jobs = job_selectors.visible(lambda permission: has_perm(request, permission))
        job = jobs.filter(kind=services.JOB_KIND, pk=pk).first()
        if job is None:
            raise Http404("Not found.")
        done, total = job_selectors.live_progress(job)
        return self.render({"job": job, "done": done, "total": total})


@route("mrp/firm/", "firm")
class Firm(Page):
    """Firm the ticked proposals into draft purchase orders (one per supplier) and work orders."""

    module, http_method_names = MODULE, ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        chosen = [int(pk) for pk in request.POST.getlist("planned_orders") if pk.isascii() and pk.isdigit()]
        try:
            made = services.planned_orders_firm(actor=self.actor, planned_orders=chosen)
        except pages.SERVICE_ERRORS as failure:
            messages.error(request, "Nothing firmed: " + error_messages(failure))
            return redirect("mrp:plannedorder_list")
        numbers = [order.number for orders in made.values() for order in orders]
        messages.success(request, f"Firmed as {', '.join(numbers)}: drafts to check and send or release.")
        return redirect("mrp:plannedorder_list")


def _chart(points: list[tuple[Any, Decimal]], *, width: int = 640, height: int = 180) -> dict[str, Any]:
    """A step line of the projected stock (server-rendered SVG: no script, no library)."""
    if not points:
        return {}
    values = [float(q) for _, q in points]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    first, last = points[0][0], points[-1][0]
    days = max((last - first).days, 1)
    x = [round(40 + (on - first).days / days * (width - 60), 1) for on, _ in points]
    y = [round(10 + (high - v) / span * (height - 30), 1) for v in values]
    path = f"M{x[0]},{y[0]}" + "".join(f" H{x[i]} V{y[i]}" for i in range(1, len(points))) + f" H{width - 20}"
    zero = round(10 + high / span * (height - 30), 1)
    return {"width": width, "height": height, "path": path, "zero": zero, "high": high, "low": low,
            "first": first, "last": last}  # fmt: skip


@route("mrp/items/<int:pk>/", "item_plan")
class ItemPlan(Page):
    """One item in the last run: its projected stock, its planned orders and messages."""

    module, reads, template = MODULE, VIEW, "mrp/item_plan.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = catalog.items.get(pk, actor=self.actor, metadata={"view": "plan"})
        run = selectors.latest_run()
        points = selectors.projected(item, run) if run else []
        context = {
            "item": item,
            "run": run,
            "points": points,
            "chart": _chart(points),
            "planned": list(selectors.planned_orders.all().filter(run=run, item=item)) if run else [],
            "notes": list(selectors.messages.all().filter(run=run, item=item)) if run else [],
        }
        return self.render(context)


# -- forecasts -----------------------------------------------------------------------------------------------------
@route("forecasts/", "forecast_list", menu=("Plan", "Forecast", "chart"))
class ForecastList(ListPage):
    module, reader = MODULE, selectors.forecasts
    columns = [
        Column("item", "Item", ("item__sku", "starts_on")),
        Column("period", "Period", ("starts_on", "item__sku")),
        Column("quantity", "Quantity", css="num"),
        Column("notes", "Notes"),
    ]
    default_sort = "period"


@route("forecasts/new/", "forecast_create")
class ForecastCreate(FormPage):
    module, form_class, service = MODULE, ForecastForm, services.forecast_create
    success_url, success_message = "mrp:forecast_list", "Forecast added."
    prefill = ("item",)


@route("forecasts/<int:pk>/", "forecast_edit")
class ForecastEdit(FormPage):
    module, form_class, reader, service = MODULE, ForecastForm, selectors.forecasts, services.forecast_update
    success_url, success_message = "mrp:forecast_list", "Forecast saved."


@route("forecasts/<int:pk>/delete/", "forecast_delete")
class ForecastDelete(DeletePage):
    module, reader, service, redirect_to = MODULE, selectors.forecasts, services.forecast_delete, "mrp:forecast_list"
