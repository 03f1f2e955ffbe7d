"""Make: work orders, their materials and job cards, what operators report on the shop floor, and the time they log.

A work order makes ``quantity`` of an item from one released BOM revision (its components and its routing). While
it is a draft or planned it is only an intention; releasing it snapshots the revision into the order: one
``WorkOrderMaterial`` per component (what one order needs, after phantoms are blown through, with its planned unit
cost) and one ``JobCard`` per routing operation (work center, setup and run time, rates), and reserves what
component stock is available. From then on engineering can change the BOM without changing what the floor builds.

On the floor each job card is started, paused (with a reason), resumed and completed by operators; every start opens
a ``TimeLog`` of that operator and every pause or completion closes it, so the time is the operators' own. Quantities
are reported in batches (``ProductionReport``: good and scrap, with a reason for scrap): what one operation reports
good is what the next may work on (transfer batches), so the next can start before the first is done. Materials
are issued by hand or backflushed when their operation reports; the last operation's good quantity goes into stock.
Planned cost is fixed at release; actual cost is what the issues, the time logs and the scrap add up to.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from factoryos.finance.models import MONEY
from factoryos.kernel.fields import QUANTITY, UNIT_COST, BoundedTextField
from factoryos.kernel.tenancy import TenantModel
from factoryos.kernel.transitions import Flow, stamps

ZERO = Decimal("0")
POSITIVE = [MinValueValidator(Decimal("0.000001"))]
MINUTES = {"max_digits": 12, "decimal_places": 2}


class WorkOrderStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PLANNED = "planned", "Planned"
    RELEASED = "released", "Released"
    STARTED = "started", "In progress"
    COMPLETED = "completed", "Completed"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


WORK_ORDER_FLOW = Flow(
    moves={
        WorkOrderStatus.DRAFT: {WorkOrderStatus.PLANNED, WorkOrderStatus.RELEASED, WorkOrderStatus.CANCELLED},
        WorkOrderStatus.PLANNED: {WorkOrderStatus.RELEASED, WorkOrderStatus.CANCELLED},
        WorkOrderStatus.RELEASED: {WorkOrderStatus.STARTED, WorkOrderStatus.CANCELLED},
        WorkOrderStatus.STARTED: {WorkOrderStatus.COMPLETED},
        WorkOrderStatus.COMPLETED: {WorkOrderStatus.CLOSED},
    },
    editable={WorkOrderStatus.DRAFT, WorkOrderStatus.PLANNED},
    locked_message="Work order {obj} is {state}: what it makes is fixed.",
)
OPEN_WORK_ORDER = (
    WorkOrderStatus.DRAFT,
    WorkOrderStatus.PLANNED,
    WorkOrderStatus.RELEASED,
    WorkOrderStatus.STARTED,
)
ON_THE_FLOOR = (WorkOrderStatus.RELEASED, WorkOrderStatus.STARTED)


class Source(models.TextChoices):
    MANUAL = "manual", "Manual"
    SALES = "sales", "Sales order"
    MRP = "mrp", "MRP"


class WorkOrder(TenantModel):
    """Make ``quantity`` of ``item`` by ``due_date``, into ``location`` (where its components are drawn from too)."""

    flow = WORK_ORDER_FLOW

    number = models.CharField(max_length=32, editable=False)
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="work_orders")
    quantity = models.DecimalField(**QUANTITY, validators=POSITIVE, help_text="In the item's own unit")
    bom = models.ForeignKey(
        "catalog.Bom", null=True, blank=True, on_delete=models.PROTECT, related_name="work_orders",
        verbose_name="BOM revision", help_text="Blank: the item's released revision when the order is released",
    )  # fmt: skip
    location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="+",
        help_text="Components are drawn from here (and the locations below it); finished goods go here",
    )  # fmt: skip
    due_date = models.DateField()
    priority = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(9)], help_text="1 is the most urgent"
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL, editable=False)
    sales_order_line = models.ForeignKey(
        "sales.SalesOrderLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="work_orders",
        help_text="The order line this work order makes for, if any",
    )  # fmt: skip
    lot_code = models.CharField(
        "output lot", max_length=60, blank=True, help_text="For a lot-tracked item; blank: the work order's number"
    )
    notes = BoundedTextField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=10, choices=WorkOrderStatus.choices, default=WorkOrderStatus.DRAFT, editable=False
    )
    quantity_completed = models.DecimalField(**QUANTITY, default=ZERO, editable=False)
    quantity_scrapped = models.DecimalField(**QUANTITY, default=ZERO, editable=False)
    planned_material_cost = models.DecimalField(**MONEY, default=ZERO, editable=False)
    planned_labour_cost = models.DecimalField(**MONEY, default=ZERO, editable=False)
    planned_machine_cost = models.DecimalField(**MONEY, default=ZERO, editable=False)
    planned_outside_cost = models.DecimalField(**MONEY, default=ZERO, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = stamps()[1]
    planned_at, planned_by = stamps()
    released_at, released_by = stamps()
    started_at, started_by = stamps()
    completed_at, completed_by = stamps()
    closed_at, closed_by = stamps()
    cancelled_at, cancelled_by = stamps()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="workorder_org_number"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="workorder_quantity_positive"),
            models.CheckConstraint(
                condition=Q(quantity_completed__gte=0, quantity_scrapped__gte=0), name="workorder_made_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["org", "status", "due_date"], name="workorder_org_status_due")]

    def __str__(self) -> str:
        return self.number

    @property
    def planned_cost(self) -> Decimal:
        return (
            self.planned_material_cost
            + self.planned_labour_cost
            + self.planned_machine_cost
            + self.planned_outside_cost
        )


class WorkOrderMaterial(TenantModel):
    """``quantity`` of a component one work order needs (BOM quantity x order quantity, scrap allowance included),
    consumed at ``job_card``'s operation: backflushed when it reports, or issued by hand."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="materials", editable=False)
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+", editable=False)
    quantity = models.DecimalField(**QUANTITY, validators=POSITIVE, editable=False, help_text="In the item's unit")
    issued = models.DecimalField(**QUANTITY, default=ZERO, editable=False)
    issued_cost = models.DecimalField(**MONEY, default=ZERO, editable=False, help_text="What the issues cost")
    unit_cost = models.DecimalField(**UNIT_COST, default=ZERO, editable=False, help_text="Planned, at release")
    job_card = models.ForeignKey(
        "JobCard", null=True, blank=True, on_delete=models.SET_NULL, related_name="materials", editable=False
    )
    backflush = models.BooleanField(default=True, help_text="Issued automatically as its operation reports")

    class Meta:
        ordering = ["work_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="workordermaterial_quantity_positive"),
            models.CheckConstraint(condition=Q(issued__gte=0), name="workordermaterial_issued_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity.normalize():f} of {self.item_id} for {self.work_order_id}"

    @property
    def to_issue(self) -> Decimal:
        return max(self.quantity - self.issued, ZERO)


class MaterialReservation(TenantModel):
    """One inventory reservation made for a work order's material at release (a material may hold several)."""

    material = models.ForeignKey(WorkOrderMaterial, on_delete=models.CASCADE, related_name="reservations")
    reservation = models.ForeignKey("inventory.Reservation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["material", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "reservation"], name="materialreservation_one")]

    def __str__(self) -> str:
        return f"{self.reservation_id} for {self.material_id}"


class JobStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    AT_SUPPLIER = "at_supplier", "At supplier"
    DONE = "done", "Done"


JOB_FLOW = Flow(
    moves={
        JobStatus.PENDING: {JobStatus.RUNNING, JobStatus.AT_SUPPLIER},
        JobStatus.RUNNING: {JobStatus.PAUSED, JobStatus.DONE},
        JobStatus.PAUSED: {JobStatus.RUNNING, JobStatus.DONE},
        JobStatus.AT_SUPPLIER: {JobStatus.DONE},
    },
    locked_message="Operation {obj} is {state}.",
)


class JobCard(TenantModel):
    """One routing operation of a released work order, as the floor runs it: the times and rates are copied from the
    routing at release, the quantities and times are what the floor reports."""

    flow = JOB_FLOW

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="job_cards", editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    work_center = models.ForeignKey(
        "facilities.WorkCenter", on_delete=models.PROTECT, related_name="job_cards", editable=False
    )
    description = models.CharField(max_length=200, editable=False)
    setup_minutes = models.DecimalField(**MINUTES, default=ZERO, editable=False)
    run_minutes_per_unit = models.DecimalField(max_digits=12, decimal_places=4, default=ZERO, editable=False)
    labour_rate = models.DecimalField(**MONEY, default=ZERO, editable=False, help_text="Per hour, at release")
    machine_rate = models.DecimalField(**MONEY, default=ZERO, editable=False, help_text="Per hour, at release")
    efficiency_pct = models.DecimalField(
        "efficiency %", max_digits=5, decimal_places=1, default=Decimal(100), editable=False,
        help_text="The work center's, at release: the times planned are the standard times divided by it",
    )  # fmt: skip
    supplier = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False,
        help_text="Outside processing: the supplier who does this operation",
    )  # fmt: skip
    outside_price = models.DecimalField(**UNIT_COST, default=ZERO, editable=False)
    purchase_order_line = models.ForeignKey(
        "purchasing.PurchaseOrderLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False, help_text="The service purchase order the release raised for it",
    )  # fmt: skip
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.PENDING, editable=False)
    quantity_good = models.DecimalField(**QUANTITY, default=ZERO, editable=False)
    quantity_scrap = models.DecimalField(**QUANTITY, default=ZERO, editable=False)
    running_at, running_by = stamps()
    paused_at, paused_by = stamps()
    pause_reason = models.CharField(max_length=12, blank=True, editable=False)
    at_supplier_at, at_supplier_by = stamps()
    quantity_sent = models.DecimalField(**QUANTITY, default=ZERO, editable=False, help_text="Sent to the supplier")
    done_at, done_by = stamps()

    class Meta:
        ordering = ["work_order", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "work_order", "sequence"], name="jobcard_order_sequence"),
            models.CheckConstraint(
                condition=Q(quantity_good__gte=0, quantity_scrap__gte=0), name="jobcard_quantities_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["org", "work_center", "status"], name="jobcard_center_status")]

    def __str__(self) -> str:
        return f"{self.work_order} op {self.sequence}"

    @property
    def time_factor(self) -> Decimal:
        """What a standard minute takes here: 100 over the work center's efficiency at release (1.25 at 80 %)."""
        return Decimal(100) / self.efficiency_pct if self.efficiency_pct > 0 else Decimal(1)

    @property
    def planned_minutes(self) -> Decimal:
        """The operation's standard time for the order's quantity over the work center's efficiency at release (a
        center at 80 % takes 125 minutes for 100 standard ones), as release plans its cost."""
        return (self.setup_minutes + self.run_minutes_per_unit * self.work_order.quantity) * self.time_factor

    @property
    def reported(self) -> Decimal:
        return self.quantity_good + self.quantity_scrap

    @property
    def outside(self) -> bool:
        return self.supplier_id is not None


class PauseReason(models.TextChoices):
    BREAK = "break", "Break"
    MATERIAL = "material", "Waiting for material"
    MACHINE = "machine", "Machine down"
    TOOLING = "tooling", "Tooling"
    QUALITY = "quality", "Quality hold"
    SHIFT_END = "shift_end", "End of shift"
    OTHER = "other", "Other"


class ScrapReason(models.TextChoices):
    MATERIAL = "material", "Material defect"
    SETUP = "setup", "Setup / first off"
    OPERATOR = "operator", "Operator error"
    MACHINE = "machine", "Machine fault"
    DIMENSION = "dimension", "Out of tolerance"
    DAMAGE = "damage", "Handling damage"
    OTHER = "other", "Other"


class Phase(models.TextChoices):
    SETUP = "setup", "Setup"
    RUN = "run", "Run"


class TimeLog(TenantModel):
    """An operator's time on a job card: opened when they start or resume it, closed when it pauses or completes.
    Its phase says what the time was for: setting up (from the start of an operation with a setup planned until
    setup is done or the first good parts are reported) or running."""

    job_card = models.ForeignKey(JobCard, on_delete=models.CASCADE, related_name="time_logs", editable=False)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    phase = models.CharField(max_length=5, choices=Phase.choices, default=Phase.RUN, editable=False)
    started_at = models.DateTimeField(editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes = models.DecimalField(**MINUTES, default=ZERO, editable=False)
    end_reason = models.CharField(max_length=12, blank=True, editable=False, help_text="Why it stopped")

    class Meta:
        ordering = ["job_card", "started_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=0), name="timelog_minutes_not_negative"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")), name="timelog_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["org", "operator", "ended_at"], name="timelog_operator_open")]

    def __str__(self) -> str:
        return f"{self.operator_id} on {self.job_card_id} from {self.started_at:%Y-%m-%d %H:%M}"


class ProductionReport(TenantModel):
    """Good and scrapped quantities an operator reports on a job card: a transfer batch to the next operation."""

    job_card = models.ForeignKey(JobCard, on_delete=models.CASCADE, related_name="reports", editable=False)
    good = models.DecimalField(**QUANTITY, default=ZERO, validators=[MinValueValidator(ZERO)])
    scrap = models.DecimalField(**QUANTITY, default=ZERO, validators=[MinValueValidator(ZERO)])
    scrap_reason = models.CharField(max_length=10, choices=ScrapReason.choices, blank=True)
    scrap_cost = models.DecimalField(**MONEY, default=ZERO, editable=False, help_text="Material in what was scrapped")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job_card", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(good__gte=0, scrap__gte=0), name="report_not_negative"),
            models.CheckConstraint(condition=Q(good__gt=0) | Q(scrap__gt=0), name="report_something"),
            models.CheckConstraint(condition=Q(scrap=0) | ~Q(scrap_reason=""), name="report_scrap_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.good.normalize():f} good, {self.scrap.normalize():f} scrap on {self.job_card_id}"


class JobCheck(TenantModel):
    """An in-process check of a job card, copied from its routing operation at release."""

    job_card = models.ForeignKey(JobCard, on_delete=models.CASCADE, related_name="checks", editable=False)
    name = models.CharField(max_length=120, editable=False)
    kind = models.CharField(max_length=10, editable=False)  # catalog.CheckKind
    nominal = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True, editable=False)
    minus = models.DecimalField(max_digits=14, decimal_places=4, default=ZERO, editable=False)
    plus = models.DecimalField(max_digits=14, decimal_places=4, default=ZERO, editable=False)
    unit = models.CharField(max_length=12, blank=True, editable=False)

    class Meta:
        ordering = ["job_card", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def measured(self) -> bool:
        return self.kind == "measure"

    def accepts(self, value: Decimal) -> bool:
        assert self.nominal is not None
        return self.nominal - self.minus <= value <= self.nominal + self.plus


class CheckResult(TenantModel):
    """What an operator found: a measured value (in or out of tolerance) or a pass/fail."""

    job_check = models.ForeignKey(JobCheck, on_delete=models.CASCADE, related_name="results", editable=False)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    passed = models.BooleanField(editable=False)
    note = models.CharField(max_length=200, blank=True)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job_check", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.job_check_id}: {'pass' if self.passed else 'fail'}"


class Disposition(models.TextChoices):
    SCRAP = "scrap", "Scrap"
    REWORK = "rework", "Rework"
    USE_AS_IS = "use_as_is", "Use as is"


class RootCause(models.TextChoices):
    MATERIAL = "material", "Material"
    SETUP = "setup", "Setup"
    OPERATOR = "operator", "Operator"
    MACHINE = "machine", "Machine"
    METHOD = "method", "Method / instructions"
    DESIGN = "design", "Design"
    SUPPLIER = "supplier", "Supplier"
    OTHER = "other", "Other"


class NcrStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


NCR_FLOW = Flow(
    moves={NcrStatus.OPEN: {NcrStatus.CLOSED}},
    editable={NcrStatus.OPEN},
    locked_message="Non-conformance {obj} is {state}.",
)


class NonConformance(TenantModel):
    """A non-conformance report: what failed (a check on a job card), how many parts it concerns, and, once decided,
    what happens to them (scrap, rework, use as is), why it happened, and what it cost (a scrap posts the parts'
    planned cost to the work order)."""

    flow = NCR_FLOW

    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="non_conformances", editable=False)
    job_card = models.ForeignKey(JobCard, on_delete=models.PROTECT, related_name="non_conformances", editable=False)
    result = models.ForeignKey(
        CheckResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(**QUANTITY, default=Decimal(1), validators=POSITIVE, help_text="Parts affected")
    disposition = models.CharField(max_length=10, choices=Disposition.choices, blank=True)
    root_cause = models.CharField(max_length=10, choices=RootCause.choices, blank=True)
    cost = models.DecimalField(**MONEY, default=ZERO, editable=False)
    status = models.CharField(max_length=6, choices=NcrStatus.choices, default=NcrStatus.OPEN, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = stamps()[1]
    closed_at, closed_by = stamps()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "non-conformance"
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="ncr_quantity_positive")]

    def __str__(self) -> str:
        return f"NCR-{self.pk}"


class DowntimeReason(models.TextChoices):
    BREAKDOWN = "breakdown", "Breakdown"
    MAINTENANCE = "maintenance", "Planned maintenance"
    CHANGEOVER = "changeover", "Changeover"
    NO_OPERATOR = "no_operator", "No operator"
    NO_MATERIAL = "no_material", "No material"
    OTHER = "other", "Other"


class Downtime(TenantModel):
    """A work center out of use from ``starts_at`` to ``ends_at`` (open: still down); the scheduler treats it as
    unavailable."""

    work_center = models.ForeignKey("facilities.WorkCenter", on_delete=models.CASCADE, related_name="downtimes")
    reason = models.CharField(max_length=12, choices=DowntimeReason.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: still down")
    note = models.CharField(max_length=200, blank=True)
    created_by = stamps()[1]

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="downtime_ends_after_it_starts",
                violation_error_message="Downtime ends after it starts.",
            )
        ]
        indexes = [models.Index(fields=["org", "work_center", "starts_at"], name="downtime_center_start")]

    def __str__(self) -> str:
        return f"{self.work_center_id} down from {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> Decimal | None:
        if self.ends_at is None:
            return None
        return Decimal((self.ends_at - self.starts_at).total_seconds() / 60).quantize(Decimal("1"))
