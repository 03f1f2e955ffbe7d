"""Forms of the catalog pages. They parse input only: every rule (loops, units, released revisions) is a service's."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Q

from factoryos.catalog.models import (
    BomStatus,
    Category,
    Item,
    ItemType,
    MakeBuy,
    Operation,
    Tag,
    Tracking,
    UnitOfMeasure,
    UomKind,
)
from factoryos.facilities.forms import ACTIVE_CHOICES
from factoryos.facilities.models import WorkCenter

ZERO = Decimal("0")
COMPONENT_OPTIONS = 200  # options rendered in a component select; the search narrows the rest


def qty_field(label: str, **kwargs) -> forms.DecimalField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("initial", ZERO)
    return forms.DecimalField(label=label, max_digits=18, decimal_places=6, min_value=ZERO, **kwargs)


def item_label(item: Item) -> str:
    return f"{item.sku} · {item.name}"


class UnitForm(forms.Form):
    code = forms.CharField(max_length=12, widget=forms.TextInput(attrs={"placeholder": "ea, kg, m"}))
    name = forms.CharField(max_length=60)
    kind = forms.ChoiceField(choices=UomKind.choices)


class ConversionForm(forms.Form):
    from_uom = forms.ModelChoiceField(label="1 of", queryset=UnitOfMeasure.all_tenants.none(), empty_label="unit…")
    factor = forms.DecimalField(label="equals", max_digits=18, decimal_places=6, min_value=Decimal("0.000001"))
    to_uom = forms.ModelChoiceField(label="of", queryset=UnitOfMeasure.all_tenants.none(), empty_label="unit…")
    item = forms.CharField(
        label="Only for item (SKU)",
        max_length=60,
        required=False,
        help_text="Empty: holds for every item.",
        widget=forms.TextInput(attrs={"placeholder": "e.g. SHT-304-1.5"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_uom", "to_uom"):
            self.fields[name].queryset = UnitOfMeasure.objects.all()

    def clean_item(self):
        sku = self.cleaned_data["item"].strip()
        if not sku:
            return None
        item = Item.objects.filter(sku__iexact=sku).first()
        if item is None:
            raise forms.ValidationError(f"No item with SKU {sku}.")
        return item


class CategoryForm(forms.Form):
    name = forms.CharField(max_length=80)
    parent = forms.ModelChoiceField(
        label="Under", queryset=Category.all_tenants.none(), required=False, empty_label="(top level)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Category.objects.all()


class TagForm(forms.Form):
    name = forms.CharField(max_length=40, widget=forms.TextInput(attrs={"placeholder": "stainless, export"}))


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    item_type = forms.ChoiceField(label="Type", choices=[("", "All types"), *ItemType.choices], required=False)
    category = forms.ModelChoiceField(
        queryset=Category.all_tenants.none(), required=False, empty_label="All categories"
    )
    active = forms.ChoiceField(label="Status", choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()
        self.fields["q"].widget.attrs.update(type="search", placeholder="SKU or name", autocomplete="off")


class BomFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    status = forms.ChoiceField(choices=[("", "Every status"), *BomStatus.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(type="search", placeholder="Item SKU or name", autocomplete="off")


class ItemForm(forms.Form):
    sku = forms.CharField(label="SKU", max_length=60)
    name = forms.CharField(max_length=200)
    item_type = forms.ChoiceField(label="Type", choices=ItemType.choices)
    uom = forms.ModelChoiceField(label="Unit", queryset=UnitOfMeasure.all_tenants.none(), empty_label="Choose…")
    make_buy = forms.ChoiceField(
        label="Make / buy",
        choices=[("", "By type"), *MakeBuy.choices],
        required=False,
        help_text="By type: made for manufactured parts, sub-assemblies and finished goods.",
    )
    category = forms.ModelChoiceField(queryset=Category.all_tenants.none(), required=False, empty_label="—")
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.all_tenants.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    standard_cost = forms.DecimalField(
        label="Standard cost", max_digits=14, decimal_places=4, min_value=ZERO, initial=ZERO, required=False
    )
    lead_time_days = forms.IntegerField(label="Lead time (days)", min_value=0, initial=0, required=False)
    safety_stock = qty_field("Safety stock")
    reorder_point = qty_field("Reorder point")
    reorder_qty = qty_field("Reorder quantity")
    min_order_qty = qty_field("Minimum order")
    order_multiple = qty_field("Order multiple")
    weight_kg = qty_field("Weight (kg)", initial=None)
    material = forms.CharField(max_length=80, required=False)
    tracking = forms.ChoiceField(choices=Tracking.choices, initial=Tracking.NONE)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    active = forms.BooleanField(required=False, initial=True)

    SECTIONS = (
        ("Identity", ("sku", "name", "item_type", "uom", "make_buy", "category", "tracking", "active")),
        (
            "Cost and planning",
            (
                "standard_cost",
                "lead_time_days",
                "safety_stock",
                "reorder_point",
                "reorder_qty",
                "min_order_qty",
                "order_multiple",
            ),
        ),
        ("Physical", ("weight_kg", "material")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uom"].queryset = UnitOfMeasure.objects.all()
        self.fields["category"].queryset = Category.objects.all()
        self.fields["tags"].queryset = Tag.objects.all()

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def service_fields(self) -> dict:
        """cleaned_data as the item services take it: blanks become defaults, tags become ids."""
        data = dict(self.cleaned_data)
        data["tags"] = [tag.pk for tag in data["tags"]]
        if not data["make_buy"]:
            data.pop("make_buy")
        for name in ("standard_cost", "safety_stock", "reorder_point", "reorder_qty", "min_order_qty"):
            data[name] = ZERO if data[name] is None else data[name]
        data["order_multiple"] = ZERO if data["order_multiple"] is None else data["order_multiple"]
        data["lead_time_days"] = data["lead_time_days"] or 0
        return data


def component_choices(queryset, selected=None) -> list[tuple[str, str]]:
    items = list(queryset.order_by("sku")[:COMPONENT_OPTIONS])
    if selected is not None and all(i.pk != selected.pk for i in items):
        items.insert(0, selected)
    return [("", "Choose a component…")] + [(str(i.pk), item_label(i)) for i in items]


class BomLineForm(forms.Form):
    component = forms.ModelChoiceField(queryset=Item.all_tenants.none())
    quantity = forms.DecimalField(
        label="Qty per", max_digits=18, decimal_places=6, min_value=Decimal("0.000001"), initial=Decimal("1")
    )
    uom = forms.ModelChoiceField(
        label="Unit", queryset=UnitOfMeasure.all_tenants.none(), required=False, empty_label="stock"
    )
    scrap_pct = forms.DecimalField(
        label="Scrap %",
        max_digits=5,
        decimal_places=2,
        min_value=ZERO,
        max_value=Decimal("99"),
        required=False,
        initial=ZERO,
    )
    phantom = forms.BooleanField(required=False)
    reference = forms.CharField(label="Reference", max_length=200, required=False)
    operation = forms.ModelChoiceField(
        label="Operation", queryset=Operation.all_tenants.none(), required=False, empty_label="—"
    )

    def __init__(self, *args, bom, current: Item | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        usable = Q(active=True) | Q(pk=current.pk) if current is not None else Q(active=True)
        components = Item.objects.filter(usable).exclude(pk=bom.item_id)
        self.fields["component"].queryset = components
        selected = current
        wanted = self.data.get(self.add_prefix("component")) if self.is_bound else None
        if wanted and str(wanted).isdigit():
            selected = components.filter(pk=wanted).first() or selected
        self.fields["component"].widget.choices = component_choices(components, selected)
        self.fields["uom"].queryset = UnitOfMeasure.objects.all()
        self.fields["operation"].queryset = bom.operations.all()
        self.fields["operation"].label_from_instance = lambda op: f"{op.sequence} {op.description}"

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["scrap_pct"] = data["scrap_pct"] or ZERO
        if data["uom"] is None:
            data["uom"] = data["component"].uom
        return data


class OperationForm(forms.Form):
    sequence = forms.IntegerField(
        label="Seq", min_value=1, required=False, widget=forms.NumberInput(attrs={"placeholder": "next"})
    )
    work_center = forms.ModelChoiceField(queryset=WorkCenter.all_tenants.none(), empty_label="Choose…")
    description = forms.CharField(max_length=200)
    setup_minutes = forms.DecimalField(
        label="Setup min", max_digits=10, decimal_places=2, min_value=ZERO, initial=ZERO, required=False
    )
    run_minutes_per_unit = forms.DecimalField(
        label="Run min / unit", max_digits=12, decimal_places=4, min_value=ZERO, initial=ZERO, required=False
    )
    move_minutes = forms.DecimalField(
        label="Move min", max_digits=10, decimal_places=2, min_value=ZERO, initial=ZERO, required=False
    )
    queue_minutes = forms.DecimalField(
        label="Queue min", max_digits=10, decimal_places=2, min_value=ZERO, initial=ZERO, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_center"].queryset = WorkCenter.objects.filter(active=True).select_related("site")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("setup_minutes", "run_minutes_per_unit", "move_minutes", "queue_minutes"):
            data[name] = data[name] or ZERO
        return data
