"""Partners: the customers and suppliers an organization trades with (one partner may be both)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models

from factoryos.kernel.fields import BoundedTextField
from factoryos.kernel.tenancy import TenantModel


class Partner(TenantModel):
    code = models.CharField(max_length=20, help_text="Short, unique: ACME, BLUESCOPE")
    legal_name = models.CharField(max_length=200)
    trading_name = models.CharField(max_length=200, blank=True)
    is_customer = models.BooleanField("customer", default=False)
    is_supplier = models.BooleanField("supplier", default=False)
    email = models.EmailField(blank=True, help_text="The partner's general address (people are contacts)")
    phone = models.CharField(max_length=40, blank=True)
    currency = models.CharField(max_length=3, validators=[MinLengthValidator(3)], help_text="ISO 4217 code")
    payment_terms_days = models.PositiveSmallIntegerField(
        "payment terms (days)", default=30, validators=[MaxValueValidator(365)]
    )
    credit_limit = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="In the partner's currency; empty means no limit",
    )
    notes = BoundedTextField(max_length=2000, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="partner_org_code"),
            models.CheckConstraint(
                condition=models.Q(is_customer=True) | models.Q(is_supplier=True), name="partner_customer_or_supplier"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.trading_name or self.legal_name

    @property
    def roles(self) -> str:
        return " and ".join(
            role for role, yes in (("Customer", self.is_customer), ("Supplier", self.is_supplier)) if yes
        )
