"""Plan: a demand forecast, MRP runs and what they propose (planned purchase and work orders with their pegging, and
exception messages), until a planner firms a proposal into a real purchase or work order.

A run is a regenerative plan of the whole organization (``services.mrp_run``): the database is read into the pure
engine's scenario (``planning.engine.mrp``; dates become working-day periods of the organization's calendar), the
engine plans, and its orders and messages are stored against the run. A new run replaces the proposals of the runs
before it; what was firmed stays, with the number of the order it became.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from factoryos.kernel.fields import QUANTITY, BoundedTextField
from factoryos.kernel.tenancy import TenantModel
from factoryos.kernel.transitions import Flow, stamps

POSITIVE = [MinValueValidator(Decimal("0.000001"))]


class Forecast(TenantModel):
    """Expected demand for ``quantity`` of an item over a period (a week, a month): MRP plans for what the sales
    orders promised inside the period have not consumed yet."""

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="forecasts")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day of the period (inclusive)")
    quantity = models.DecimalField(**QUANTITY, validators=POSITIVE, help_text="In the item's own unit")
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on", "item", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="forecast_quantity_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="forecast_ends_after_it_starts",
                violation_error_message="A forecast period ends on or after the day it starts.",
            ),
        ]
        indexes = [models.Index(fields=["org", "item", "starts_on"], name="forecast_item_start")]

    def __str__(self) -> str:
        return f"{self.quantity.normalize():f} of {self.item_id} from {self.starts_on}"


class MrpRun(TenantModel):
    """One plan: when, over how many days, by whom, and what it found (``stats``: counts and each phase's time)."""

    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    horizon_days = models.PositiveIntegerField(default=180, validators=[MinValueValidator(7), MaxValueValidator(730)])
    starts_on = models.DateField(editable=False, help_text="Period 1: the first working day of the plan")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = stamps()[1]
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    stats = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "MRP run"

    def __str__(self) -> str:
        return f"MRP run {self.pk} of {self.created_at:%Y-%m-%d %H:%M}"


class RunSequence(TenantModel):
    """The order a full run planned the items in (parents first, as item ids): a net change takes its components'
    requirements from parents in this order, as the full run took them, so that its pegging is the full run's.
    Apart from the run, so that reading a run does not read a list of every item."""

    run = models.ForeignKey(MrpRun, on_delete=models.CASCADE, related_name="+", editable=False)
    items = models.JSONField(default=list, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "run"], name="runsequence_one_per_run")]

    def __str__(self) -> str:
        return f"Planning sequence of {self.run}"


class PlanSource(models.TextChoices):
    MAKE = "make", "Make (work order)"
    BUY = "buy", "Buy (purchase order)"


class PlannedStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    FIRMED = "firmed", "Firmed"


PLANNED_FLOW = Flow(
    moves={PlannedStatus.PROPOSED: {PlannedStatus.FIRMED}},
    editable={PlannedStatus.PROPOSED},
    locked_message="This planned order is {state}: it is a real order now.",
)


class PlannedOrder(TenantModel):
    """What MRP proposes: make or buy ``quantity`` of an item, released on ``release_date`` to arrive by
    ``due_date``; ``pegging`` says which demands it serves (``[{"ref": "SO-00012/1", "qty": "4"}]``)."""

    flow = PLANNED_FLOW

    run = models.ForeignKey(MrpRun, on_delete=models.CASCADE, related_name="planned_orders", editable=False)
    item = models.ForeignKey("catalog.Item", on_delete=models.CASCADE, related_name="+", editable=False)
    source = models.CharField(max_length=4, choices=PlanSource.choices, editable=False)
    quantity = models.DecimalField(**QUANTITY, validators=POSITIVE, editable=False)
    release_date = models.DateField(editable=False)
    due_date = models.DateField(editable=False)
    past_due = models.BooleanField(default=False, editable=False, help_text="It should have been released already")
    supplier = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    pegging = models.JSONField(default=list, blank=True, editable=False)
    status = models.CharField(
        max_length=8, choices=PlannedStatus.choices, default=PlannedStatus.PROPOSED, editable=False
    )
    firmed_at, firmed_by = stamps()
    firmed_as = models.CharField(max_length=40, blank=True, editable=False, help_text="The order it became")

    class Meta:
        ordering = ["due_date", "item", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="plannedorder_quantity_positive")]
        indexes = [models.Index(fields=["org", "status", "due_date"], name="plannedorder_status_due")]

    def __str__(self) -> str:
        return f"{self.get_source_display().split(' ')[0]} {self.quantity.normalize():f} of {self.item_id}"


class MessageKind(models.TextChoices):
    PAST_DUE = "past_due", "Past due release"
    BELOW_SAFETY = "below_safety_stock", "Below safety stock"
    EXPEDITE = "expedite", "Expedite"
    DEFER = "defer", "Defer"
    CANCEL = "cancel", "Cancel"


class MrpMessage(TenantModel):
    """An exception message of a run: something a planner should act on (an order to expedite, defer or cancel; a
    release already late; stock below its safety level)."""

    run = models.ForeignKey(MrpRun, on_delete=models.CASCADE, related_name="messages", editable=False)
    item = models.ForeignKey("catalog.Item", on_delete=models.CASCADE, related_name="+", editable=False)
    kind = models.CharField(max_length=20, choices=MessageKind.choices, editable=False)
    on = models.DateField(editable=False, help_text="The day it concerns")
    reference = models.CharField(max_length=60, blank=True, editable=False, help_text="The order or demand")
    text = BoundedTextField(max_length=500, editable=False)

    class Meta:
        ordering = ["on", "item", "id"]
        verbose_name = "MRP message"

    def __str__(self) -> str:
        return self.text
