"""The API's machinery: the one error shape (with codes), a strict parser, pagination and ordering.

``FactoryAPI`` is django-ninja's API with every 4xx answered as ``{"detail", "code", "errors": [{"field",
"message", "code"}]}``; the codes are every app's ``ErrorCode`` members, listed in the OpenAPI schema.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from ninja import File, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from pydantic import Field, create_model

from factoryos.kernel.errors import (
    STORAGE_ERRORS,
    CommonError,
    DomainError,
    ErrorCode,
    FieldError,
    all_codes,
    field_errors,
    storage_error,
)
from factoryos.kernel.sealed import is_sealed, rows_in_order, sorted_ids
from factoryos.kernel.validators import UNSTORABLE, UNSTORABLE_MESSAGE

# An upload's parameter default: optional in the signature, so a missing file is the operation's own 400 naming the
# field (DomainError), not a 422 from the parser before any guard runs.
OPTIONAL_FILE = File(None)


class ErrorItem(Schema):
    field: str
    message: str
    code: str


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list[ErrorItem]


# Pydantic's error types (422) as the product's codes.
PYDANTIC_CODES: dict[str, ErrorCode] = {
    "missing": CommonError.REQUIRED,
    "string_too_long": CommonError.TOO_LONG,
    "too_long": CommonError.TOO_LONG,
    "string_too_short": CommonError.TOO_SHORT,
    "too_short": CommonError.TOO_SHORT,
    "greater_than": CommonError.OUT_OF_RANGE,
    "greater_than_equal": CommonError.OUT_OF_RANGE,
    "less_than": CommonError.OUT_OF_RANGE,
    "less_than_equal": CommonError.OUT_OF_RANGE,
    "decimal_max_digits": CommonError.OUT_OF_RANGE,
    "decimal_max_places": CommonError.OUT_OF_RANGE,
    "decimal_whole_digits": CommonError.OUT_OF_RANGE,
    "literal_error": CommonError.INVALID_CHOICE,
    "enum": CommonError.INVALID_CHOICE,
    "string_unstorable": CommonError.UNSTORABLE_TEXT,
}
STATUS_CODES: dict[int, ErrorCode] = {
    401: CommonError.UNAUTHENTICATED,
    403: CommonError.FORBIDDEN,
    404: CommonError.NOT_FOUND,
    405: CommonError.METHOD_NOT_ALLOWED,
}


# The 4xx statuses any operation may answer with, all with the ErrorOut body (see install_error_handlers).
ERROR_RESPONSES: dict[int, str] = {
    400: "Bad request: a value the domain refuses (e.g. an unknown role), or a body that is not JSON.",
    401: "Authentication required: a session or 'Authorization: Bearer fos_...'.",
    403: "Forbidden: the role or the API key's scopes do not allow this.",
    404: "Not found (another organization's objects are not found either).",
    409: "Conflict with the current state (e.g. a duplicate).",
    413: "The request body is larger than the limit (request_too_large); a file upload has its own limit.",
    422: "The request has invalid fields.",
}


def _unstorable_errors(value: Any, loc: tuple) -> list[dict]:
    if isinstance(value, str):
        return (
            [{"loc": loc, "msg": UNSTORABLE_MESSAGE, "type": "string_unstorable"}] if UNSTORABLE.search(value) else []
        )
    errors = []
    if isinstance(value, dict):
        for key, item in value.items():
            errors += _unstorable_errors(key, (*loc, key)) + _unstorable_errors(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            errors += _unstorable_errors(item, (*loc, index))
    return errors


class StrictParser(Parser):
    """Ninja's parser, refusing text no database column can store (query strings and JSON bodies alike), and any
    body that is not a JSON object (every body of this API is one).

    A refused query string is a 422 naming the parameter. Ninja wraps a body parser's exception in
    HttpError(400, "Cannot parse request body"); the HttpError handler unwraps it into the same 422.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict):  # else a list or a number would pass as a patch with no fields
            raise NinjaValidationError([{"loc": ("body",), "msg": "The body must be a JSON object.", "type": "dict"}])
        if errors := _unstorable_errors(data, ("body",)):
            raise NinjaValidationError(errors)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        if errors := _unstorable_errors(result, ("query",)):
            raise NinjaValidationError(errors)
        return result


