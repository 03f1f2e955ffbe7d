"""Forms of the catalog pages. They parse input only: every rule (loops, units, released revisions) is a service's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse

from factoryos.catalog.models import (
    BomLine,
    Category,
    Item,
    MakeBuy,
    Operation,
    OperationCheck,
    Tag,
    UnitOfMeasure,
    UomConversion,
)
from factoryos.facilities.models import WorkCenter
from factoryos.partners.models import Partner
from factoryos.web.forms import ModelFieldsForm, Picker

MINUTES = {
    "setup_minutes": "Setup min",
    "run_minutes_per_unit": "Run min / unit",
    "move_minutes": "Move min",
    "queue_minutes": "Queue min",
}


def item_label(item: Item) -> str:
    return f"{item.sku} · {item.name}"


class UnitForm(ModelFieldsForm):
    class Meta:
        model = UnitOfMeasure
        fields = ("code", "name", "kind")
        widgets = {"code": forms.TextInput(attrs={"placeholder": "ea, kg, m"})}


class ConversionForm(ModelFieldsForm):
    from_uom = forms.ModelChoiceField(label="1 of", queryset=UnitOfMeasure.all_tenants.none(), empty_label="unit…")
    to_uom = forms.ModelChoiceField(label="of", queryset=UnitOfMeasure.all_tenants.none(), empty_label="unit…")
    item = forms.CharField(
        label="Only for item (SKU)",
        max_length=Item._meta.get_field("sku").max_length,
        required=False,
        help_text="Empty: holds for every item.",
        widget=forms.TextInput(attrs={"placeholder": "e.g. SHT-304-1.5"}),
    )

    class Meta:
        model = UomConversion
        fields = ("from_uom", "factor", "to_uom", "item")
        labels = {"factor": "equals"}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("from_uom", "to_uom"):
            self.fields[name].queryset = UnitOfMeasure.objects.all()

    def clean_item(self) -> Item | None:
        sku = self.cleaned_data["item"].strip()
        if not sku:
            return None
        item = Item.objects.filter(sku__iexact=sku).first()
        if item is None:
            raise forms.ValidationError(f"No item with SKU {sku}.")
        return item


class CategoryForm(ModelFieldsForm):
    parent = forms.ModelChoiceField(
        label="Under", queryset=Category.all_tenants.none(), required=False, empty_label="(top level)"
    )

    class Meta:
        model = Category
        fields = ("name", "parent")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Category.objects.all()


class TagForm(ModelFieldsForm):
    class Meta:
        model = Tag
        fields = ("name",)
        widgets = {"name": forms.TextInput(attrs={"placeholder": "stainless, export"})}


# The item form's sections, in the order the page shows them (tags and the description come after them).
IDENTITY = ("sku", "name", "item_type", "uom", "make_buy", "category", "tracking", "active")
PLANNING = ("standard_cost", "lead_time_days", "safety_stock", "reorder_point", "reorder_qty", "min_order_qty")
PLANNING += ("order_multiple", "lot_rule", "poq_days")
PHYSICAL = ("weight_kg", "material")


class ItemForm(ModelFieldsForm):
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

    class Meta:
        model = Item
        fields = (*IDENTITY, "tags", *PLANNING, *PHYSICAL, "description")
        labels = {"min_order_qty": "Minimum order"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    SECTIONS = (("Identity", IDENTITY), ("Cost and planning", PLANNING), ("Physical", PHYSICAL))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["uom"].queryset = UnitOfMeasure.objects.all()
        self.fields["category"].queryset = Category.objects.all()
        self.fields["tags"].queryset = Tag.objects.all()

    def sections(self) -> list[tuple[str, list[Any]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def service_fields(self) -> dict[str, Any]:
        """cleaned_data as the item services take it: tags become ids; no choice of make or buy means by type."""
        data = super().service_fields()
        data["tags"] = [tag.pk for tag in data["tags"]]
        if not data["make_buy"]:
            data.pop("make_buy")
        return data


class BomLineForm(ModelFieldsForm):
    component = forms.ModelChoiceField(
        queryset=Item.all_tenants.none(), widget=Picker(placeholder="SKU or name…", attrs={"aria_label": "Component"})
    )
    uom = forms.ModelChoiceField(
        label="Unit", queryset=UnitOfMeasure.all_tenants.none(), required=False, empty_label="stock"
    )
    operation = forms.ModelChoiceField(
        label="Operation", queryset=Operation.all_tenants.none(), required=False, empty_label="—"
    )

    class Meta:
        model = BomLine
        fields = ("component", "quantity", "uom", "scrap_pct", "phantom", "reference", "operation")
        labels = {"quantity": "Qty per", "scrap_pct": "Scrap %", "reference": "Reference"}

    def __init__(self, *args: Any, bom: Any, current: Item | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        usable = Q(active=True) | Q(pk=current.pk) if current is not None else Q(active=True)
        self.fields["component"].queryset = Item.objects.filter(usable).exclude(pk=bom.item_id)
        self.fields["component"].label_from_instance = item_label
        self.fields["component"].widget.url = reverse("catalog:component_picker", args=[bom.pk])
        self.fields["uom"].queryset = UnitOfMeasure.objects.all()
        self.fields["operation"].queryset = bom.operations.all()
        self.fields["operation"].label_from_instance = lambda op: f"{op.sequence} {op.description}"

    def service_fields(self) -> dict[str, Any]:
        data = super().service_fields()
        if data["uom"] is None:
            data["uom"] = data["component"].uom
        return data


class OperationForm(ModelFieldsForm):
    work_center = forms.ModelChoiceField(queryset=WorkCenter.all_tenants.none(), empty_label="Choose…")
    supplier = forms.ModelChoiceField(
        queryset=Partner.all_tenants.none(),
        required=False,
        label="Outside supplier",
        widget=Picker(placeholder="Supplier code or name…", attrs={"aria_label": "Outside supplier"}),
        help_text="For outside processing: the supplier who does it",
    )

    class Meta:
        model = Operation
        fields = ("sequence", "work_center", "description", *MINUTES, "supplier", "outside_price", "outside_lead_days")
        labels = {"sequence": "Seq", **MINUTES, "outside_price": "Outside price", "outside_lead_days": "Outside days"}
        widgets = {"sequence": forms.NumberInput(attrs={"placeholder": "next"})}
        optional = ("sequence",)  # the next one when empty

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["work_center"].queryset = WorkCenter.objects.filter(active=True).select_related("site")
        supplier = self.fields["supplier"]
        supplier.queryset = Partner.objects.filter(is_supplier=True)  # type: ignore[attr-defined]
        supplier.widget.url = reverse("partners:partner_picker") + "?role=supplier"


class OperationCheckForm(ModelFieldsForm):
    """An in-process check: a measurement (nominal, tolerances, unit) or pass/fail."""

    class Meta:
        model = OperationCheck
        fields = ("name", "kind", "nominal", "minus", "plus", "unit")
