"""Make pages, declared on the shared page layer (web/pages.py): the work orders (list, new, edit, a work order with
its materials, operations, time and cost, and its moves) and the shop floor for a tablet (the work centers, a work
center's queue, one operation with big Start / Pause / Report / Complete buttons)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, Model, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.documents import selectors as documents
from factoryos.facilities import selectors as facilities
from factoryos.kernel.access import has_perm
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.reads import LIST, VIEW
from factoryos.kernel.transitions import can_transition, is_editable
from factoryos.production import costing, selectors, services
from factoryos.production.forms import (
    CheckForm,
    DowntimeForm,
    IssueForm,
    NonConformanceForm,
    PauseForm,
    ReportForm,
    WorkOrderForm,
)
from factoryos.production.models import JobCard, JobStatus, Phase, WorkOrder, WorkOrderStatus
from factoryos.web import pages
from factoryos.web.pages import ActionPage, DeletePage, FormPage, ListPage, Page, route
from factoryos.web.tables import Column

MODULE = "production"


# -- work orders ---------------------------------------------------------------------------------------------------
@route("work-orders/", "workorder_list", menu=("Make", "Work orders", "clipboard"))
class WorkOrderList(ListPage):
    module, reader = MODULE, selectors.work_orders
    columns = [
        Column("number", "Number", ("number",)),
        Column("item", "Item", ("item__sku", "number")),
        Column("quantity", "Quantity", css="num"),
        Column("made", "Made", css="num"),
        Column("due", "Due", ("due_date", "priority", "number")),
        Column("priority", "Priority", ("priority", "due_date", "number"), css="num"),
        Column("status", "Status", ("status", "due_date", "number")),
        Column("source", "Source", ("source", "number")),
    ]
    default_sort = "due"
    filter_fields = ("q", "status", "source", "due_from", "due_to")


@route("work-orders/new/", "workorder_create")
class WorkOrderCreate(FormPage):
    module, form_class, service = MODULE, WorkOrderForm, services.work_order_create
    success_url, success_message = "production:workorder_detail", "Work order {result.number} drafted."
    prefill = ("item", "location")


@route("work-orders/<int:pk>/edit/", "workorder_edit")
class WorkOrderEdit(FormPage):
    module, form_class, reader = MODULE, WorkOrderForm, selectors.work_orders
    service = services.work_order_update
    success_url, success_message = "production:workorder_detail", "Work order {result.number} saved."


def _order_context(request: HttpRequest, order: WorkOrder) -> dict[str, Any]:
    cards = list(
        selectors.job_cards.all().filter(work_order=order).annotate(
            logged=Count("time_logs"), open_logs=Count("time_logs", filter=Q(time_logs__ended_at__isnull=True))
        ).order_by("sequence")
    )  # fmt: skip
    minutes = selectors.minutes_by_card(order)
    for card in cards:
        card.minutes = minutes.get(card.pk, 0)
    materials = list(selectors.materials.all().filter(work_order=order).order_by("job_card__sequence", "item__sku"))
    for material in materials:
        material.held = selectors.held(material)
        initial = {"quantity": material.to_issue.normalize()}
        material.issue_form = IssueForm(prefix=f"issue-{material.pk}", initial=initial)
    released = order.status not in (WorkOrderStatus.DRAFT, WorkOrderStatus.PLANNED, WorkOrderStatus.CANCELLED)
    cost = selectors.cost(order) if released else None
    return {
        "documents": list(documents.for_record(order)),
        "order": order,
        "cards": cards,
        "materials": materials,
        "cost": cost,
        "wip": costing.wip_of(order, cost),
        "editable": is_editable(order) and has_perm(request, f"{MODULE}.edit"),
        "on_the_floor": order.status in (WorkOrderStatus.RELEASED, WorkOrderStatus.STARTED),
        "moves": [
            (name, label, can_transition(order, to))
            for name, label, to in (
                ("plan", "Plan", WorkOrderStatus.PLANNED),
                ("release", "Release", WorkOrderStatus.RELEASED),
                ("close", "Close", WorkOrderStatus.CLOSED),
                ("cancel", "Cancel", WorkOrderStatus.CANCELLED),
            )
        ],
    }


@route("work-orders/<int:pk>/", "workorder_detail")
class WorkOrderDetail(Page):
    module, reads, template = MODULE, VIEW, "production/workorder_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = selectors.work_orders.get(pk, actor=self.actor)
        return self.render(_order_context(request, order))


class _OrderMove(ActionPage):
    module, reader, redirect_to = MODULE, selectors.work_orders, "production:workorder_detail"


@route("work-orders/<int:pk>/plan/", "workorder_plan")
class WorkOrderPlan(_OrderMove):
    service, success_message = services.work_order_plan, "Work order {object.number} planned."


@route("work-orders/<int:pk>/release/", "workorder_release")
class WorkOrderRelease(_OrderMove):
    service = services.work_order_release
    success_message = "Work order {object.number} released to the floor: components reserved, operations queued."


@route("work-orders/<int:pk>/cancel/", "workorder_cancel")
class WorkOrderCancel(_OrderMove):
    service, success_message = services.work_order_cancel, "Work order {object.number} cancelled."


@route("work-orders/<int:pk>/close/", "workorder_close")
class WorkOrderClose(_OrderMove):
    service, success_message = services.work_order_close, "Work order {object.number} closed: its cost is final."


@route("work-orders/<int:pk>/traveler/", "workorder_traveler")
class WorkOrderTraveler(_OrderMove):
    """Print the traveler (its QR codes open each operation on the tablet, at this site's address)."""

    def call(self, obj: Model) -> Any:
        base = self.request.build_absolute_uri("/")
        return services.work_order_traveler(actor=self.actor, obj=obj, base_url=base)  # type: ignore[arg-type]

    def target(self, obj: Model, result: Any) -> HttpResponse:
        if result is not None:
            messages.success(self.request, f"Traveler {result.filename} printed.")
        return redirect("production:workorder_detail", obj.pk)


@route("work-orders/<int:pk>/delete/", "workorder_delete")
class WorkOrderDelete(DeletePage):
    module, reader, service = MODULE, selectors.work_orders, services.work_order_delete

    def target(self, obj: Model, result: Any) -> HttpResponse:
        if result is None:
            return redirect("production:workorder_detail", obj.pk)
        return redirect("production:workorder_list")


@route("materials/<int:pk>/issue/", "material_issue")
class MaterialIssue(Page):
    """Issue a component by hand from the work order's page."""

    module, http_method_names, template = MODULE, ["post"], "production/workorder_detail.html"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        material = selectors.materials.fetch(pk)
        form = IssueForm(request.POST, prefix=f"issue-{material.pk}")
        _, failure = pages.submit(
            form, lambda: services.material_issue(actor=self.actor, obj=material, **form.service_fields())
        )
        if failure is not None:
            pages.flash_failure(request, failure, "Nothing issued: ")
        else:
            messages.success(request, f"{material.item.sku} issued.")
        return redirect("production:workorder_detail", material.work_order_id)


# -- the shop floor (a tablet at the work center) ------------------------------------------------------------------
@route("floor/", "floor", menu=("Make", "Shop floor", "factory"))
class Floor(Page):
    """The work centers, each with how many operations wait in its queue: the operator picks theirs."""

    module, reads, template = MODULE, LIST, "production/floor.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        open_cards = Q(
            job_cards__work_order__status__in=(WorkOrderStatus.RELEASED, WorkOrderStatus.STARTED),
        ) & ~Q(job_cards__status=JobStatus.DONE)
        listing = facilities.work_centers.filter({"active": True})
        centers = list(
            listing.queryset.annotate(
                waiting=Count("job_cards", filter=open_cards),
                running=Count("job_cards", filter=open_cards & Q(job_cards__status=JobStatus.RUNNING)),
            ).order_by("code")
        )
        listing.record(count=len(centers), actor=self.actor, view="shop floor")
        return self.render({"centers": centers})


