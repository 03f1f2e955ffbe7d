"""Forms of the inventory pages. They parse input only: every rule lives in inventory.services."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from factoryos.catalog.models import Item, UnitOfMeasure
from factoryos.facilities.models import Site
from factoryos.inventory.models import AdjustmentReason, CountLine, Location, Lot, StockMove
from factoryos.kernel.fields import QUANTITY
from factoryos.web.forms import ModelFieldsForm, Picker, form_field

PHYSICAL = ("warehouse", "zone", "bin")


def _location_label(location: Location) -> str:
    return f"{location.code} · {location.name}"


def _item_label(item: Item) -> str:
    return f"{item.sku} · {item.name}"


class _Fields(forms.Form):
    """Querysets are set per request (the current organization's rows only)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                model = field.queryset.model
                if model is Location:
                    field.queryset = Location.objects.filter(kind__in=PHYSICAL, active=True).order_by("code")
                    field.label_from_instance = _location_label
                elif model is Item:
                    field.queryset = Item.objects.filter(active=True).order_by("sku")
                    field.label_from_instance = _item_label
                else:
                    field.queryset = model.objects.all()

    def service_fields(self) -> dict:
        """Cleaned data as the services take it: ids for units, lot codes as text or None."""
        data = dict(self.cleaned_data)
        if "uom" in data:
            data["uom"] = data["uom"].pk if data["uom"] else None
        if "lot" in data:
            data["lot"] = data["lot"].strip() or None
        return data


def _location(**kwargs) -> forms.ModelChoiceField:
    """A physical location, picked by searching its code or name (a select would render every bin)."""
    label = kwargs.get("label", "Location")
    widget = Picker(reverse_lazy("inventory:location_picker"), placeholder="Code or name…", attrs={"aria_label": label})
    return forms.ModelChoiceField(queryset=Location.all_tenants.none(), widget=widget, **kwargs)


def _item() -> forms.ModelChoiceField:
    """An active item, picked by searching its SKU or name (a select would render every item)."""
    widget = Picker(reverse_lazy("catalog:item_picker"), placeholder="SKU or name…", attrs={"aria_label": "Item"})
    return forms.ModelChoiceField(queryset=Item.all_tenants.none(), widget=widget)


def _uom() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Unit", queryset=UnitOfMeasure.all_tenants.none(), required=False, empty_label="Item's unit"
    )


def _lot() -> forms.Field:
    return form_field(Lot._meta.get_field("code"), label="Lot / serial", required=False)


def _ledger(name: str, **overrides) -> forms.Field:
    """A stock move's field, bounded as the ledger bounds it."""
    return form_field(StockMove._meta.get_field(name), **overrides)


class LocationForm(ModelFieldsForm):
    site = forms.ModelChoiceField(
        queryset=Site.all_tenants.none(), required=False, help_text="Taken from the parent when left empty."
    )
    parent = _location(required=False, empty_label="(top level)")

    class Meta:
        model = Location
        fields = ("code", "name", "kind", "site", "parent", "active", "quarantine")
        help_texts = {"code": "Unique: WH1, A-01"}

    def __init__(self, *args, current: Location | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.all()
        parents = Location.objects.filter(kind__in=("warehouse", "zone")).order_by("code")
        if current is not None:
            parents = parents.exclude(pk=current.pk)
        self.fields["parent"].queryset = parents


class ReceiveForm(_Fields):
    item = _item()
    location = _location()
    quantity = _ledger("quantity", help_text=None)
    uom = _uom()
    lot = _lot()
    unit_cost = _ledger("unit_cost", label="Unit cost")
    reference = _ledger("reference", widget=forms.TextInput(attrs={"placeholder": "PO-1042"}), help_text=None)


class TransferForm(_Fields):
    item = _item()
    from_location = _location(label="From")
    to_location = _location(label="To")
    quantity = _ledger("quantity", help_text=None)
    uom = _uom()
    lot = _lot()
    reference = _ledger("reference", help_text=None)


class AdjustForm(_Fields):
    item = _item()
    location = _location()
    quantity = forms.DecimalField(**QUANTITY, help_text="Signed: -2 removes two, 3 adds three.")
    uom = _uom()
    lot = _lot()
    reason = forms.ChoiceField(choices=AdjustmentReason.choices)
    note = _ledger("note")


class IssueForm(_Fields):
    item = _item()
    location = _location()
    quantity = _ledger("quantity", help_text=None)
    uom = _uom()
    lot = _lot()
    reference = _ledger("reference", widget=forms.TextInput(attrs={"placeholder": "WO-1042"}), help_text=None)


class CountSheetForm(_Fields):
    location = _location(help_text="Everything the system holds there now becomes a line to count.")


class CountLineForm(ModelFieldsForm):
    class Meta:
        model = CountLine
        fields = ("counted",)
        optional = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counted"].required = True  # a count line is saved with what was counted


class CountAddForm(_Fields):
    item = _item()
    lot = _lot()
    counted = form_field(CountLine._meta.get_field("counted"), required=True)
