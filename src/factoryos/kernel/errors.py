"""Domain errors with codes. One handler (API) and the forms (web) turn them into a 4xx naming the field.

Every error carries a code from an ``ErrorCode`` enum: ``CommonError`` here for what any model can say (required,
too long, not unique, still in use...), and one enum per app in ``<app>/errors.py`` for its own rules (a BOM loop,
insufficient stock). The API puts the code into every error item and lists all codes in its schema, so a client
can branch on them; Django's and pydantic's own validation codes are mapped onto the common ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import DataError


class ErrorCode(StrEnum):
    """Base of every app's error codes (``<app>/errors.py``). Codes are unique across the whole product."""


class CommonError(ErrorCode):
    INVALID = "invalid"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    TOO_SHORT = "too_short"
    OUT_OF_RANGE = "out_of_range"
    INVALID_CHOICE = "invalid_choice"
    NOT_UNIQUE = "not_unique"
    UNKNOWN_REFERENCE = "unknown_reference"
    IN_USE = "in_use"
    NOT_SETTABLE = "not_settable"
    CONFLICT = "conflict"
    UNSTORABLE_TEXT = "unstorable_text"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    LOCKED = "locked"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    REQUEST_TOO_LARGE = "request_too_large"
    NOT_AN_IMAGE = "not_an_image"
    IMAGE_TOO_LARGE = "image_too_large"


@dataclass(frozen=True)
class FieldError:
    field: str  # "" for the request as a whole
    message: str
    code: str


class DomainError(Exception):
    """A rule refused the request: 400 unless a subclass says otherwise."""

    status = 400

    def __init__(self, message: str, *, code: ErrorCode, field: str = ""):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field
        self.errors = [FieldError(field, message, code)]

    @classmethod
    def of(cls, errors: Sequence[FieldError]) -> DomainError:
        """Several field errors at once (every bad field of a form, not just the first)."""
        first = errors[0]
        exc = cls(first.message, code=_code(first.code), field=first.field)
        exc.errors = list(errors)
        return exc


class PermissionDeniedError(DomainError):
    status = 403


class ConflictError(DomainError):
    status = 409


def _code(value: str) -> ErrorCode:
    for enum in all_codes_by_enum():
        if value in enum._value2member_map_:
            return enum(value)
    return CommonError.INVALID


def all_codes_by_enum() -> list[type[ErrorCode]]:
    """Every ErrorCode enum defined so far (apps define theirs when their services are imported)."""
    found: list[type[ErrorCode]] = []
    pending = list(ErrorCode.__subclasses__())
    while pending:
        enum = pending.pop(0)
        found.append(enum)
        pending.extend(enum.__subclasses__())
    return found


def all_codes() -> list[str]:
    return sorted({member.value for enum in all_codes_by_enum() for member in enum})


# Django's validation codes (model fields, validators, forms) as the common codes.
DJANGO_CODES = {
    "required": CommonError.REQUIRED,
    "blank": CommonError.REQUIRED,
    "null": CommonError.REQUIRED,
    "max_length": CommonError.TOO_LONG,
    "min_length": CommonError.TOO_SHORT,
    "min_value": CommonError.OUT_OF_RANGE,
    "max_value": CommonError.OUT_OF_RANGE,
    "max_digits": CommonError.OUT_OF_RANGE,
    "max_decimal_places": CommonError.OUT_OF_RANGE,
    "max_whole_digits": CommonError.OUT_OF_RANGE,
    "step_size": CommonError.OUT_OF_RANGE,
    "invalid_choice": CommonError.INVALID_CHOICE,
    "unique": CommonError.NOT_UNIQUE,
    "unique_together": CommonError.NOT_UNIQUE,
}


def code_of(django_code: str | None) -> str:
    """The product's code for a Django validation code: ours pass through, Django's map, the rest are invalid."""
    if not django_code:
        return CommonError.INVALID
    if django_code in DJANGO_CODES:
        return DJANGO_CODES[django_code]
    return _code(django_code)


def field_errors(exc: ValidationError | DomainError) -> list[FieldError]:
    """Every error of a DomainError or a Django ValidationError (dict or list), with its field and code."""
    if isinstance(exc, DomainError):
        return list(exc.errors)
    if hasattr(exc, "error_dict"):
        return [
            FieldError("" if name == "__all__" else name, message, code_of(error.code))
            for name, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [FieldError("", message, code_of(error.code)) for error in exc.error_list for message in error.messages]


def messages(exc: ValidationError | DomainError) -> str:
    """All messages of an error in one sentence (for a flash message)."""
    return " ".join(e.message for e in field_errors(exc))


# What the database refuses about values every rule let through: a sum past its column (a stock level, an average
# cost), an integer past 64 bits (SQLite's driver raises OverflowError). Bad input, so a 400, never a 500: the API and
# the pages answer it with ``storage_error()``, and the service's transaction (a page's: a savepoint around the
# service, web.pages.submit) has rolled its writes back.
STORAGE_ERRORS: tuple[type[Exception], ...] = (DataError, OverflowError)


def storage_error() -> DomainError:
    return DomainError(
        "A number is beyond what can be stored (a total, a balance or an average would outgrow its column).",
        code=CommonError.OUT_OF_RANGE,
    )


def join(errors: Iterable[FieldError]) -> DomainError | None:
    """One DomainError for the collected ``errors``, or None when there are none."""
    collected = list(errors)
    return DomainError.of(collected) if collected else None
