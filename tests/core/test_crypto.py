"""Encryption at rest: keyring, sealed fields bound to their row, streaming files, key rotation."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from factoryos.accounts.models import User
from factoryos.audit.models import AuditEvent
from factoryos.core.keyrotation import rotate_all
from factoryos.core.models import TaxIdentifier
from factoryos.jobs.models import Job
from factoryos.kernel import crypto
from factoryos.kernel.fields import EncryptedField, is_ciphertext
from factoryos.kernel.tenancy import org_scope
from factoryos.partners.models import Contact, Partner, PartnerTaxId
from factoryos.people.models import Employee
from tests.factories import make_org, make_user

RING = crypto.Keyring.parse(crypto.generate_key_spec("t1"))


def test_keyring_rejects_bad_specs():
    for spec in ["", "nokey", "k1:c2hvcnQ", f"{crypto.generate_key_spec('a')},{crypto.generate_key_spec('a')}"]:
        with pytest.raises(ImproperlyConfigured):
            crypto.Keyring.parse(spec)


def test_sealed_value_is_bound_to_its_associated_data():
    token = RING.seal(b"51 824 753 556", b"row-1")
    assert RING.open(token, b"row-1") == b"51 824 753 556"
    with pytest.raises(crypto.DecryptionError):
        RING.open(token, b"row-2")  # copied onto another row: refused
    raw = bytearray(crypto._b64d(token.split(":", 2)[2]))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        RING.open(f"fos1:t1:{crypto._b64e(bytes(raw))}", b"row-1")


def test_newest_key_encrypts_and_old_keys_still_decrypt():
    old = crypto.Keyring.parse(crypto.generate_key_spec("old"))
    token = old.seal(b"secret", b"ad")
    both = crypto.Keyring((("new", crypto.os.urandom(32)),) + old.keys)
    assert both.open(token, b"ad") == b"secret"
    assert crypto.Keyring.key_id_of(both.seal(b"x", b"ad")) == "new"


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(max_size=5000),
    chunk=st.integers(min_value=1, max_value=700),
    piece=st.integers(min_value=1, max_value=900),
)
def test_file_stream_round_trips_any_size_and_chunking(data, chunk, piece):
    pieces = [data[i : i + piece] for i in range(0, len(data), piece)]
    sealed = b"".join(crypto.encrypt_stream(pieces, RING, chunk_size=chunk))
    assert len(data) < 16 or data not in sealed
    assert b"".join(crypto.decrypt_stream(io.BytesIO(sealed), RING)) == data


@pytest.mark.parametrize("damage", ["truncate_chunk", "flip_bit", "drop_last_chunk", "append"])
def test_file_stream_detects_tampering(damage):
    data = bytes(range(256)) * 40  # 10 240 bytes -> 10 chunks of 1024
    sealed = bytearray(b"".join(crypto.encrypt_stream([data], RING, chunk_size=1024)))
    if damage == "truncate_chunk":
        sealed = sealed[:-5]
    elif damage == "flip_bit":
        sealed[-100] ^= 0x01
    elif damage == "drop_last_chunk":
        sealed = sealed[: -(1024 + 16)]
    else:
        sealed += sealed[-(1024 + 16) :]
    with pytest.raises(crypto.DecryptionError):
        b"".join(crypto.decrypt_stream(io.BytesIO(bytes(sealed)), RING))


def _raw_row(model, pk):
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        columns = [c[0] for c in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


@pytest.mark.django_db
def test_no_encrypted_field_is_stored_in_plain_text():
    """Every encrypted field of every model: the raw database row holds ciphertext, never the value, and the value
    read back has the field's Python type (a date, a decimal)."""
    org, owner = make_org()
    user = make_user(phone="+61 400 123 456")
    with org_scope(org):
        tax_id = TaxIdentifier.objects.create(kind="VAT", country="GB", value="GB123456789")
        employee = Employee.objects.create(
            employee_number="E-7",
            first_name="Kimberley",
            last_name="Tranh",
            job_title="Quality Inspector",
            department="Assurance",
            employment_start="2024-01-08",
            labour_rate="47.35",
            emergency_contact_name="Bao Tran",
            emergency_contact_phone="+61 422 000 111",
            home_address="3 Grevillea Cres, Cabramatta NSW 2166",
        )
        origin = '{"ip": "198.51.100.23", "user_agent": "Mozilla/5.0 (X11; Linux x86_64)"}'
        job = Job.objects.create(
            kind="import", title="Import of items", view_permission="catalog.view", created_by=owner, origin=origin
        )
        partner = Partner.objects.create(code="P1", legal_name="P1 Pty Ltd", is_customer=True, currency="AUD")
        partner_tax = PartnerTaxId.objects.create(partner=partner, kind="ABN", country="AU", value="51 824 753 556")
        contact = Contact.objects.create(
            partner=partner,
            name="Dana Whitfield",
            email="dana@acme.example",
            phone="+61 2 9620 1100",
            job_role="Purchasing officer",
        )
        # (model, field) -> (object, value): a model may have several encrypted fields
        samples = {
            (User, "phone"): (user, "+61 400 123 456"),
            (TaxIdentifier, "value"): (tax_id, "GB123456789"),
            (Employee, "first_name"): (employee, "Kimberley"),
            (Employee, "last_name"): (employee, "Tranh"),
            (Employee, "job_title"): (employee, "Quality Inspector"),
            (Employee, "department"): (employee, "Assurance"),
            (Employee, "employment_start"): (employee, date(2024, 1, 8)),
            (Employee, "labour_rate"): (employee, Decimal("47.35")),
            (Employee, "emergency_contact_name"): (employee, "Bao Tran"),
            (Employee, "emergency_contact_phone"): (employee, "+61 422 000 111"),
            (Employee, "home_address"): (employee, "3 Grevillea Cres, Cabramatta NSW 2166"),
            (Job, "origin"): (job, origin),
            (PartnerTaxId, "value"): (partner_tax, "51 824 753 556"),
            (Contact, "name"): (contact, "Dana Whitfield"),
            (Contact, "email"): (contact, "dana@acme.example"),
            (Contact, "phone"): (contact, "+61 2 9620 1100"),
            (Contact, "job_role"): (contact, "Purchasing officer"),
        }
        encrypted = {(m, f.name) for m in apps.get_models() for f in m._meta.fields if isinstance(f, EncryptedField)}
        assert encrypted == set(samples), "new encrypted field: add a sample here"
        for (model, field_name), (obj, value) in samples.items():
            raw = _raw_row(model, obj.pk)
            stored = raw[model._meta.get_field(field_name).column]
            assert is_ciphertext(stored) and str(value) not in stored
            assert all(str(value) not in str(v) for v in raw.values())
            assert getattr(model._base_manager.get(pk=obj.pk), field_name) == value


