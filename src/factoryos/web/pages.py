"""The web side's twin of ``kernel.resources.Resource``: pages declared, not written.

Every page is a small class naming what it shows and which service it calls; the mechanics live here once:

- ``ListPage``: a reader's rows through its FilterSet, sorted by column, paginated, the table refreshed in place
  by htmx; one LIST event per request.
- ``DetailPage``: one object through its reader (one VIEW event) and what the page shows around it.
- ``FormPage``: GET shows the form (and records a VIEW of the object it edits); POST validates, calls ONE
  service, and on success redirects with a message (or, for htmx, renders the partial); a refusal lands on the
  fields it names, with 400 (or 409 for a conflict with the current state), and nothing is written.
- ``ActionPage``: a POST-only button on one object (release, revoke): one service, a message, back;
  ``DeletePage`` is the one that removes it.

Guards come from ``permission`` (GET, and writes unless ``write_permission`` says otherwise); the class marks its
view with them and with what a GET reads, which the role matrix and the read sweep walk. Its address is declared
on it too, ``@route("sites/<int:pk>/", "site_edit")``, and the app's urls.py is ``urlpatterns = urls(views)``: a
page is one declaration, not a class here and a line there.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, ClassVar, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.urls import URLPattern, path
from django.views import View

from factoryos.kernel.access import check, hidden_without_permission, requires
from factoryos.kernel.errors import STORAGE_ERRORS, ConflictError, DomainError, field_errors, storage_error
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.permissions import Module
from factoryos.kernel.reads import LIST, NOTHING, VIEW, Reader
from factoryos.web import navigation
from factoryos.web.navigation import NavEntry
from factoryos.web.tables import Column, Table

SERVICE_ERRORS = (ValidationError, DomainError)


# -- the pieces every page uses ----------------------------------------------------------------------------------
P = TypeVar("P", bound=type[View])


def route(pattern: str, name: str, *, menu: tuple[str, str, str] | None = None, **initkwargs: Any) -> Callable[[P], P]:
    """Declare a page's address: ``pattern`` (Django's path syntax) under the URL name ``name``; ``menu``, its entry
    in the navigation as (section, label, icon), shown to whoever has the page's permission. A page may have several
    addresses, each with its own ``initkwargs`` (class attributes for that address, as ``as_view`` takes them)."""

    def declare(page: P) -> P:
        routes = page.__dict__.get("routes", [])
        page.routes = [(pattern, name, menu, initkwargs), *routes]  # type: ignore[attr-defined]  # applied upwards
        return page

    return declare


def urls(module: ModuleType) -> list[URLPattern]:
    """The URL patterns of the pages ``module`` declares with ``@route``, in the order it declares them; their menu
    entries join the navigation (in the order the URLconf includes the apps)."""
    namespace = module.__name__.split(".")[-2]  # each app's URL namespace is its label
    patterns = []
    for page in vars(module).values():
        if isinstance(page, type) and issubclass(page, View) and page.__module__ == module.__name__:
            for pattern, name, menu, initkwargs in page.__dict__.get("routes", ()):
                patterns.append(path(pattern, page.as_view(**initkwargs), name=name))
                if menu is not None:
                    section, label, icon = menu
                    permission = getattr(page, "permission", None)
                    navigation.register(NavEntry(section, label, f"{namespace}:{name}", permission, icon))
    return patterns


def render(
    request: HttpRequest, template: str, context: dict[str, Any], *, partial: str | None = None, status: int = 200
) -> HttpResponse:
    """The full page, or only ``partial`` for an htmx request (same view, same context).

    htmx restoring a page from its history cache asks again with ``HX-History-Restore-Request``: that request wants
    the whole page (it replaces the body), so it gets the full template.
    """
    if request.headers.get("HX-History-Restore-Request") == "true":
        partial = None
    chosen = partial if partial and getattr(request, "htmx", False) else template
    return django_render(request, chosen, context, status=status)


def member_view(permission: str | None = None, *, reads: str | None = None) -> Callable[..., Any]:
    """A page for a logged-in member of the current organization (optionally with a permission).

    ``reads`` marks what its GET records (see kernel.reads); the read sweep refuses a page without the mark.
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        guarded = requires(permission)(view) if permission else view

        @functools.wraps(guarded)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(request, "membership", None) is None:
                return django_render(request, "web/no_organization.html", status=403)
            return guarded(request, *args, **kwargs)

        if reads is not None:
            wrapper.reads = reads  # type: ignore[attr-defined]
        return wrapper

    return decorator


def apply_errors(form: forms.Form, exc: ValidationError | DomainError) -> None:
    """Put a service's errors on the form fields they name (unknown names go to the form as a whole)."""
    for item in field_errors(exc):
        form.add_error(item.field if item.field in form.fields else None, item.message)


