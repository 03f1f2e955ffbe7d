"""The pages every priced document shares (quote, sales order, purchase order, invoice, bill), declared once.

A document app declares its detail page and the moves its flow offers, and gets the lines editor, the totals by tax
rate, the move buttons and the refusals for free::

    @route("quotes/<int:pk>/", "quote_detail")
    class QuoteDetail(DocumentPage):
        reader, lines_reader = selectors.quotes, selectors.quote_lines
        moves = (
            Move("send", "Mark as sent", services.quote_send, to=QuoteStatus.SENT),
            Move("lose", "Lost", services.quote_lose, to=QuoteStatus.LOST, form_class=LostForm),
        )

    @route("quotes/<int:pk>/lines/", "quote_line_add")
    class QuoteLineAdd(LineAddPage):
        document = QuoteDetail

    @route("quote-lines/<int:pk>/", "quote_line_edit")
    class QuoteLineEdit(LineEditPage):
        document = QuoteDetail

    @route("quote-lines/<int:pk>/delete/", "quote_line_delete")
    class QuoteLineDelete(LineDeletePage):
        document = QuoteDetail

    @route("quotes/<int:pk>/send/", "quote_send", move="send")
    @route("quotes/<int:pk>/lose/", "quote_lose", move="lose")
    class QuoteMove(MovePage):
        document = QuoteDetail

By convention the URL names are ``<app>:<noun>_detail`` (the page itself), ``<noun>_line_add``,
``<noun>_line_edit``, ``<noun>_line_delete`` and ``<noun>_<move>`` (noun: the document model's name). The detail
template extends ``finance/document.html`` and fills its blocks (``header``: the document's own fields;
``after_lines``: what follows, e.g. its shipments). The line services default to finance.services.line_add,
line_update and line_delete; a document whose lines need more (a price from the price list) names its own
``add_line``/``update_line`` service with the same signature.

A move is shown while the document's flow allows it (``to``) and the member has its permission (the app's edit
permission unless ``permission`` says otherwise); the service does the checking again. A move with a ``form_class``
(a reason, a date) shows its fields beside the button.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy

from factoryos.finance import money, services
from factoryos.finance.models import PricedLine, TaxCode
from factoryos.kernel.access import check, has_perm
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.reads import VIEW, Reader
from factoryos.kernel.transitions import can_transition, is_editable
from factoryos.web import pages
from factoryos.web.forms import ModelFieldsForm, Picker
from factoryos.web.panels import panels_for


@dataclass(frozen=True)
class Move:
    name: str  # the URL name's suffix: <noun>_<name>
    label: str
    service: Callable[..., Any]  # service(actor=..., obj=document, **form fields)
    to: str | None = None  # the state it leads to: shown while the flow allows it (None: always shown)
    permission: str | None = None  # default: the app's edit permission
    form_class: type[forms.Form] | None = None  # fields the move asks for (a reason)
    primary: bool = False
    confirm: str = ""  # a question the browser asks first
    done: str = "{object} updated."  # the message afterwards (object: the document, result: what the service gave)
    redirect_to: str = ""  # a URL name for the result's page (e.g. the sales order a quote became); default: back


def _item_label(item: Any) -> str:
    return f"{item.sku} · {item.name}"


def line_form_for(line_model: type[PricedLine]) -> type[ModelFieldsForm]:
    """The form of a line of ``line_model``: an item picked by search (or free text), quantity, price, discount, tax."""
    item_model = line_model._meta.get_field("item").related_model

    class LineForm(ModelFieldsForm):
        item = forms.ModelChoiceField(
            queryset=item_model.all_tenants.none(),  # type: ignore[union-attr]  # per request: see __init__
            required=False,
            widget=Picker(reverse_lazy("catalog:item_picker"), placeholder="SKU or name… (empty: a service line)"),
            help_text="Empty for a service or freight line: describe it instead",
        )
        tax_code = forms.ModelChoiceField(
            queryset=TaxCode.all_tenants.none(), required=False, empty_label="Default", label="Tax"
        )

        class Meta:
            model = line_model
            fields = ("item", "description", "quantity", "unit_price", "discount_pct", "tax_code")
            optional = ("description", "unit_price")  # the item's name; the price list's price

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["item"].queryset = item_model._default_manager.filter(active=True)  # type: ignore[attr-defined,union-attr]
            self.fields["item"].label_from_instance = _item_label  # type: ignore[attr-defined]
            self.fields["tax_code"].queryset = TaxCode.objects.filter(active=True).order_by("code")  # type: ignore[attr-defined]

        def service_fields(self) -> dict[str, Any]:
            data = super().service_fields()
            if data.get("unit_price") is None:
                data.pop("unit_price", None)
            if not data.get("description"):
                data.pop("description", None)
            return data

    LineForm.__name__ = LineForm.__qualname__ = f"{line_model.__name__}Form"
    return LineForm


class DocumentPage(pages.DetailPage):
    """A priced document: its header, its lines (edited in place while the flow lets it change), its totals by tax
    rate, and the buttons of the moves it may make now."""

    lines_reader: ClassVar[Reader[Any]]
    moves: ClassVar[Sequence[Move]] = ()
    add_line: ClassVar[Callable[..., Any]] = staticmethod(services.line_add)
    update_line: ClassVar[Callable[..., Any]] = staticmethod(services.line_update)
    delete_line: ClassVar[Callable[..., Any]] = staticmethod(services.line_delete)
    line_form: ClassVar[type[ModelFieldsForm]]

    @classmethod
    def permissions_of(cls, module: str) -> tuple[str | None, str | None]:
        """Read with the module's view permission; its lines and moves are written with its edit permission."""
        return f"{module}.view", f"{module}.edit"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "lines_reader" in cls.__dict__ and "line_form" not in cls.__dict__:  # a page may give its own form
            cls.line_form = line_form_for(cls.lines_reader.model)
        for name in ("add_line", "update_line", "delete_line"):
            if name in cls.__dict__ and not isinstance(cls.__dict__[name], staticmethod):
                setattr(cls, name, staticmethod(cls.__dict__[name]))

    @classmethod
    def url(cls, suffix: str) -> str:
        return f"{cls.__module__.split('.')[-2]}:{cls.noun}_{suffix}"

    def allowed_moves(self, document: Any) -> list[dict[str, Any]]:
        shown = []
        for move in self.moves:
            permission = move.permission or self.write_permission
            if move.to is not None and not can_transition(document, move.to):
                continue
            if permission and not has_perm(self.request, permission):
                continue
            form = move.form_class(prefix=move.name) if move.form_class else None
            shown.append({"move": move, "url": self.url(move.name), "form": form})
        return shown

    def document_context(self, document: Any, **extra: Any) -> dict[str, Any]:
        lines = list(self.lines_reader.all().filter(**{self.lines_reader.model.document_field: document}))
        editable = is_editable(document) and bool(
            self.write_permission and has_perm(self.request, self.write_permission)
        )
        moves = self.allowed_moves(document)
        context = {
            self.noun: document,
            "document": document,
            "lines": lines,
            "totals": services.totals_of(document),
            "foreign": document.currency != self.actor.org.currency,
            "total_in_org": money.convert(document.total, document.exchange_rate),
            "document_url": self.url("detail"),
            "editable": editable,
            "line_form": self.line_form(prefix="line"),
            "moves": moves,  # the page's head shows the plain buttons ...
            "moves_with_forms": [entry for entry in moves if entry["form"]],  # ... and a panel those that ask more
            "urls": {name: self.url(name) for name in ("line_add", "line_edit", "line_delete")},
            "editing": None,
            "panels": panels_for(self.request, document._meta.label_lower, document),  # what other apps add
        }
        context.update(self.get_context(document))
        context.update(extra)
        return context

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.reader.get(pk, actor=self.actor)
        return self.render(self.document_context(document))

    def refused(self, document: Any, failure: Exception, **extra: Any) -> HttpResponse:
        """The document's page again with the refusal (form errors, or a notice), 400 or 409, nothing written."""
        notice = "" if extra else error_messages(failure)
        context = self.document_context(document, notice=notice, **extra)
        return self.render(context, status=pages.error_status(failure))