@pytest.mark.django_db
def test_encrypted_fields_refuse_lookups_and_plain_updates():
    user = make_user(phone="+61 2 9999 0000")
    with pytest.raises(Exception):  # noqa: B017 - Django raises FieldError for an unsupported lookup
        list(User.objects.filter(phone="+61 2 9999 0000"))
    with pytest.raises(ValueError):
        User.objects.filter(pk=user.pk).update(phone="+61 2 9999 0000")


@pytest.mark.django_db
def test_rotate_keys_reencrypts_fields_and_rewraps_files(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from factoryos.accounts.services import profile_photo_read, profile_photo_set

    old_spec = crypto.generate_key_spec("old")
    settings.FACTORYOS_KEYS = old_spec
    org, owner = make_org()
    user = owner.user
    user.phone = "+1 555 0100"
    user.save()
    with org_scope(org):
        TaxIdentifier.objects.create(kind="EIN", country="US", value="12-3456789")
        Employee.objects.create(
            employee_number="E-1", first_name="Ana", last_name="Reyes", employment_start="2020-02-03", labour_rate="9"
        )
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buf, format="PNG")
    profile_photo_set(user=user, upload=SimpleUploadedFile("p.png", buf.getvalue(), "image/png"))

    settings.FACTORYOS_KEYS = f"{crypto.generate_key_spec('new')},{old_spec}"
    report = rotate_all()
    assert report.fields_resealed >= 2 and report.files_rewrapped == 1 and report.person_keys_rewrapped >= 1
    assert rotate_all().fields_resealed == 0  # idempotent

    settings.FACTORYOS_KEYS = settings.FACTORYOS_KEYS.split(",")[0]  # the old key is gone: all must still read
    user = User.objects.get(pk=user.pk)
    assert user.phone == "+1 555 0100"
    with transaction.atomic(), org_scope(org):  # the audit trail's sealed details read under the new key too
        about_user = AuditEvent.objects.select_related("actor_key", "subject_key").filter(object_type="accounts.user")
        event = about_user.filter(subject_key__isnull=False).first()
        assert event is not None and event.object_repr == user.email and not event.erased
    with org_scope(org):
        assert TaxIdentifier.objects.get().value == "12-3456789"
        employee = Employee.objects.get()
        assert (employee.last_name, employee.employment_start, employee.labour_rate) == (
            "Reyes",
            date(2020, 2, 3),
            Decimal("9.00"),
        )
    data, content_type = profile_photo_read(user)
    assert content_type == "image/png" and Image.open(io.BytesIO(data)).size == (20, 20)