def error_status(exc: Exception | None) -> int:
    """409 when the request conflicts with the current state (stock, a posted count), else 400."""
    return 409 if isinstance(exc, ConflictError) else 400


def submit(form: forms.Form, call: Callable[[], Any]) -> tuple[Any, Exception | None]:
    """Validate ``form``, then ``call()`` the service in a savepoint; its refusal goes onto the form (and leaves
    nothing written). (result, None) on success, (None, the refusal) otherwise; a form that does not validate gives
    (None, ValidationError). A value the database cannot store (kernel.errors.STORAGE_ERRORS) is a refusal too."""
    if not form.is_valid():
        return None, ValidationError(form.errors.as_data())
    try:
        with transaction.atomic():
            return call(), None
    except SERVICE_ERRORS as exc:
        apply_errors(form, exc)
        return None, exc
    except STORAGE_ERRORS:
        refusal = storage_error()
        apply_errors(form, refusal)
        return None, refusal


def flash_failure(request: HttpRequest, exc: Exception, prefix: str = "") -> None:
    messages.error(request, prefix + error_messages(exc))  # type: ignore[arg-type]


def shown(form: forms.Form, names: Sequence[str] | None) -> forms.Form:
    """``form`` with only the fields ``names`` (a list page shows some of its FilterSet's filters); a yes/no filter
    offers "Any" where Django's select says "Unknown"."""
    if names is not None:
        form.fields = {name: form.fields[name] for name in names}
    for field in form.fields.values():
        if isinstance(field.widget, forms.NullBooleanSelect):
            field.widget.choices = [("unknown", "Any"), ("true", "Yes"), ("false", "No")]
    return form


# -- the generic pages -------------------------------------------------------------------------------------------
def _given(cls: type, name: str) -> bool:
    """Whether a page class (or a page it extends) sets ``name`` itself, rather than by convention."""
    return any(
        name in vars(klass) and name not in vars(klass).get("_by_convention", ())
        for klass in cls.__mro__
        if klass.__module__ != __name__
    )


class Page(View):
    """Base of the declared pages. Functions given as ``service`` are called as plain functions.

    By convention (what a page does not say), as Django's generic views do:
    - ``permission`` and ``write_permission``: a page of an app that is a permission module (catalog, inventory,
      ...) needs ``<app>.view`` to read and ``<app>.edit`` to write; a page that only writes, ``<app>.edit``.
    - ``noun``: the model's name (``site``, ``workcenter``); ``template``: ``<app>/<noun>_<kind>.html`` for a
      list, detail or form page; a list's partial ``<app>/partials/<noun>_table.html`` and its element
      ``<noun>-table``; the object's name in the template, the noun.
    """

    permission: ClassVar[str | None] = None  # None: any member
    write_permission: ClassVar[str | None] = None
    module: ClassVar[str | None] = None  # the permission module (default: the page's app, when it is a module)
    noun: ClassVar[str] = ""
    kind: ClassVar[str] = ""  # list, detail, form: the template's suffix
    reads: ClassVar[str] = NOTHING
    template: ClassVar[str] = ""
    partial: ClassVar[str | None] = None
    http_method_names = ["get", "head"]
    hidden_from_others: ClassVar[bool] = False  # without the permission: 404, not 403 (kernel.access)
    _by_convention: ClassVar[tuple[str, ...]] = ()  # the attributes this class took from the conventions

    request: HttpRequest

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        service = cls.__dict__.get("service")
        if inspect.isfunction(service):
            cls.service = staticmethod(service)  # type: ignore[attr-defined]
        if cls.__module__ != __name__:
            chosen = cls.conventions()
            for name, value in chosen.items():
                setattr(cls, name, value)
            cls._by_convention = tuple(chosen)

    @classmethod
    def model(cls) -> type[Model] | None:
        reader = getattr(cls, "reader", None)
        form_class = getattr(cls, "form_class", None)
        return reader.model if reader is not None else getattr(form_class, "model", None)

    @classmethod
    def conventions(cls) -> dict[str, Any]:
        """The attributes the page leaves to convention (see the class's docstring)."""
        app = cls.__module__.split(".")[-2]
        module = cls.module or (app if app in Module.values else None)
        model = cls.model()
        noun = cls.noun or (model._meta.model_name if model is not None else "") or ""
        chosen: dict[str, Any] = {}
        if module is not None:
            read, write = cls.permissions_of(module)
            chosen.update(permission=read, write_permission=write)
        if noun and cls.kind:
            chosen.update(noun=noun, template=f"{app}/{noun}_{cls.kind}.html")
        return {name: value for name, value in chosen.items() if not _given(cls, name)}

    @classmethod
    def permissions_of(cls, module: str) -> tuple[str | None, str | None]:
        """(to read, to write): a page that reads needs view (edit to post); one that only writes, edit."""
        if "get" not in cls.http_method_names:
            return f"{module}.edit", None
        return f"{module}.view", f"{module}.edit" if "post" in cls.http_method_names else None

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., Any]:
        view = member_view(cls.permission, reads=cls.reads)(super().as_view(**initkwargs))
        return hidden_without_permission(view) if cls.hidden_from_others else view

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") and self.write_permission:
            check(request, self.write_permission)
        return super().dispatch(request, *args, **kwargs)

    @property
    def actor(self) -> Any:
        return self.request.membership  # type: ignore[attr-defined]

    def rows(self, reader: Reader[Any], queryset: Any = None, **extra: Any) -> list[Any]:
        """All of ``reader``'s rows (or ``queryset``'s), for a page that shows a whole short list beside a form:
        one LIST event when the page is read (not again when a POST shows it with the form's errors)."""
        listing = reader.filter({}, queryset=queryset)
        found = list(listing.queryset)
        if self.request.method in ("GET", "HEAD"):
            listing.record(count=len(found), actor=self.actor, **extra)
        return found

    def render(self, context: dict[str, Any], *, status: int = 200, template: str | None = None) -> HttpResponse:
        return render(self.request, template or self.template, context, partial=self.partial, status=status)