class FactoryAPI(NinjaAPI):
    """NinjaAPI with the one error shape, in one place.

    Installs the 4xx handlers, declares ErrorOut for the 4xx statuses on every operation of the OpenAPI schema
    (rather than on each route), and gives the answers ninja makes outside any operation (405 for a method the path
    lacks, the 404 of the API root) the same body.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("parser", StrictParser())
        super().__init__(*args, **kwargs)
        install_error_handlers(self)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(error_schema.pop("$defs", {}))
        components[ErrorOut.__name__] = error_schema
        codes = {"type": "string", "enum": all_codes(), "description": CODES_DESCRIPTION}
        for name in (ErrorOut.__name__, ErrorItem.__name__):
            components[name]["properties"]["code"] = codes
        ref = f"#/components/schemas/{ErrorOut.__name__}"
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(
                        status, {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}
                    )
        return schema

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if pattern.callback is not None:
                pattern.callback = self._routing_errors_as_json(pattern.callback)
        return patterns, app_name, namespace

    def _routing_errors_as_json(self, view: Callable) -> Callable:
        @functools.wraps(view)  # keeps csrf_exempt
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                response = view(request, *args, **kwargs)
            except Http404:  # ninja's API root view raises it; operations answer their 404s themselves
                return _error(self, request, 404, "Not found.")
            if isinstance(response, HttpResponseNotAllowed):
                allow = response["Allow"]
                detail = f"Method {request.method} is not allowed here (allowed: {allow})."
                response = _error(self, request, 405, detail)
                response["Allow"] = allow
            return response

        return wrapper


CODES_DESCRIPTION = (
    "What went wrong, for a program: the common codes (required, too_long, not_unique, in_use, ...) and each "
    "module's own (bom_loop, insufficient_stock, ...). The message says it for a person."
)


def _error(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    detail: str,
    errors: list[FieldError] | None = None,
    code: str | None = None,
):
    code = code or (errors[0].code if errors else STATUS_CODES.get(status, CommonError.INVALID))
    return api.create_response(request, error_body(detail, code, errors), status=status)


def error_body(detail: str, code: str, errors: list[FieldError] | None = None) -> dict[str, Any]:
    """The one error body, also for the answers given before the API sees the request (web.middleware)."""
    return {
        "detail": detail,
        "code": code,
        "errors": [{"field": e.field, "message": e.message, "code": e.code} for e in errors or []],
    }


def install_error_handlers(api: NinjaAPI) -> None:
    """Every 4xx has the same body: {"detail": "...", "code": "...", "errors": [{"field", "message", "code"}]}."""

    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc):
        errors = []
        for err in exc.errors:
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload", "header")]
            code = PYDANTIC_CODES.get(err.get("type", ""), CommonError.INVALID)
            errors.append(FieldError(".".join(loc), err.get("msg", "invalid"), code))
        return _error(api, request, 422, "The request has invalid fields.", errors, code=CommonError.INVALID)

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request, exc):
        return _error(api, request, 400, "The request has invalid fields.", field_errors(exc))

    @api.exception_handler(DomainError)
    def _domain(request, exc):
        return _error(api, request, exc.status, exc.message, field_errors(exc), code=exc.code)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return _error(api, request, 401, "Authentication required: a session or 'Authorization: Bearer fos_...'.")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return _error(api, request, 403, str(exc) or "You do not have permission for this.")

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return _error(api, request, 404, "Not found.")

    @api.exception_handler(ObjectDoesNotExist)
    def _does_not_exist(request, exc):
        return _error(api, request, 404, "Not found.")

    def _storage(request, exc):  # the service's own transaction (a savepoint) has rolled its writes back
        refusal = storage_error()
        return _error(api, request, refusal.status, refusal.message, field_errors(refusal), code=refusal.code)

    for storage in STORAGE_ERRORS:
        api.add_exception_handler(storage, _storage)

    @api.exception_handler(HttpError)
    def _http(request, exc):
        if isinstance(exc.__cause__, NinjaValidationError):  # StrictParser refused the body (see there)
            return _validation(request, exc.__cause__)
        return _error(api, request, exc.status_code, str(exc))


# -- lists -------------------------------------------------------------------------------------------------------
_page_models: dict[type, type] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The paginated response schema for ``item``: {items, count, limit, offset}."""
    if item not in _page_models:
        _page_models[item] = create_model(
            f"{item.__name__}Page",
            __base__=Schema,
            items=(list[item], ...),  # type: ignore[valid-type]  # a class made at run time
            count=(int, ...),
            limit=(int, ...),
            offset=(int, ...),
        )
    return _page_models[item]


# Far beyond any real list, and far below the 64-bit OFFSET the databases overflow at (a 500 before this bound).
MAX_OFFSET = 2**31 - 1


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=settings.API_MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def paginate(
    qs: models.QuerySet, *, limit: int, offset: int, ordering: str | None, allowed: set[str]
) -> dict[str, Any]:
    """A page of ``qs``; the page size is capped at API_MAX_PAGE_SIZE; ordering only on ``allowed`` fields."""
    if limit < 1 or limit > settings.API_MAX_PAGE_SIZE:
        raise DomainError(
            f"limit must be between 1 and {settings.API_MAX_PAGE_SIZE}.", code=CommonError.OUT_OF_RANGE, field="limit"
        )
    if offset < 0 or offset > MAX_OFFSET:
        raise DomainError(f"offset must be between 0 and {MAX_OFFSET}.", code=CommonError.OUT_OF_RANGE, field="offset")
    if ordering:
        if ordering.lstrip("-") not in allowed:
            raise DomainError(
                f"ordering must be one of {', '.join(sorted(allowed))} (prefix - to reverse).",
                code=CommonError.INVALID_CHOICE,
                field="ordering",
            )
        if is_sealed(qs.model, ordering):  # the database cannot order ciphertext: sorted here, then one page
            ids = sorted_ids(qs, (ordering, "pk"))
            items = rows_in_order(qs, ids[offset : offset + limit])
            return {"items": items, "count": len(ids), "limit": limit, "offset": offset}
        qs = qs.order_by(ordering, "pk")
    count = qs.count()
    return {"items": list(qs[offset : offset + limit]), "count": count, "limit": limit, "offset": offset}
