"""Partners: the customers and suppliers an organization trades with (one partner may be both), with their tax
identifiers, addresses and contacts; what suppliers sell us (supplier items with price breaks) and the price lists
customers buy on.

Items are named by string ("catalog.Item"): the catalog sits above partners in the layers and may use them, never
the reverse.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import EmailValidator, MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models

from factoryos.core.models import TaxIdType
from factoryos.kernel.fields import QUANTITY, UNIT_COST, BoundedTextField, EncryptedCharField, EncryptedTextField
from factoryos.kernel.tenancy import TenantModel

ZERO = Decimal("0")


class TermsKind(models.TextChoices):
    NET = "net", "Net: days after the invoice date"
    EOM = "eom", "End of month: days after the end of the invoice's month"


class AddressKind(models.TextChoices):
    BILLING = "billing", "Billing"
    SHIPPING = "shipping", "Shipping"


class PriceList(TenantModel):
    """A customer price list: prices per item in one currency, with quantity breaks (``PriceListLine``)."""

    code = models.CharField(max_length=20, help_text="Short, unique: TRADE, RETAIL")
    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, validators=[MinLengthValidator(3)], help_text="ISO 4217 code")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="pricelist_org_code")]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class Partner(TenantModel):
    code = models.CharField(max_length=20, help_text="Short, unique: ACME, BLUESCOPE")
    legal_name = models.CharField(max_length=200)
    trading_name = models.CharField(max_length=200, blank=True)
    is_customer = models.BooleanField("customer", default=False)
    is_supplier = models.BooleanField("supplier", default=False)
    email = models.EmailField(blank=True, help_text="The partner's general address (people are contacts)")
    phone = models.CharField(max_length=40, blank=True)
    currency = models.CharField(max_length=3, validators=[MinLengthValidator(3)], help_text="ISO 4217 code")
    terms_kind = models.CharField(
        "payment terms", max_length=3, choices=TermsKind.choices, default=TermsKind.NET, help_text="How days count"
    )
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
    price_list = models.ForeignKey(
        PriceList,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partners",
        help_text="A customer's prices (in the partner's currency)",
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

    @property
    def terms(self) -> str:
        """The payment terms as people write them: "Net 30", "EOM + 30"."""
        if self.terms_kind == TermsKind.EOM:
            return f"EOM + {self.payment_terms_days}" if self.payment_terms_days else "EOM"
        return f"Net {self.payment_terms_days}"


class PartnerTaxId(TenantModel):
    """A partner's tax identifier (ABN, EIN, VAT...), validated like the organization's and stored encrypted."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tax_ids")
    kind = models.CharField("type", max_length=8, choices=TaxIdType.choices)
    country = models.CharField(max_length=2, validators=[MinLengthValidator(2)], help_text="ISO 3166 code: AU, US")
    value = EncryptedTextField("identifier", max_length=64, help_text="Stored encrypted.")

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = "partner tax identifier"
        constraints = [models.UniqueConstraint(fields=["org", "uid"], name="partnertaxid_org_uid")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.country})"