class ListPage(Page):
    """The template extends ``web/list.html``; the partial (the table) extends ``web/table.html``."""

    kind = "list"
    reads = LIST
    reader: ClassVar[Reader[Any]]
    columns: ClassVar[Sequence[Column]] = ()
    default_sort: ClassVar[str] = ""
    filter_fields: ClassVar[Sequence[str] | None] = None  # the filters the page shows (all when None)
    table_id: ClassVar[str] = ""  # the element htmx refreshes; the filters form is "<name>-filters"

    @classmethod
    def conventions(cls) -> dict[str, Any]:
        chosen = super().conventions()
        noun, app = chosen.get("noun", cls.noun), cls.__module__.split(".")[-2]
        if noun:
            given = {"partial": f"{app}/partials/{noun}_table.html", "table_id": f"{noun}-table"}
            chosen.update({name: value for name, value in given.items() if not _given(cls, name)})
        return chosen

    def get_queryset(self) -> Any:
        """The rows before filtering (None: the reader's); a page may narrow them (e.g. no empty stock levels)."""
        return None

    def get_context(self, listing: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(self.list_context(record=True))

    def list_context(self, *, record: bool) -> dict[str, Any]:
        """The table as the request asks for it (filters, sort, page); ``record``: write the LIST event."""
        listing = self.reader.filter(self.request.GET, queryset=self.get_queryset())
        table = Table(self.request, listing.queryset, self.columns, self.default_sort, ranked=listing.ranked)
        if record:
            listing.record(count=table.count, actor=self.actor)
        context = {
            "form": shown(listing.filterset.form, self.filter_fields),
            "criteria": listing.criteria,
            "table_id": self.table_id,
            "filters_id": self.table_id.removesuffix("-table") + "-filters",
            "table_template": self.partial,
            **table.context(),
        }
        return {**context, **self.get_context(listing)}


class DetailPage(Page):
    kind = "detail"
    reads = VIEW
    reader: ClassVar[Reader[Any]]

    def get_context(self, obj: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.reader.get(pk, actor=self.actor)
        return self.render({self.noun or "object": obj, **self.get_context(obj)})


def redirect_to_name(name: str, pk: Any) -> HttpResponse:
    """Redirect to the URL named ``name``: an object's page (a name ending in _edit or _detail) takes its ``pk``."""
    return redirect(name, pk) if name.endswith(("_edit", "_detail")) else redirect(name)


class FormPage(Page):
    """Create (no ``reader``) or edit (``reader``: the object the URL names) through one service."""

    kind = "form"
    http_method_names = ["get", "head", "post"]
    form_class: ClassVar[type[forms.Form]]
    reader: ClassVar[Reader[Any] | None] = None
    success_url: ClassVar[str | None] = None  # a URL name; taking the result's pk when it ends in _edit/_detail
    success_message: ClassVar[str] = ""  # formatted with result=..., e.g. "Site {result.code} saved."
    form_name: ClassVar[str] = "form"  # the bound form's name in the template
    prefill: ClassVar[tuple[str, ...]] = ()  # fields a link may choose for a new object, by id: ?site=12

    object: Any = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "reads" not in cls.__dict__:
            cls.reads = VIEW if cls.reader is not None else NOTHING

    @classmethod
    def permissions_of(cls, module: str) -> tuple[str | None, str | None]:
        """A form that creates is for those who may write; one that edits shows the object to readers too, and so
        does a list with a form to add to it (``reads = LIST``)."""
        if cls.reader is None and cls.reads != LIST:
            return f"{module}.edit", None
        return super().permissions_of(module)

    # what a page may override
    def get_initial(self) -> dict[str, Any]:
        """The edited object's values of the form's fields; a create form starts empty, but for the ids in the
        query that ``prefill`` names (a new work center from its site's page)."""
        if self.object is None:
            given = {name: self.request.GET.get(name, "") for name in self.prefill}
            return {name: value for name, value in given.items() if value.isascii() and value.isdigit()}
        names = [name for name in self.form_class.base_fields if hasattr(self.object, name)]
        return {name: getattr(self.object, name) for name in names}

    def get_form(self, data: Any = None) -> forms.Form:
        return self.form_class(data, initial=self.get_initial())

    def call(self, form: forms.Form) -> Any:
        fields = form.service_fields() if hasattr(form, "service_fields") else dict(form.cleaned_data)
        if self.object is not None:
            return self.service(actor=self.actor, obj=self.object, **fields)  # type: ignore[attr-defined]
        return self.service(actor=self.actor, **fields)  # type: ignore[attr-defined]

    def get_context(self, form: forms.Form) -> dict[str, Any]:
        return {}

    def succeeded(self, result: Any) -> HttpResponse:
        if self.success_message:
            messages.success(self.request, self.success_message.format(result=result, object=self.object))
        assert self.success_url, f"{type(self).__name__} needs a success_url or its own succeeded()"
        return redirect_to_name(self.success_url, getattr(result, "pk", None) or getattr(self.object, "pk", None))

    # the mechanics
    def load(self, pk: int | None, *, record: bool) -> None:
        if self.reader is not None and pk is not None:
            reader = self.reader
            self.object = reader.get(pk, actor=self.actor) if record else reader.fetch(pk)

    def respond(self, form: forms.Form, *, status: int = 200) -> HttpResponse:
        context = {self.form_name: form, self.noun or "object": self.object}
        return self.render({**context, **self.get_context(form)}, status=status)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        self.load(pk, record=True)
        return self.respond(self.get_form())

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        self.load(pk, record=False)
        form = self.get_form(request.POST)
        result, failure = submit(form, lambda: self.call(form))
        if failure is None:
            return self.succeeded(result)
        return self.respond(form, status=error_status(failure))


class ActionPage(Page):
    """A POST-only action on the object the URL names: one service, a message, and back to a page."""

    http_method_names = ["post"]
    reader: ClassVar[Reader[Any]]
    success_message: ClassVar[str] = ""  # formatted with object=... and result=...
    failure_message: ClassVar[str] = ""  # prefix of the refusal, e.g. "{object} cannot be removed: "
    redirect_to: ClassVar[str] = ""  # a URL name; see target()

    def call(self, obj: Model) -> Any:
        return self.service(actor=self.actor, obj=obj)  # type: ignore[attr-defined]

    def target(self, obj: Model, result: Any) -> HttpResponse:
        """Where to go afterwards: ``redirect_to`` (with the object's pk when the URL name ends in _detail/_edit)."""
        return redirect_to_name(self.redirect_to, obj.pk)

    def refused(self, obj: Model) -> HttpResponse:
        """Where to go when the service refused (its reason is already a message): by default, the same place."""
        return self.target(obj, None)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.reader.fetch(pk)
        try:
            result = self.call(obj)
        except SERVICE_ERRORS as exc:
            flash_failure(request, exc, self.failure_message.format(object=obj))
            return self.refused(obj)
        if self.success_message:
            messages.success(request, self.success_message.format(object=obj, result=result))
        return self.target(obj, result)


class DeletePage(ActionPage):
    """Remove the object the URL names through the ``service``; a refusal ("still used by ...") says why."""

    success_message = "{object} removed."
    failure_message = "{object} cannot be removed: "


class PickerPage(Page):
    """The options of a ``web.forms.Picker``: the reader's best matches for ``?q=`` (its FilterSet's search), a few
    at a time; one LIST event per search."""

    reads = LIST
    reader: ClassVar[Reader[Any]]
    limit: ClassVar[int] = 20
    template = "web/widgets/picker_results.html"

    def get_queryset(self) -> Any:
        """The rows that may be picked (None: all the reader's)."""
        return None

    def label(self, obj: Any) -> str:
        return str(obj)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        q = request.GET.get("q", "").strip()[:200]
        listing = self.reader.filter({"q": q}, queryset=self.get_queryset())
        rows = list(listing.queryset[: self.limit])
        listing.record(count=len(rows), actor=self.actor)
        options = [{"pk": obj.pk, "label": self.label(obj)} for obj in rows]
        return django_render(request, self.template, {"rows": options, "q": q})
