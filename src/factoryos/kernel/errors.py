"""Domain errors. One handler (API) and the forms (web) turn them into a 4xx naming the field."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


class PermissionDeniedError(DomainError):
    status = 403


class ConflictError(DomainError):
    status = 409


def field_errors(exc: ValidationError | DomainError) -> list[dict[str, str]]:
    """[{field, message}] from a Django ValidationError (dict or list) or a DomainError."""
    if isinstance(exc, DomainError):
        return [{"field": exc.field or "", "message": exc.message}]
    if hasattr(exc, "error_dict"):
        return [
            {"field": "" if name == "__all__" else name, "message": message}
            for name, errors in exc.message_dict.items()
            for message in errors
        ]
    return [{"field": "", "message": message} for message in exc.messages]
