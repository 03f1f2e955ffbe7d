"""Declarative CRUD endpoints for master data, and the registry the isolation tests walk.

``add_resources(router, Resource("sites", selectors.sites), ..., schemas=s, services=services)`` gives each model
up to five operations: a paginated, filtered, ordered list, a detail read, create, patch and delete, each guarded by
``<module>.view`` or ``<module>.edit`` and calling the app's service functions. Reads go through the model's reader
(``<app>/selectors.py``): the list takes its query parameters from the model's one FilterSet (the web list uses the
same) and records a LIST event with the filter and count; the read records a VIEW. Every resource lands in
``RESOURCES``, from which tests/isolation/routes.py classifies the routes.

By convention (what a resource does not say): the bodies are the schemas module's ``<Name>Out``, ``<Name>In`` and
``<Name>Patch`` (Name: the model's class name), the writes the services module's ``<noun>_create``, ``_update`` and
``_delete`` (noun: the model's name in snake case). A body without its service, or the reverse for create and
update, is a mistake and raises at start-up; a model with no ``<Name>In`` simply has no create.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Annotated, Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import create_model

from factoryos.kernel.access import requires
from factoryos.kernel.api import PageParams, page_of, paginate
from factoryos.kernel.errors import DomainError, FieldError, code_of
from factoryos.kernel.filters import BIGINT_MAX, query_schema
from factoryos.kernel.reads import LIST, VIEW, Reader, reads

PathId = Annotated[int, Path(ge=1, le=BIGINT_MAX)]


@dataclass
class Resource:
    path: str  # "sites" -> /api/v1/sites and /api/v1/sites/{id}
    reader: Reader[Any]  # the model's reads: queryset, FilterSet, and their audit events
    out: type[Schema] | None = None  # the body of a row, read from the object's attributes
    create_in: type[Schema] | None = None
    patch_in: type[Schema] | None = None
    create: Callable[..., Any] | None = None  # create(actor=..., **payload, **from_request(request))
    update: Callable[..., Any] | None = None  # update(actor=..., obj=..., **changes)
    delete: Callable[..., None] | None = None  # delete(actor=..., obj=...)
    ordering: tuple[str, ...] | Mapping[str, str] = ()  # names, or names -> the field paths they sort by
    module: str = ""  # permission module (default: the model's app): <module>.view to read, <module>.edit to write
    permissions: tuple[str, str] | None = None  # (to read, to write) when they are not <module>.view/.edit
    listed: bool = True  # False: the app answers the list itself (a list that is not paginated)
    from_request: Callable[[HttpRequest], dict[str, Any]] | None = None  # what creating takes from the request
    tags: tuple[str, ...] = ()
    name: str = ""  # the schemas' prefix (default: the model's class name)
    noun: str = ""  # the services' prefix (default: the model's class name in snake case)
    sorts: dict[str, str] = field(init=False)  # ordering as public name -> field path

    def __post_init__(self) -> None:
        self.module = self.module or self.model._meta.app_label
        ordering = self.ordering
        self.sorts = dict(ordering) if isinstance(ordering, Mapping) else {name: name for name in ordering}
        self.permissions = self.permissions or (f"{self.module}.view", f"{self.module}.edit")

    @property
    def model(self) -> type[models.Model]:
        return self.reader.model

    @property
    def label(self) -> str:
        return self.reader.label

    @property
    def detail_path(self) -> str:
        return f"{self.path}/{{id}}"

    def complete(self, schemas: ModuleType | None, services: ModuleType | None) -> None:
        """Fill in what the resource leaves to convention (see the module's docstring)."""
        name = self.name or self.model.__name__
        noun = self.noun or re.sub(r"(?<!^)(?=[A-Z])", "_", self.model.__name__).lower()
        self.out = self.out or getattr(schemas, f"{name}Out", None)
        if self.out is None:
            raise ImproperlyConfigured(f"{self.path}: no out schema ({name}Out)")
        for body, write, suffix, verb in (
            ("create_in", "create", "In", "create"),
            ("patch_in", "update", "Patch", "update"),
        ):
            schema = getattr(self, body) or getattr(schemas, f"{name}{suffix}", None)
            service = getattr(self, write) or getattr(services, f"{noun}_{verb}", None)
            if schema is not None and service is None:
                raise ImproperlyConfigured(f"{self.path}: {name}{suffix} has no service ({noun}_{verb})")
            if schema is None and getattr(self, write) is not None:
                raise ImproperlyConfigured(f"{self.path}: {write} is given without its body ({name}{suffix})")
            setattr(self, body, schema)
            setattr(self, write, service if schema is not None else None)
        self.delete = self.delete or getattr(services, f"{noun}_delete", None)


RESOURCES: list[Resource] = []


def list_params(res: Resource) -> type[Schema]:
    """The list's query parameters: the FilterSet's filters, plus ``ordering`` when the resource allows one."""
    base = query_schema(res.reader.filterset) if res.reader.filterset else Schema
    orderings = tuple(o for name in res.sorts for o in (name, f"-{name}"))
    extra: dict[str, Any] = {"ordering": (Literal[orderings] | None, None)} if orderings else {}
    return create_model(f"{res.model.__name__}ListParams", __base__=base, **extra)


def filter_errors(filterset: Any) -> DomainError:
    """A FilterSet's form errors as the API's field errors (e.g. an id that names no row of this organization)."""
    return DomainError.of(
        [
            FieldError(name, message, code_of(error.code))
            for name, errors in filterset.form.errors.as_data().items()
            for error in errors
            for message in error.messages
        ]
    )


def paged(
    request: Any,
    reader: Reader[Any],
    params: Schema | None,
    page: PageParams,
    *,
    ordering: str | None = None,
    allowed: set[str] | frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """One page of ``reader``'s rows matching ``params`` (its FilterSet's query model), recorded as a LIST."""
    criteria = params.model_dump(exclude_none=True) if params is not None else {}
    listing = reader.filter(criteria)
    if not listing.filterset.is_valid():
        raise filter_errors(listing.filterset)
    result = paginate(listing.queryset, limit=page.limit, offset=page.offset, ordering=ordering, allowed=set(allowed))
    listing.record(count=result["count"], actor=request.membership)
    return result


def add_resources(
    router: Router, *resources: Resource, schemas: ModuleType | None = None, services: ModuleType | None = None
) -> None:
    """Register each resource's operations on ``router``, taking what they leave to convention from the app's
    ``schemas`` and ``services`` modules (see the module's docstring)."""
    for res in resources:
        res.complete(schemas, services)
        add_resource(router, res)


def add_resource(router: Router, res: Resource) -> Resource:
    """Register the resource's operations on ``router`` (see the module docstring)."""
    res.complete(None, None)
    assert res.out is not None  # complete() made sure
    view_perm, edit_perm = res.permissions or ("", "")
    noun, plural = res.model._meta.verbose_name, res.model._meta.verbose_name_plural

    def operation(method: str, path: str, verb: str, summary: str, response: Any) -> Callable[..., Any]:
        """Declare one operation of the resource: its route, id, summary, tags and permission."""
        name = res.path.replace("/", "_").replace("-", "_")
        declare = router.api_operation(
            [method],
            f"/{path}",
            response=response,
            tags=list(res.tags) or [res.module],
            operation_id=f"{name}_{verb}",
            summary=summary,
        )
        return lambda view: declare(requires(view_perm if method == "GET" else edit_perm)(view))

    if res.listed:
        operation("GET", res.path, "list", f"List {plural}", page_of(res.out))(_list_view(res))

    @operation("GET", res.detail_path, "get", f"Read one {noun}", res.out)
    @reads(VIEW)
    def get_view(request, id: PathId):  # noqa: A002 - the path parameter's name
        return res.reader.get(id, actor=request.membership)

    create, create_in = res.create, res.create_in
    if create is not None and create_in is not None:

        @operation("POST", res.path, "create", f"Create a {noun}", {201: res.out})
        def create_view(request, payload: create_in):  # type: ignore[valid-type]
            body: Schema = payload
            context = res.from_request(request) if res.from_request else {}
            return Status(201, create(actor=request.membership, **body.model_dump(exclude_unset=True), **context))

    update, patch_in = res.update, res.patch_in
    if update is not None and patch_in is not None:

        @operation("PATCH", res.detail_path, "update", f"Change a {noun}", res.out)
        def patch_view(request, id: PathId, payload: patch_in):  # type: ignore[valid-type]  # noqa: A002
            body: Schema = payload
            obj = res.reader.fetch(id)
            return update(actor=request.membership, obj=obj, **body.model_dump(exclude_unset=True))

    delete = res.delete
    if delete is not None:

        @operation("DELETE", res.detail_path, "delete", f"Delete a {noun}", {204: None})
        def delete_view(request, id: PathId):  # noqa: A002
            delete(actor=request.membership, obj=res.reader.fetch(id))
            return Status(204, None)

    RESOURCES.append(res)
    return res


def _list_view(res: Resource) -> Callable[..., Any]:
    """The list operation: the FilterSet's filters and the resource's sort names as query parameters, a page."""
    Params = list_params(res)  # noqa: N806
    fields = res.sorts

    @reads(LIST)
    def list_view(request, page: Query[PageParams], params: Query[Params]):  # type: ignore[valid-type]
        filters: Schema = params
        ordering = getattr(filters, "ordering", None)
        filters = filters.model_copy(update={"ordering": None}) if ordering else filters
        if ordering:  # the public name -> the field path it sorts by
            ordering = ("-" if ordering.startswith("-") else "") + fields[ordering.lstrip("-")]
        return paged(request, res.reader, filters, page, ordering=ordering, allowed=set(fields.values()))

    return list_view