class _DocumentPart(pages.Page):
    """A write on a document's page: it answers with the page (or its refusal)."""

    document: ClassVar[type[DocumentPage]]
    http_method_names = ["post"]

    def page(self) -> DocumentPage:
        page = self.document()
        page.setup(self.request, **self.kwargs)
        return page

    def back(self, document: Any) -> HttpResponse:
        return redirect(self.document.url("detail"), document.pk)


class LineAddPage(_DocumentPart):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        page = self.page()
        document = page.reader.fetch(pk)
        form = page.line_form(request.POST, prefix="line")
        line, failure = pages.submit(
            form, lambda: page.add_line(actor=self.actor, document=document, **form.service_fields())
        )
        if failure is not None:
            return page.refused(document, failure, line_form=form)
        messages.success(request, f"Line {line.position} added.")
        return self.back(document)


class LineEditPage(_DocumentPart):
    """GET: the document with this line as a form (a VIEW of the line); POST: save it."""

    http_method_names = ["get", "head", "post"]
    reads = VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        page = self.page()
        line = page.lines_reader.get(pk, actor=self.actor)
        document = line.document
        initial = {name: getattr(line, name) for name in page.line_form.base_fields if hasattr(line, name)}
        initial = {name: v.normalize() if isinstance(v, Decimal) else v for name, v in initial.items()}
        form = page.line_form(initial=initial, prefix=f"line-{line.pk}")
        return page.render(page.document_context(document, editing=line.pk, edit_form=form))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        page = self.page()
        line = page.lines_reader.fetch(pk)
        document = line.document
        form = page.line_form(request.POST, prefix=f"line-{line.pk}")
        _saved, failure = pages.submit(
            form, lambda: page.update_line(actor=self.actor, obj=line, **form.service_fields())
        )
        if failure is not None:
            return page.refused(document, failure, editing=line.pk, edit_form=form)
        messages.success(request, f"Line {line.position} saved.")
        return self.back(document)


class LineDeletePage(_DocumentPart):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        page = self.page()
        line = page.lines_reader.fetch(pk)
        document = line.document
        try:
            page.delete_line(actor=self.actor, obj=line)
        except pages.SERVICE_ERRORS as exc:
            return page.refused(document, exc)
        messages.success(request, f"Line {line.position} removed.")
        return self.back(document)


class MovePage(_DocumentPart):
    """One of the document's moves (``move``: its name, given per address by ``@route(..., move="send")``)."""

    move: str = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        page = self.page()
        document = page.reader.fetch(pk)
        move = next(m for m in page.moves if m.name == self.move)
        if move.permission and move.permission != self.write_permission:
            check(request, move.permission)
        form = move.form_class(request.POST, prefix=move.name) if move.form_class else None
        fields = {}
        if form is not None:
            if not form.is_valid():
                messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
                return self.back(document)
            fields = form.service_fields() if hasattr(form, "service_fields") else dict(form.cleaned_data)
        try:
            result = move.service(actor=self.actor, obj=document, **fields)
        except pages.SERVICE_ERRORS as exc:
            pages.flash_failure(request, exc, f"{document}: ")
            return self.back(document)
        messages.success(request, move.done.format(object=document, result=result))
        if move.redirect_to and getattr(result, "pk", None):
            return redirect(move.redirect_to, result.pk)
        return self.back(document)