class PartnerAddress(TenantModel):
    """A billing or shipping address; one of each kind is the partner's default."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=8, choices=AddressKind.choices, default=AddressKind.BILLING)
    name = models.CharField("name / attention", max_length=200, blank=True, help_text="Who or which site it is for")
    line1 = models.CharField("address line 1", max_length=200)
    line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField("state / region", max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, validators=[MinLengthValidator(2)], help_text="ISO 3166 code: AU, US")
    is_default = models.BooleanField("default", default=False, help_text="The one documents use for this kind")

    class Meta:
        ordering = ["kind", "-is_default", "id"]
        verbose_name_plural = "partner addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "partner", "kind"],
                condition=models.Q(is_default=True),
                name="partneraddress_one_default",
            )
        ]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.name, self.line1, self.city) if part)

    @property
    def lines(self) -> list[str]:
        """The address as printed on a document."""
        place = " ".join(part for part in (self.city, self.state, self.postcode) if part)
        return [part for part in (self.name, self.line1, self.line2, place, self.country) if part]


class Contact(TenantModel):
    """A person at a partner: where quotes, orders and invoices are emailed. Personal data: every detail of the
    person is encrypted, and their audit events are sealed under their own key (``audit_subject``)."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = EncryptedCharField(max_length=200, help_text="Stored encrypted.")
    email = EncryptedCharField(max_length=254, blank=True, validators=[EmailValidator()], help_text="Stored encrypted.")
    phone = EncryptedCharField(max_length=40, blank=True, help_text="Stored encrypted.")
    job_role = EncryptedCharField("role", max_length=120, blank=True, help_text="Accounts payable, buyer...")
    is_primary = models.BooleanField("primary", default=False, help_text="Documents are emailed to them first")

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "uid"], name="contact_org_uid"),
            models.UniqueConstraint(
                fields=["org", "partner"], condition=models.Q(is_primary=True), name="contact_one_primary"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_subject(self) -> str:
        """A contact is a person: what the audit trail says about them is sealed under their own key."""
        return f"contact:{self.uid}"


class SupplierItem(TenantModel):
    """What a supplier sells us of an item: their code for it, lead time, minimum order, prices by quantity."""

    supplier = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="supplier_items")
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="supplier_items")
    supplier_sku = models.CharField("supplier SKU", max_length=60, blank=True, help_text="The supplier's code")
    currency = models.CharField(max_length=3, validators=[MinLengthValidator(3)], help_text="ISO 4217 code")
    lead_time_days = models.PositiveIntegerField("lead time (days)", default=0, validators=[MaxValueValidator(3650)])
    minimum_order = models.DecimalField(**QUANTITY, default=ZERO, validators=[MinValueValidator(ZERO)])
    preferred = models.BooleanField(default=False, help_text="The supplier to buy this item from (one per item)")

    class Meta:
        ordering = ["item_id", "-preferred", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "supplier", "item"], name="supplieritem_org_supplier_item"),
            models.CheckConstraint(condition=models.Q(minimum_order__gte=0), name="supplieritem_minimum_non_negative"),
            models.UniqueConstraint(
                fields=["org", "item"], condition=models.Q(preferred=True), name="supplieritem_one_preferred"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier.code}: {self.supplier_sku or self.item}"


class SupplierPriceBreak(TenantModel):
    """The supplier's unit price from ``min_quantity`` up (the next break's quantity ends it)."""

    supplier_item = models.ForeignKey(SupplierItem, on_delete=models.CASCADE, related_name="breaks")
    min_quantity = models.DecimalField("from quantity", **QUANTITY, default=ZERO, validators=[MinValueValidator(ZERO)])
    unit_price = models.DecimalField(**UNIT_COST, validators=[MinValueValidator(ZERO)])

    class Meta:
        ordering = ["supplier_item_id", "min_quantity"]
        verbose_name = "supplier price break"
        constraints = [
            models.UniqueConstraint(fields=["org", "supplier_item", "min_quantity"], name="supplierpricebreak_org_qty"),
            models.CheckConstraint(
                condition=models.Q(min_quantity__gte=0) & models.Q(unit_price__gte=0),
                name="supplierpricebreak_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.min_quantity.normalize():f}+ at {self.unit_price}"


class PriceListLine(TenantModel):
    """An item's price on a price list from ``min_quantity`` up, optionally only between two dates."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="price_list_lines")
    min_quantity = models.DecimalField("from quantity", **QUANTITY, default=ZERO, validators=[MinValueValidator(ZERO)])
    unit_price = models.DecimalField(**UNIT_COST, validators=[MinValueValidator(ZERO)])
    valid_from = models.DateField(null=True, blank=True, help_text="Empty: from always")
    valid_to = models.DateField(null=True, blank=True, help_text="Empty: until further notice")

    class Meta:
        ordering = ["price_list_id", "item_id", "min_quantity", "valid_from"]
        verbose_name = "price list line"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "price_list", "item", "min_quantity", "valid_from"], name="pricelistline_org_break"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="pricelistline_valid_range",
            ),
            models.CheckConstraint(
                condition=models.Q(min_quantity__gte=0) & models.Q(unit_price__gte=0), name="pricelistline_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.price_list.code}: {self.min_quantity.normalize():f}+ at {self.unit_price}"