@route("floor/<int:pk>/", "floor_queue")
class FloorQueue(Page):
    """One work center's queue, in the order to run it."""

    module, reads, template = MODULE, LIST, "production/floor_queue.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        center = facilities.work_centers.fetch(pk)
        listing = selectors.job_cards.filter({"work_center": center.pk}, queryset=selectors.queue(center.pk))
        cards = list(listing.queryset)
        listing.record(count=len(cards), actor=self.actor, view="queue")
        waiting = selectors.waiting(cards)
        for card in cards:
            card.waiting_for = waiting[card.pk]
        return self.render({"center": center, "cards": cards})


def _card_context(request: HttpRequest, card: JobCard, **extra: Any) -> dict[str, Any]:
    open_log = card.time_logs.filter(operator=request.user, ended_at__isnull=True).first()
    phase = services.current_phase(card) if card.status != JobStatus.DONE and not card.outside else ""
    return {
        "card": card,
        "phase": phase,
        "in_setup": card.status == JobStatus.RUNNING and phase == Phase.SETUP,
        "order": card.work_order,
        "available": services.arrived(card) - card.reported,
        "my_log": open_log,
        "people_on_it": card.time_logs.filter(ended_at__isnull=True).select_related("operator"),
        "materials": list(card.materials.select_related("item__uom")),
        "can_start": card.status != JobStatus.DONE and not card.outside,
        "at_supplier": card.quantity_sent - card.reported,
        "can_pause": can_transition(card, JobStatus.PAUSED),
        "can_complete": can_transition(card, JobStatus.DONE),
        "checks": [
            (check, check.results.order_by("-pk").first(), CheckForm(prefix=f"check-{check.pk}"))
            for check in card.checks.all()
        ],
        "pause_form": extra.pop("pause_form", None) or PauseForm(),
        "report_form": extra.pop("report_form", None) or ReportForm(),
        "editable": has_perm(request, f"{MODULE}.edit"),
        **extra,
    }


