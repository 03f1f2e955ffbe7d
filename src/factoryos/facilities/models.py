"""Sites, work centers and their working-time calendars."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models

from factoryos.core.models import TIME_ZONES
from factoryos.kernel.tenancy import TenantModel

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class Site(TenantModel):
    """A factory or warehouse. Its data region is the organization's (one region per organization)."""

    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    address_line1 = models.CharField("address", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField("state / region", max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="AU", validators=[MinLengthValidator(2)])
    time_zone = models.CharField(max_length=64, choices=[(z, z) for z in TIME_ZONES], default="Australia/Sydney")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="site_org_code")]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def data_region(self) -> str:
        return self.org.data_region


class WorkCenterKind(models.TextChoices):
    LASER = "laser", "Laser cutting"
    PUNCH = "punch", "Punching"
    SAW = "saw", "Sawing"
    PRESS_BRAKE = "press_brake", "Press brake"
    WELDING = "welding", "Welding"
    MACHINING = "machining", "Machining"
    ASSEMBLY = "assembly", "Assembly"
    PAINT = "paint", "Paint / powder coat"
    INSPECTION = "inspection", "Inspection"
    OTHER = "other", "Other"


class Calendar(TenantModel):
    """A weekly shift pattern with holidays and closures, used by a site or one work center."""

    name = models.CharField(max_length=80)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="calendars")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "site", "name"], name="calendar_org_site_name")]

    def __str__(self) -> str:
        return self.name


class WorkCenter(TenantModel):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="work_centers")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=WorkCenterKind.choices)
    machines = models.PositiveSmallIntegerField(
        "parallel machines", default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    machine_rate = models.DecimalField(
        "machine rate / hour",
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    labour_rate = models.DecimalField(
        "labour rate / hour",
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    efficiency_pct = models.DecimalField(
        "efficiency %",
        max_digits=5,
        decimal_places=1,
        default=Decimal("100"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("200"))],
    )
    calendar = models.ForeignKey(
        Calendar,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Own calendar; empty means the site's first calendar.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="workcenter_org_code"),
            models.CheckConstraint(condition=models.Q(machines__gte=1), name="workcenter_machines_positive"),
            models.CheckConstraint(condition=models.Q(efficiency_pct__gt=0), name="workcenter_efficiency_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class Shift(TenantModel):
    """One shift on one weekday; an end at or before the start runs past midnight."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS, validators=[MaxValueValidator(6)])
    name = models.CharField(max_length=40, default="Day")
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [models.CheckConstraint(condition=models.Q(weekday__lte=6), name="shift_weekday_range")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class Holiday(TenantModel):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["org", "calendar", "date"], name="holiday_org_calendar_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Closure(TenantModel):
    """A one-off stop (maintenance, stocktake) in the site's local time."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="closures")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=120)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.starts_at:%Y-%m-%d %H:%M}"
