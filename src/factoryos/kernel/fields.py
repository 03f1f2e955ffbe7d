"""Encrypted fields: sealed with AES-256-GCM, bound to their row.

The associated data is ``<app_label.model>.<field>:<row uid>``, so every model with an encrypted field has a
``uid`` (UUID assigned before the first save). Values are sealed in ``pre_save`` (where the row is known) and
opened lazily by a descriptor on first access. Filtering on an encrypted field, or ``update()`` with a plain
value, is refused: the database never sees the plaintext (kernel/sealed.py searches and sorts after decrypting).

``EncryptedField`` is mixed in before a Django field class, whose Python type, validators and form field it keeps:
``EncryptedDateField`` is a ``DateField`` to forms and API schemas (a date picker, a ``format: date``), only its
column is text. ``EncryptedTextField`` (long text), ``EncryptedCharField`` (a line), ``EncryptedDateField`` and
``EncryptedDecimalField`` are the kinds in use. A database CHECK cannot read ciphertext, so the typed fields run
their validators when they seal (what the column type and a CHECK enforced before).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core import checks, validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.functional import cached_property

from factoryos.kernel import lookups  # noqa: F401 - no integer lookup overflows the database
from factoryos.kernel.crypto import FIELD_PREFIX, Keyring, keyring


class Sealed(str):
    """A ciphertext on its way to or from the database."""


MASK = "••••••"


class _EncryptedDescriptor(DeferredAttribute):
    """Opens the sealed value on first access (loading it first if the row was fetched without it)."""

    field: EncryptedField

    def __get__(self, instance: models.Model | None, cls: type | None = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.open(value, instance.uid)  # type: ignore[attr-defined]  # check() requires a uid
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:  # a data descriptor: __get__ sees every read
        instance.__dict__[self.field.attname] = value


# The precision of a quantity (of any unit) and of a unit cost, the same in every app.
QUANTITY = {"max_digits": 18, "decimal_places": 6}
UNIT_COST = {"max_digits": 14, "decimal_places": 4}


class BoundedTextField(models.TextField):
    """Text whose ``max_length`` the model validates too (a TextField's max_length alone only sizes its form)."""

    @cached_property
    def validators(self) -> list[Any]:  # as default validators, so migrations do not spell them out
        own = super().validators
        return own if self.max_length is None else [*own, validators.MaxLengthValidator(self.max_length)]


class EncryptedField(models.Field):
    """What every encrypted field shares, mixed in before a Django field class (``EncryptedDateField(EncryptedField,
    models.DateField)``): the value is sealed to text with the row's identity, and opened back to the Python type of
    the field it is mixed into."""

    descriptor_class = _EncryptedDescriptor
    sensitive = True  # audit diffs mask it
    validate_on_seal = False  # run the validators when sealing (the typed fields: their column used to enforce them)

    @cached_property
    def _aad_prefix(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}:"

    def aad_for(self, uid: Any) -> bytes:
        return f"{self._aad_prefix}{uid}".encode()

    def to_plaintext(self, value: Any) -> str:
        """The value as the text that is sealed."""
        return str(value)

    def from_plaintext(self, text: str) -> Any:
        """The opened text as the field's Python value."""
        return text

    def seal(self, instance: models.Model, value: Any) -> Sealed:
        return self.seal_for(instance.uid, value)  # type: ignore[attr-defined]  # check() requires a uid

    def seal_for(self, uid: Any, value: Any, ring: Keyring | None = None) -> Sealed:
        """``value`` sealed for the row whose uid is ``uid`` (a data migration has the row, not its object)."""
        return Sealed((ring or keyring()).seal(self.to_plaintext(value).encode(), self.aad_for(uid)))

    def open(self, token: str, uid: Any, ring: Keyring | None = None) -> Any:
        """The value of ``token`` sealed in the row whose uid is ``uid`` (``ring``: the keyring, when opening many)."""
        return self.from_plaintext((ring or keyring()).open(token, self.aad_for(uid)).decode())

    def get_internal_type(self) -> str:
        return "TextField"  # the column holds ciphertext, whatever the value's type (and no converter parses it)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if value in (None, ""):
            return value
        if self.validate_on_seal:
            try:
                self.run_validators(self.to_python(value))
            except ValidationError as exc:
                raise ValidationError({self.name: exc.error_list}) from None
        return self.seal(model_instance, value)

    def get_prep_value(self, value: Any) -> Any:
        if value in (None, "") or isinstance(value, Sealed):
            return value
        raise ValueError("Encrypted fields are written through Model.save() (or seal()), never as plain values")

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return value if prepared else self.get_prep_value(value)  # not the base type's adaptation (a date, a decimal)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return Sealed(value)

    def get_lookup(self, lookup_name: str):  # no searching by ciphertext
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def value_to_string(self, obj: models.Model) -> str:
        return MASK

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        try:
            self.model._meta.get_field("uid")
        except Exception:
            errors.append(checks.Error(f"A model with an {type(self).__name__} needs a uid field", obj=self))
        return errors


class EncryptedTextField(EncryptedField, BoundedTextField):
    """Long text (an address, a note), sealed."""


class EncryptedCharField(EncryptedField, models.CharField):
    """A line of text (a name), sealed; its form field is a text input with the model's ``max_length``."""

    validate_on_seal = True


class EncryptedDateField(EncryptedField, models.DateField):
    """A date, sealed as ISO text and opened as a ``date``."""

    validate_on_seal = True

    def to_plaintext(self, value: Any) -> str:
        return self.to_python(value).isoformat()

    def from_plaintext(self, text: str) -> date:
        return date.fromisoformat(text)


class EncryptedDecimalField(EncryptedField, models.DecimalField):
    """A decimal, sealed as text with its ``decimal_places`` (as the column stored it) and opened as a ``Decimal``."""

    validate_on_seal = True

    def to_plaintext(self, value: Any) -> str:
        return f"{self.to_python(value).quantize(Decimal(1).scaleb(-self.decimal_places)):f}"

    def from_plaintext(self, text: str) -> Decimal:
        return Decimal(text)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]


def is_ciphertext(raw: str | None) -> bool:
    return raw is not None and raw.startswith(FIELD_PREFIX + ":")


# Fields that hold the storage name of an encrypted file (rotate_keys re-wraps their data keys).
ENCRYPTED_FILE_FIELDS: list[tuple[str, str]] = []


def register_encrypted_file(model_label: str, field_name: str) -> None:
    if (model_label, field_name) not in ENCRYPTED_FILE_FIELDS:
        ENCRYPTED_FILE_FIELDS.append((model_label, field_name))


# Binary columns that hold a file sealed with ``crypto.encrypt_stream`` in the row itself (a kept PDF, a job's
# upload): rotate_keys re-wraps their data keys in place, so an old key is not needed to open them once it has run.
SEALED_BLOB_FIELDS: list[tuple[str, str]] = []


def register_sealed_blob(model_label: str, field_name: str) -> None:
    """``model_label``'s ``field_name`` (a BinaryField of a tenant model) holds a sealed file."""
    if (model_label, field_name) not in SEALED_BLOB_FIELDS:
        SEALED_BLOB_FIELDS.append((model_label, field_name))


def sealed_blobs() -> list[tuple[str, str]]:
    """The registered sealed blob columns, as (model label, field name)."""
    return list(SEALED_BLOB_FIELDS)
