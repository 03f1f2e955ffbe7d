"""Documents: PDFs rendered from templates with the organization's letterhead, stored encrypted with their record."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from factoryos.kernel.tenancy import TenantModel


class DocumentKind(models.TextChoices):
    QUOTE = "quote", "Quote"
    ORDER_CONFIRMATION = "order_confirmation", "Order confirmation"
    PACKING_SLIP = "packing_slip", "Packing slip"
    PURCHASE_ORDER = "purchase_order", "Purchase order"
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit_note", "Credit note"
    RFQ = "rfq", "Request for quotation"
    TRAVELER = "traveler", "Job traveler"
    OTHER = "other", "Document"


class Rendered(TenantModel):
    """One rendering of a record as a PDF (a quote, an invoice), kept as it was sent.

    The record is named by its model label (``record_type``, "sales.quote") and id, not a foreign key: any app's
    record may have documents, and documents sits below the apps that render them. Rendering the same record (and
    kind) again adds the next ``version``; older versions stay (what the customer received is what is kept).
    ``content`` is the PDF sealed with the keyring's envelope format (``kernel.crypto.encrypt_stream``, as
    ``jobs.Job.upload``); ``sha256`` and ``size`` are of the PDF itself, so an opened copy can be checked.
    ``view_permission`` is what a member needs to open it (the record's module's view permission, "sales.view"),
    fixed when it is made, as ``jobs.Job.view_permission``.
    """

    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    record_type = models.CharField(max_length=100, help_text='The record\'s model label, e.g. "sales.quote".')
    record_id = models.PositiveBigIntegerField()
    number = models.CharField(max_length=64, help_text="The record's number as printed (QU-00012).")
    version = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    view_permission = models.CharField(max_length=64)
    content = models.BinaryField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "document"
        indexes = [models.Index(fields=["org", "record_type", "record_id", "kind"], name="rendered_record")]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "record_type", "record_id", "kind", "version"], name="rendered_one_version"
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="rendered_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} (version {self.version})"
