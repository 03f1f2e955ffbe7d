"""EncryptedTextField: sealed with AES-256-GCM, bound to its row.

The associated data is ``<app_label.model>.<field>:<row uid>``, so every model with an encrypted field has a
``uid`` (UUID assigned before the first save). Values are sealed in ``pre_save`` (where the row is known) and
opened lazily by a descriptor on first access. Filtering on an encrypted field, or ``update()`` with a plain
value, is refused: the database never sees the plaintext.
"""

from __future__ import annotations

from typing import Any

from django.core import checks, validators
from django.db import models
from django.utils.functional import cached_property

from factoryos.kernel import lookups  # noqa: F401 - no integer lookup overflows the database
from factoryos.kernel.crypto import FIELD_PREFIX, keyring


class Sealed(str):
    """A ciphertext on its way to or from the database."""


MASK = "••••••"


class _EncryptedDescriptor:
    def __init__(self, field: EncryptedTextField):
        self.field = field

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        value = instance.__dict__.get(self.field.attname)
        if isinstance(value, Sealed):
            value = keyring().open(value, self.field.aad(instance)).decode()
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
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


class EncryptedTextField(BoundedTextField):
    descriptor_class = _EncryptedDescriptor
    sensitive = True  # audit diffs mask it

    def aad(self, instance: models.Model) -> bytes:
        uid = instance.uid  # type: ignore[attr-defined]  # check() requires the model to have one
        return f"{self.model._meta.label_lower}.{self.name}:{uid}".encode()

    def seal(self, instance: models.Model, plaintext: str) -> Sealed:
        return Sealed(keyring().seal(plaintext.encode(), self.aad(instance)))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if value in (None, ""):
            return value
        return self.seal(model_instance, str(value))

    def get_prep_value(self, value: Any) -> Any:
        if value in (None, "") or isinstance(value, Sealed):
            return value
        raise ValueError("Encrypted fields are written through Model.save() (or seal()), never as plain values")

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return Sealed(value)

    def get_lookup(self, lookup_name: str):  # no searching by ciphertext, by plaintext even less
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
            errors.append(checks.Error("A model with an EncryptedTextField needs a uid field", obj=self))
        return errors


def is_ciphertext(raw: str | None) -> bool:
    return raw is not None and raw.startswith(FIELD_PREFIX + ":")


# Fields that hold the storage name of an encrypted file (rotate_keys re-wraps their data keys).
ENCRYPTED_FILE_FIELDS: list[tuple[str, str]] = []


def register_encrypted_file(model_label: str, field_name: str) -> None:
    if (model_label, field_name) not in ENCRYPTED_FILE_FIELDS:
        ENCRYPTED_FILE_FIELDS.append((model_label, field_name))
