"""Forms of the inventory pages. They parse input only: every rule lives in inventory.services."""

from __future__ import annotations

from django import forms

from factoryos.catalog.models import Item, UnitOfMeasure
from factoryos.facilities.models import Site
from factoryos.inventory.models import AdjustmentReason, Location, LocationKind, MoveReason

PHYSICAL = ("warehouse", "zone", "bin")
QTY = {"max_digits": 18, "decimal_places": 6}


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
    return forms.ModelChoiceField(queryset=Location.all_tenants.none(), **kwargs)


def _item() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=Item.all_tenants.none())


def _uom() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Unit", queryset=UnitOfMeasure.all_tenants.none(), required=False, empty_label="Item's unit"
    )


def _lot() -> forms.CharField:
    return forms.CharField(label="Lot / serial", max_length=60, required=False)


class LocationForm(_Fields):
    code = forms.CharField(max_length=40, help_text="Unique: WH1, A-01")
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=LocationKind.choices)
    site = forms.ModelChoiceField(
        queryset=Site.all_tenants.none(), required=False, help_text="Taken from the parent when left empty."
    )
    parent = _location(required=False, empty_label="(top level)")
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, current: Location | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Location.objects.filter(kind__in=("warehouse", "zone")).order_by("code")
        if current is not None:
            parents = parents.exclude(pk=current.pk)
        self.fields["parent"].queryset = parents


class StockFilterForm(_Fields):
    q = forms.CharField(required=False, label="SKU")
    site = forms.ModelChoiceField(queryset=Site.all_tenants.none(), required=False, empty_label="All sites")
    location = _location(required=False, empty_label="All locations")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(type="search", placeholder="SKU or name")


class ReceiveForm(_Fields):
    item = _item()
    location = _location()
    quantity = forms.DecimalField(**QTY, min_value=0)
    uom = _uom()
    lot = _lot()
    unit_cost = forms.DecimalField(label="Unit cost", max_digits=14, decimal_places=4, required=False)
    reference = forms.CharField(max_length=80, required=False, widget=forms.TextInput(attrs={"placeholder": "PO-1042"}))


class TransferForm(_Fields):
    item = _item()
    from_location = _location(label="From")
    to_location = _location(label="To")
    quantity = forms.DecimalField(**QTY)
    uom = _uom()
    lot = _lot()
    reference = forms.CharField(max_length=80, required=False)


class AdjustForm(_Fields):
    item = _item()
    location = _location()
    quantity = forms.DecimalField(**QTY, help_text="Signed: -2 removes two, 3 adds three.")
    uom = _uom()
    lot = _lot()
    reason = forms.ChoiceField(choices=AdjustmentReason.choices)
    note = forms.CharField(max_length=200, required=False)


class IssueForm(_Fields):
    item = _item()
    location = _location()
    quantity = forms.DecimalField(**QTY)
    uom = _uom()
    lot = _lot()
    reference = forms.CharField(max_length=80, required=False, widget=forms.TextInput(attrs={"placeholder": "WO-1042"}))


class MoveFilterForm(_Fields):
    item = forms.CharField(required=False, label="SKU")
    location = forms.ModelChoiceField(queryset=Location.all_tenants.none(), required=False, empty_label="Any")
    reason = forms.ChoiceField(choices=[("", "Any reason"), *MoveReason.choices], required=False)
    lot = forms.CharField(required=False)
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.order_by("code")  # virtual ones too
        self.fields["location"].label_from_instance = _location_label
        self.fields["item"].widget.attrs.update(type="search", placeholder="SKU")


class CountSheetForm(_Fields):
    location = _location(help_text="Everything the system holds there now becomes a line to count.")


class CountLineForm(forms.Form):
    counted = forms.DecimalField(**QTY, min_value=0)


class CountAddForm(_Fields):
    item = _item()
    lot = _lot()
    counted = forms.DecimalField(**QTY, min_value=0)
