"""Re-encrypt every encrypted field and re-wrap every file's data key under the newest key."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Count

from factoryos.audit import sealing
from factoryos.audit.models import AuditEvent
from factoryos.core.models import Organization
from factoryos.kernel import crypto
from factoryos.kernel.fields import ENCRYPTED_FILE_FIELDS, EncryptedField, encrypted_fields, sealed_blobs
from factoryos.kernel.tenancy import TenantModel, org_scope


@dataclass
class RotationReport:
    fields_resealed: int = 0
    fields_current: int = 0
    files_rewrapped: int = 0
    files_current: int = 0
    person_keys_rewrapped: int = 0
    blobs_rewrapped: int = 0
    blobs_current: int = 0
    per_model: dict[str, int] = field(default_factory=dict)
    per_blob_column: dict[str, int] = field(default_factory=dict)  # "documents.Rendered.content" -> re-wrapped


def _encrypted_fields(model: type[models.Model]) -> list[EncryptedField]:
    return encrypted_fields(model)


def _reseal_rows(model, queryset, report: RotationReport) -> None:
    ring = crypto.keyring()
    fields = _encrypted_fields(model)
    raw_values = queryset.values_list("pk", *[f.attname for f in fields])
    for pk, *raws in raw_values.iterator(chunk_size=500):
        stale = [
            (f, raw)
            for f, raw in zip(fields, raws, strict=True)
            if raw and crypto.Keyring.key_id_of(raw) != ring.current_id
        ]
        report.fields_current += sum(1 for raw in raws if raw) - len(stale)
        if not stale:
            continue
        instance = (
            queryset.model.all_tenants.get(pk=pk) if issubclass(model, TenantModel) else model._base_manager.get(pk=pk)
        )
        updates = {f.attname: f.seal(instance, getattr(instance, f.attname)) for f, _ in stale}
        model._base_manager.filter(pk=pk).update(**updates)
        report.fields_resealed += len(updates)
        report.per_model[model._meta.label] = report.per_model.get(model._meta.label, 0) + len(updates)


def _rewrap_files(model, queryset, field_name: str, report: RotationReport) -> None:
    ring = crypto.keyring()
    for pk, name in queryset.exclude(**{field_name: ""}).values_list("pk", field_name).iterator(chunk_size=500):
        with default_storage.open(name, "rb") as fh:
            if crypto.file_key_id(fh, ring) == ring.current_id:
                report.files_current += 1
                continue
        with default_storage.open(name, "rb") as fh:
            rewrapped = b"".join(crypto.rewrap_stream(fh, ring))
        new_name = default_storage.save(name, ContentFile(rewrapped))  # a fresh name: the old file stays until commit
        model._base_manager.filter(pk=pk).update(**{field_name: new_name})
        transaction.on_commit(lambda old=name: default_storage.delete(old))
        report.files_rewrapped += 1


def _rewrap_blobs(model, field_name: str, org: Organization, report: RotationReport) -> None:
    """Re-wrap, in place, the data key of each file sealed in ``model.<field_name>`` of ``org``'s rows whose key is
    not the newest. A short transaction per row, as ``org`` (RLS reads it from the transaction), the row locked while
    it is read and written: the files can be large, and a job that drops its upload meanwhile does not get it back.
    Empty cells are skipped."""
    rows = model.all_tenants.filter(org=org)
    with transaction.atomic(), org_scope(org):
        pks = list(rows.filter(**{f"{field_name}__isnull": False}).order_by("pk").values_list("pk", flat=True))
    column = f"{model._meta.label}.{field_name}"
    for pk in pks:
        with transaction.atomic(), org_scope(org):
            ring = crypto.keyring()
            sealed = rows.select_for_update().filter(pk=pk).values_list(field_name, flat=True).first()
            if not sealed:  # dropped since it was listed, or empty
                continue
            blob = bytes(sealed)
            if crypto.file_key_id(io.BytesIO(blob), ring) == ring.current_id:
                report.blobs_current += 1
                continue
            rows.filter(pk=pk).update(**{field_name: b"".join(crypto.rewrap_stream(io.BytesIO(blob), ring))})
        report.blobs_rewrapped += 1
        report.per_blob_column[column] = report.per_blob_column.get(column, 0) + 1


def rotate_all() -> RotationReport:
    report = RotationReport()
    models_with_fields = [m for m in apps.get_models() if _encrypted_fields(m)]
    for model in models_with_fields:
        if not issubclass(model, TenantModel):
            with transaction.atomic():
                _reseal_rows(model, model._base_manager.all(), report)
    with transaction.atomic():
        report.person_keys_rewrapped = sealing.rewrap_person_keys()
    for org in Organization.objects.all():
        with transaction.atomic(), org_scope(org):
            for model in models_with_fields:
                if issubclass(model, TenantModel):
                    _reseal_rows(model, model.all_tenants.filter(org=org), report)
    for label, field_name in ENCRYPTED_FILE_FIELDS:
        model = apps.get_model(label)
        with transaction.atomic():
            _rewrap_files(model, model._base_manager.all(), field_name, report)
    for label, field_name in sealed_blobs():  # columns of tenant tables: each organization's rows as it
        for org in Organization.objects.all():
            _rewrap_blobs(apps.get_model(label), field_name, org, report)
    return report


def audit_macs_by_key() -> dict[str, int]:
    """How many audit events each keyring key has MACed, over every organization (old keys must stay to verify)."""
    counts: dict[str, int] = {}
    for org in Organization.objects.all():
        with transaction.atomic(), org_scope(org):
            for key_id, count in (
                AuditEvent.all_tenants.filter(org=org).order_by().values_list("mac_key").annotate(n=Count("pk"))
            ):
                counts[key_id] = counts.get(key_id, 0) + count
    return counts