@route("floor/jobs/<int:pk>/", "job")
class JobCardPage(Page):
    """One operation on the tablet: what to make, what has arrived, who is on it, and the buttons."""

    module, reads, template = MODULE, VIEW, "production/job.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        card = selectors.job_cards.get(pk, actor=self.actor)
        return self.render(_card_context(request, card))


class _JobWrite(Page):
    """A button on the operation's page: back to it, with what happened (or why not)."""

    module, http_method_names, template = MODULE, ["post"], "production/job.html"
    form_class: type[forms.Form] | None = None
    form_name = ""
    done = ""

    def call(self, card: JobCard, fields: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        card = selectors.job_cards.fetch(pk)
        form = self.form_class(request.POST) if self.form_class else forms.Form({})
        fields = lambda: getattr(form, "service_fields", lambda: dict(form.cleaned_data))()  # noqa: E731
        _, failure = pages.submit(form, lambda: self.call(card, fields()))
        if failure is not None:
            card = selectors.job_cards.fetch(pk)
            context = _card_context(request, card, **({self.form_name: form} if self.form_name else {}))
            context["notice"] = "" if form.errors and self.form_name else error_messages(failure)
            return self.render(context, status=pages.error_status(failure))
        messages.success(request, self.done.format(card=card))
        return redirect("production:job", card.pk)


@route("floor/jobs/<int:pk>/start/", "job_start")
class JobStart(_JobWrite):
    done = "Started {card}: your time is running."

    def call(self, card: JobCard, fields: dict[str, Any]) -> Any:
        started = services.job_card_start(actor=self.actor, obj=card)
        if services.current_phase(started) == Phase.SETUP:
            self.done = "Started {card}: your time is running, as setup until you say setup is done."
        return started


@route("floor/jobs/<int:pk>/setup-done/", "job_setup_done")
class JobSetupDone(_JobWrite):
    done = "Setup done on {card}: the run's time is running."

    def call(self, card: JobCard, fields: dict[str, Any]) -> Any:
        return services.job_card_setup_done(actor=self.actor, obj=card)


@route("floor/jobs/<int:pk>/pause/", "job_pause")
class JobPause(_JobWrite):
    form_class, form_name, done = PauseForm, "pause_form", "Paused {card}."

    def call(self, card: JobCard, fields: dict[str, Any]) -> Any:
        return services.job_card_pause(actor=self.actor, obj=card, **fields)


@route("floor/jobs/<int:pk>/report/", "job_report")
class JobReport(_JobWrite):
    form_class, form_name, done = ReportForm, "report_form", "Reported on {card}."

    def call(self, card: JobCard, fields: dict[str, Any]) -> Any:
        return services.job_card_report(actor=self.actor, obj=card, **fields)


@route("floor/jobs/<int:pk>/send/", "job_send")
class JobSend(_JobWrite):
    done = "Sent to the supplier: {card} is at the supplier."

    def call(self, card: JobCard, fields: dict[str, Any]) -> Any:
        return services.job_card_send(actor=self.actor, obj=card)


@route("floor/jobs/<int:pk>/receive/", "job_receive")
class JobReceive(_JobWrite):
    form_class, form_name, done = ReportForm, "report_form", "Received back from the supplier on {card}."

    def call(self, card: JobCard, fields: dict[str, Any]) -> Any:
        return services.job_card_receive(actor=self.actor, obj=card, **fields)


@route("floor/jobs/<int:pk>/complete/", "job_complete")
class JobComplete(_JobWrite):
    form_class, form_name, done = ReportForm, "report_form", "{card} done."

    def call(self, card: JobCard, fields: dict[str, Any]) -> Any:
        return services.job_card_complete(actor=self.actor, obj=card, **fields)


@route("floor/checks/<int:pk>/", "check_record")
class CheckRecord(Page):
    """A check's result from the tablet; a failure opens a non-conformance report."""

    module, http_method_names = MODULE, ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        check = selectors.job_checks.fetch(pk)
        form = CheckForm(request.POST, prefix=f"check-{check.pk}")
        result, failure = pages.submit(
            form, lambda: services.check_record(actor=self.actor, obj=check, **form.service_fields())
        )
        if failure is not None:
            pages.flash_failure(request, failure, f"{check.name} not recorded: ")
        elif result.passed:
            messages.success(request, f"{check.name}: pass.")
        else:
            messages.warning(request, f"{check.name}: fail. A non-conformance report is open for the quality team.")
        return redirect("production:job", check.job_card_id)


# -- quality: non-conformances ---------------------------------------------------------------------------------------
@route("quality/", "nonconformance_list", menu=("Make", "Quality", "shield"))
class NonConformanceList(ListPage):
    """Non-conformance reports, and their trend (count and cost) by item, work center and root cause."""

    module, reader = MODULE, selectors.non_conformances
    columns = [
        Column("number", "NCR", ("id",)),
        Column("order", "Work order", ("work_order__number", "id")),
        Column("item", "Item", ("work_order__item__sku", "id")),
        Column("center", "Work center", ("job_card__work_center__code", "id")),
        Column("description", "What failed"),
        Column("disposition", "Disposition", ("disposition", "id")),
        Column("cause", "Root cause", ("root_cause", "id")),
        Column("cost", "Cost", ("cost", "id"), css="num"),
        Column("status", "Status", ("status", "id")),
    ]
    default_sort = "-number"
    filter_fields = ("q", "status", "disposition", "root_cause", "work_center", "date_from", "date_to")

    def get_context(self, listing: Any) -> dict[str, Any]:
        return {"trend": selectors.ncr_trend(listing.queryset)}


@route("quality/<int:pk>/", "nonconformance_edit")
class NonConformanceEdit(FormPage):
    module, form_class, reader = MODULE, NonConformanceForm, selectors.non_conformances
    service, success_url = services.non_conformance_update, "production:nonconformance_edit"
    success_message = "{result} saved."

    def get_context(self, form: Any) -> dict[str, Any]:
        return {"can_close": can_transition(self.object, "closed")}


@route("quality/<int:pk>/close/", "nonconformance_close")
class NonConformanceClose(ActionPage):
    module, reader, redirect_to = MODULE, selectors.non_conformances, "production:nonconformance_edit"
    service, success_message = services.non_conformance_close, "{object} closed."


# -- downtime ------------------------------------------------------------------------------------------------------
@route("downtime/", "downtime_list", menu=("Make", "Downtime", "gauge"))
class DowntimeList(ListPage):
    """When each work center was (or is) out of use, and why: the scheduler plans around it."""

    module, reader = MODULE, selectors.downtimes
    columns = [
        Column("center", "Work center", ("work_center__code", "-starts_at")),
        Column("reason", "Reason", ("reason", "-starts_at")),
        Column("from", "From", ("starts_at", "id")),
        Column("to", "To", ("ends_at", "id")),
        Column("minutes", "Minutes", css="num"),
        Column("note", "Note"),
    ]
    default_sort = "-from"
    filter_fields = ("work_center", "reason", "open", "date_from", "date_to")


@route("downtime/new/", "downtime_create")
class DowntimeCreate(FormPage):
    module, form_class, service = MODULE, DowntimeForm, services.downtime_create
    success_url, success_message = "production:downtime_list", "Downtime recorded."
    prefill = ("work_center",)


@route("downtime/<int:pk>/", "downtime_edit")
class DowntimeEdit(FormPage):
    module, form_class, reader, service = MODULE, DowntimeForm, selectors.downtimes, services.downtime_update
    success_url, success_message = "production:downtime_list", "Downtime saved."


@route("downtime/<int:pk>/delete/", "downtime_delete")
class DowntimeDelete(DeletePage):
    module, reader, service = MODULE, selectors.downtimes, services.downtime_delete
    redirect_to = "production:downtime_list"
