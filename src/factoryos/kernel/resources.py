"""Declarative CRUD endpoints for master data, and the registry the isolation tests walk.

``add_resource(router, Resource(...))`` gives one model five operations: a paginated, filtered, ordered list
(recorded as a LIST event with filter and count), a detail read (recorded as VIEW), create, patch and delete, each
guarded by ``<module>.view`` or ``<module>.edit`` and calling the app's service functions. Every resource lands in
``RESOURCES``, from which tests/isolation/routes.py classifies the routes and takes valid example bodies.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from django.db import models
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, create_model

from factoryos.kernel import events
from factoryos.kernel.access import requires
from factoryos.kernel.api import PageParams, page_of, paginate
from factoryos.kernel.events import Action

Objects = dict[str, models.Model]  # label -> an object of that model in one organization (tests' world)

BIGINT_MAX = 2**63 - 1  # ids beyond this overflow the database (a 500) instead of being simply unknown
RowId = Annotated[int, Field(ge=0, le=BIGINT_MAX)]
PathId = Annotated[int, Path(ge=1, le=BIGINT_MAX)]


@dataclass
class Resource:
    path: str  # "sites" -> /api/v1/sites and /api/v1/sites/{site_id}
    model: type[models.Model]
    module: str  # permission module: <module>.view to read, <module>.edit to write
    out: type[Schema]
    create_in: type[Schema] | None = None
    patch_in: type[Schema] | None = None
    create: Callable[..., models.Model] | None = None  # create(actor=..., **payload)
    update: Callable[..., models.Model] | None = None  # update(actor=..., obj=..., **changes)
    delete: Callable[..., None] | None = None  # delete(actor=..., obj=...)
    queryset: Callable[[], QuerySet] | None = None
    search: tuple[str, ...] = ()  # fields matched (icontains) by ?q=
    filters: dict[str, tuple[type, str]] = field(default_factory=dict)  # param -> (type, ORM lookup)
    ordering: tuple[str, ...] = ()
    to_out: Callable[[models.Model], Any] = staticmethod(lambda obj: obj)  # type: ignore[assignment]
    sample_create: Callable[[Objects], dict] | None = None  # a valid body given a world's objects (tests)
    sample_patch: Callable[[Objects], dict] | None = None
    tags: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def detail_path(self) -> str:
        return f"{self.path}/{{id}}"

    def base_queryset(self) -> QuerySet:
        return self.queryset() if self.queryset else self.model.objects.all()


RESOURCES: list[Resource] = []


def add_resource(router: Router, res: Resource) -> Resource:
    """Register the resource's operations on ``router`` (see the module docstring)."""
    view_perm, edit_perm = f"{res.module}.view", f"{res.module}.edit"
    name = res.path.replace("/", "_").replace("-", "_")
    tags = list(res.tags) or [res.module]
    orderings = tuple(o for field_name in res.ordering for o in (field_name, f"-{field_name}"))
    filter_fields: dict[str, Any] = {"q": (str, "")}
    if orderings:
        filter_fields["ordering"] = (Literal[orderings] | None, None)  # type: ignore[valid-type]
    for param, (type_, _lookup) in res.filters.items():
        filter_fields[param] = ((RowId if type_ is int else type_) | None, None)
    Filters = create_model(f"{res.model.__name__}Filters", __base__=Schema, **filter_fields)  # noqa: N806

    def fetch(pk: int) -> models.Model:
        return get_object_or_404(res.base_queryset(), pk=pk)

    @router.get(
        f"/{res.path}",
        response=page_of(res.out),
        tags=tags,
        operation_id=f"{name}_list",
        summary=f"List {res.model._meta.verbose_name_plural}",
    )
    @requires(view_perm)
    def list_view(request, page: Query[PageParams], filters: Query[Filters]):
        qs = res.base_queryset()
        criteria = filters.model_dump(exclude_none=True)
        query = criteria.pop("q", "").strip()
        if query and res.search:
            match = Q()
            for search_field in res.search:
                match |= Q(**{f"{search_field}__icontains": query})
            qs = qs.filter(match)
        ordering = criteria.pop("ordering", None)
        for param, value in criteria.items():
            qs = qs.filter(**{res.filters[param][1]: value})
        result = paginate(qs, limit=page.limit, offset=page.offset, ordering=ordering, allowed=set(res.ordering))
        events.record_list(object_type=res.label, criteria={"q": query, **criteria}, count=result["count"])
        result["items"] = [res.to_out(obj) for obj in result["items"]]
        return result

    @router.get(
        f"/{res.detail_path}",
        response=res.out,
        tags=tags,
        operation_id=f"{name}_get",
        summary=f"Read one {res.model._meta.verbose_name}",
    )
    @requires(view_perm)
    def get_view(request, id: PathId):  # noqa: A002 - the path parameter's name
        obj = fetch(id)
        events.record(action=Action.VIEW, obj=obj)
        return res.to_out(obj)

    if res.create and res.create_in:
        create_in = res.create_in

        @router.post(
            f"/{res.path}",
            response={201: res.out},
            tags=tags,
            operation_id=f"{name}_create",
            summary=f"Create a {res.model._meta.verbose_name}",
        )
        @requires(edit_perm)
        def create_view(request, payload: create_in):  # type: ignore[valid-type]
            obj = res.create(actor=request.membership, **payload.model_dump(exclude_unset=True))
            return Status(201, res.to_out(obj))

    if res.update and res.patch_in:
        patch_in = res.patch_in

        @router.patch(
            f"/{res.detail_path}",
            response=res.out,
            tags=tags,
            operation_id=f"{name}_update",
            summary=f"Change a {res.model._meta.verbose_name}",
        )
        @requires(edit_perm)
        def patch_view(request, id: PathId, payload: patch_in):  # type: ignore[valid-type]  # noqa: A002
            obj = fetch(id)
            changes = payload.model_dump(exclude_unset=True)
            return res.to_out(res.update(actor=request.membership, obj=obj, **changes))

    if res.delete:

        @router.delete(
            f"/{res.detail_path}",
            response={204: None},
            tags=tags,
            operation_id=f"{name}_delete",
            summary=f"Delete a {res.model._meta.verbose_name}",
        )
        @requires(edit_perm)
        def delete_view(request, id: PathId):  # noqa: A002
            res.delete(actor=request.membership, obj=fetch(id))
            return Status(204, None)

    RESOURCES.append(res)
    return res
