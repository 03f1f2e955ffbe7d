"""Forms whose fields come from the model, so that a field's limits are declared once (kernel/limits.py).

A page's form names its model and fields; each field is the model field's form field with the model's bounds
(length, smallest and largest value, digits), its label and its help text. The form only parses: the service it
feeds validates again and holds every rule. Relations are declared on the form itself, because their choices are
the current organization's rows (set per request), and so are fields that are not the model's (a lot's code)::

    class SiteForm(ModelFieldsForm):
        class Meta:
            model = Site
            fields = ("code", "name", "address_line1", "city", ...)
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.forms.forms import DeclarativeFieldsMetaclass

from factoryos.kernel.limits import limits


def form_field(field: models.Field, **overrides: Any) -> forms.Field:
    """``field``'s form field, bounded as the model bounds it."""
    bounds = limits(field)
    kwargs: dict[str, Any] = {}
    if isinstance(field, models.IntegerField | models.DecimalField) and not field.choices:
        kwargs.update(min_value=bounds.min_value, max_value=bounds.max_value)
    if isinstance(field, models.CharField | models.TextField):
        kwargs.update(max_length=bounds.max_length, min_length=bounds.min_length)
    formfield = field.formfield(**{**kwargs, **overrides})
    if formfield is None:
        raise TypeError(f"{field} has no form field")
    return formfield


FORMS: list[type] = []  # every model-fields form, for the field-limits test


class ModelFieldsFormMetaclass(DeclarativeFieldsMetaclass):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> type:
        new_class = super().__new__(mcs, name, bases, attrs)
        meta = attrs.get("Meta")
        if meta is None:
            return new_class
        labels = getattr(meta, "labels", {})
        widgets = getattr(meta, "widgets", {})
        help_texts = getattr(meta, "help_texts", {})
        optional = set(getattr(meta, "optional", ()))
        fields: dict[str, forms.Field] = {}
        defaulted: set[str] = set()
        for field_name in meta.fields:
            if field_name in new_class.declared_fields:  # type: ignore[attr-defined]
                fields[field_name] = new_class.declared_fields[field_name]  # type: ignore[attr-defined]
                continue
            model_field = meta.model._meta.get_field(field_name)
            if model_field.is_relation:
                raise TypeError(
                    f"{name}.{field_name}: declare relations on the form (their choices are per organization)"
                )
            overrides: dict[str, Any] = {}
            for key, given in (("label", labels), ("widget", widgets), ("help_text", help_texts)):
                if field_name in given:
                    overrides[key] = given[field_name]
            if model_field.has_default() and not isinstance(model_field, models.BooleanField):
                defaulted.add(field_name)  # left empty, the model's default applies
            if field_name in optional or field_name in defaulted:
                overrides["required"] = False
            fields[field_name] = form_field(model_field, **overrides)
        for field_name, field in new_class.declared_fields.items():  # type: ignore[attr-defined]
            fields.setdefault(field_name, field)
        new_class.base_fields = fields  # type: ignore[attr-defined]
        new_class.model = meta.model  # type: ignore[attr-defined]
        new_class.defaulted = frozenset(defaulted)  # type: ignore[attr-defined]
        FORMS.append(new_class)
        return new_class


class ModelFieldsForm(forms.Form, metaclass=ModelFieldsFormMetaclass):
    """A form of (some of) a model's fields; ``Meta``: ``model``, ``fields``, and optionally ``labels``,
    ``widgets``, ``help_texts`` and ``optional`` (fields the form may leave empty though the model needs them: the
    service fills them, e.g. a new item's make-or-buy from its type)."""

    model: type[models.Model]
    defaulted: frozenset[str] = frozenset()  # fields with a model default: left empty, the default applies

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as the service takes it: an empty field with a model default is left out (the model's
        default applies); a form may convert more (objects to ids)."""
        data = dict(self.cleaned_data)
        for name in self.defaulted:
            if data.get(name) in (None, ""):
                data.pop(name, None)
        return data


class Picker(forms.Widget):
    """A searchable picker instead of a select that renders every row: a hidden input holds the id, a search box asks
    ``url`` (a picker page, see web.pages.PickerPage) for the best matches as the person types, and a click (or
    Enter, when one match is left: a barcode scanner types a code and Enter) picks one. Used in a ModelChoiceField,
    it validates the id against the field's queryset like a select would."""

    template_name = "web/widgets/picker.html"

    def __init__(self, url: str = "", *, placeholder: str = "Type to search…", attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.url, self.placeholder = url, placeholder
        self.choices: Any = ()  # a ModelChoiceField sets its iterator here; only the picked row is ever read

    def label_of(self, value: Any) -> str:
        """The picked row's label (one query), or nothing."""
        if value in (None, ""):
            return ""
        field = getattr(self.choices, "field", None)
        if field is None:
            return str(value)
        obj = field.queryset.filter(pk=value).first() if str(value).isdigit() else None
        return field.label_from_instance(obj) if obj is not None else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(url=self.url, placeholder=self.placeholder, label=self.label_of(value))
        return context

    def format_value(self, value: Any) -> str:
        return "" if value in (None, "") else str(getattr(value, "pk", value))
