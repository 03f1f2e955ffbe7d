"""A job: work a member asked for that runs in the task worker (an import), with its progress and its report."""

from __future__ import annotations

import uuid

from django.db import models

from factoryos.kernel.fields import BoundedTextField, EncryptedTextField
from factoryos.kernel.tenancy import TenantModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(TenantModel):
    """One run of a background task on behalf of a member (or one of their API keys).

    ``kind`` says what runs it and ``params`` with what (JSON); ``view_permission`` is what a member needs to see it
    (the permission to read what the job touches). ``done``/``total`` count its rows; ``result`` is its summary and
    ``errors`` its report (one entry per problem: row, column, message, code), ``message`` a failure that is not
    about a row. ``upload`` is the file it works on, sealed (``kernel.crypto.encrypt_stream``) and dropped once the
    job no longer needs it. ``origin`` is the request that asked (IP, browser, request id; JSON, sealed: it is
    personal data): the audit events the job writes carry it, under the name of the member who asked.
    """

    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    view_permission = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    message = BoundedTextField(max_length=2000, blank=True)
    upload = models.BinaryField(null=True, blank=True, editable=False)
    origin = EncryptedTextField(
        max_length=4000, blank=True, help_text="JSON, sealed: it names a person's IP and browser"
    )
    created_by = models.ForeignKey("core.Membership", on_delete=models.CASCADE, related_name="+")
    api_key = models.ForeignKey("accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "-created_at"], name="job_org_created")]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="job_done_within_total"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
