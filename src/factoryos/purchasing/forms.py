"""The Buy forms: they parse input only; the rules live in purchasing.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse, reverse_lazy

from factoryos.catalog.models import Item
from factoryos.core.models import Role
from factoryos.finance.models import TaxCode
from factoryos.inventory.models import Location
from factoryos.partners.models import Partner
from factoryos.purchasing.models import (
    ApprovalLimit,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasingSettings,
    Receipt,
    ReceiptLine,
    RequestForQuotation,
    Requisition,
    RequisitionLine,
    RfqLine,
    RfqSupplier,
    SupplierQuote,
    SupplierReturn,
    SupplierReturnLine,
)
from factoryos.web.forms import ModelFieldsForm, Picker

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHYSICAL = ("warehouse", "zone", "bin")


def _supplier_field(**kwargs: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Partner.all_tenants.none(), label="Supplier", widget=Picker(placeholder="Code or name…"), **kwargs
    )


def _suppliers() -> Any:
    return Partner.objects.filter(is_supplier=True, active=True).order_by("code")


def _item_field(**kwargs: Any) -> forms.ModelChoiceField:
    widget = Picker(reverse_lazy("catalog:item_picker"), placeholder="SKU or name…", attrs={"aria_label": "Item"})
    return forms.ModelChoiceField(queryset=Item.all_tenants.none(), widget=widget, **kwargs)


def _location_field(**kwargs: Any) -> forms.ModelChoiceField:
    label = kwargs.pop("label", "Location")
    widget = Picker(reverse_lazy("inventory:location_picker"), placeholder="Code or name…", attrs={"aria_label": label})
    return forms.ModelChoiceField(queryset=Location.all_tenants.none(), widget=widget, label=label, **kwargs)


class _Scoped(ModelFieldsForm):
    """The relations' choices are the current organization's rows, set per request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            model = field.queryset.model
            if model is Partner:
                field.queryset = _suppliers()
                if isinstance(field.widget, Picker):
                    field.widget.url = reverse("partners:partner_picker") + "?role=supplier"
            elif model is Item:
                field.queryset = Item.objects.filter(active=True)
                field.label_from_instance = lambda item: f"{item.sku} · {item.name}"  # type: ignore[attr-defined]
            elif model is Location:
                field.queryset = Location.objects.filter(kind__in=PHYSICAL, active=True)
                field.label_from_instance = lambda loc: f"{loc.code} · {loc.name}"  # type: ignore[attr-defined]
            elif name not in getattr(self, "fixed_choices", ()):
                field.queryset = model.objects.all()


class PurchaseOrderForm(_Scoped):
    partner = _supplier_field()

    class Meta:
        model = PurchaseOrder
        fields = ("partner", "supplier_reference", "order_date", "expected_date", "prices_include_tax", "notes")
        optional = ("order_date",)  # today when left empty
        widgets = {"order_date": DATE, "expected_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class PurchaseOrderEditForm(_Scoped):
    class Meta:
        model = PurchaseOrder
        fields = ("supplier_reference", "order_date", "expected_date", "prices_include_tax", "notes")
        widgets = {"order_date": DATE, "expected_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class ReceiveForm(_Scoped):
    """A new receipt of an order: everything outstanding into one location (lines can be changed before posting)."""

    location = _location_field(required=False, help_text="Everything still outstanding is received here")

    class Meta:
        model = Receipt
        fields = ("supplier_reference", "location")


class ReceiptEditForm(ModelFieldsForm):
    class Meta:
        model = Receipt
        fields = ("received_at", "supplier_reference", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class ReceiptLineEditForm(_Scoped):
    location = _location_field()

    class Meta:
        model = ReceiptLine
        fields = ("quantity", "location", "lot_code", "expires_on", "unit_cost")
        optional = ("unit_cost",)  # the order line's net price
        widgets = {"expires_on": DATE}

    def service_fields(self) -> dict[str, Any]:
        data = super().service_fields()
        if data.get("unit_cost") is None:
            data.pop("unit_cost", None)
        return data


class ReceiptLineForm(ReceiptLineEditForm):
    fixed_choices = ("po_line",)
    po_line = forms.ModelChoiceField(queryset=PurchaseOrderLine.all_tenants.none(), label="Order line")
    location = _location_field()

    class Meta:
        model = ReceiptLine
        fields = ("po_line", "quantity", "location", "lot_code", "expires_on", "unit_cost")
        optional = ("unit_cost",)
        widgets = {"expires_on": DATE}

    def __init__(self, *args: Any, receipt: Receipt | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lines = receipt.purchase_order.lines.filter(item__isnull=False).select_related("item") if receipt else []
        field = self.fields["po_line"]
        field.queryset = lines  # type: ignore[attr-defined]
        field.label_from_instance = _po_line_label  # type: ignore[attr-defined]


def _po_line_label(line: PurchaseOrderLine) -> str:
    return f"{line.position}. {line.item.sku} ({line.received.normalize():f} of {line.quantity.normalize():f} received)"


class SupplierReturnForm(ModelFieldsForm):
    class Meta:
        model = SupplierReturn
        fields = ("reason",)


class SupplierReturnLineForm(_Scoped):
    fixed_choices = ("receipt_line",)
    receipt_line = forms.ModelChoiceField(queryset=ReceiptLine.all_tenants.none(), label="Received line")

    class Meta:
        model = SupplierReturnLine
        fields = ("receipt_line", "quantity")

    def __init__(self, *args: Any, supplier_return: SupplierReturn | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lines = supplier_return.receipt.lines.select_related("item") if supplier_return else []
        field = self.fields["receipt_line"]
        field.queryset = lines  # type: ignore[attr-defined]
        field.label_from_instance = lambda line: f"{line.item.sku} ({line.returnable.normalize():f} returnable)"  # type: ignore[attr-defined]


class RequisitionForm(ModelFieldsForm):
    class Meta:
        model = Requisition
        fields = ("needed_by", "notes")
        widgets = {"needed_by": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class RequisitionLineForm(_Scoped):
    item = _item_field()

    class Meta:
        model = RequisitionLine
        fields = ("item", "quantity", "note")


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, label="Reason")


class RfqCreateForm(forms.Form):
    """An RFQ of the requisition: the suppliers to ask."""

    suppliers = forms.ModelMultipleChoiceField(
        queryset=Partner.all_tenants.none(), widget=forms.CheckboxSelectMultiple, help_text="Ask them for prices"
    )
    respond_by = forms.DateField(required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suppliers"].queryset = _suppliers()  # type: ignore[attr-defined]
        self.fields["suppliers"].label_from_instance = lambda p: f"{p.code} · {p.display_name}"  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        return {
            "suppliers": [p.pk for p in self.cleaned_data["suppliers"]],
            "respond_by": self.cleaned_data["respond_by"],
        }


class RfqEditForm(ModelFieldsForm):
    class Meta:
        model = RequestForQuotation
        fields = ("respond_by", "notes")
        widgets = {"respond_by": DATE, "notes": forms.Textarea(attrs={"rows": 2})}


class RfqSupplierForm(_Scoped):
    supplier = _supplier_field()

    class Meta:
        model = RfqSupplier
        fields = ("supplier",)


class SupplierQuoteForm(_Scoped):
    """A supplier's answer to one line of the RFQ."""

    fixed_choices = ("rfq_supplier", "rfq_line")
    rfq_supplier = forms.ModelChoiceField(queryset=RfqSupplier.all_tenants.none(), label="Supplier")
    rfq_line = forms.ModelChoiceField(queryset=RfqLine.all_tenants.none(), label="Line")

    class Meta:
        model = SupplierQuote
        fields = ("rfq_supplier", "rfq_line", "unit_price", "lead_time_days", "valid_until", "note")
        widgets = {"valid_until": DATE}

    def __init__(self, *args: Any, rfq: RequestForQuotation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        suppliers = self.fields["rfq_supplier"]
        suppliers.queryset = rfq.suppliers.select_related("supplier") if rfq else []  # type: ignore[attr-defined]
        suppliers.label_from_instance = lambda s: f"{s.supplier.code} ({s.currency})"  # type: ignore[attr-defined]
        lines = self.fields["rfq_line"]
        lines.queryset = rfq.lines.select_related("item") if rfq else []  # type: ignore[attr-defined]
        lines.label_from_instance = lambda line: f"{line.item.sku} x {line.quantity.normalize():f}"  # type: ignore[attr-defined]


class SettingsForm(ModelFieldsForm):
    class Meta:
        model = PurchasingSettings
        fields = ("over_receipt_tolerance_pct",)


class ApprovalLimitForm(_Scoped):
    fixed_choices = ()
    custom_role = forms.ModelChoiceField(queryset=Role.all_tenants.none(), required=False, empty_label="(none)")

    class Meta:
        model = ApprovalLimit
        fields = ("role", "custom_role", "max_amount")


class PurchaseOrderLineForm(ModelFieldsForm):
    """A line of an order: an item picked by search (or free text), quantity, price (empty: the supplier's), discount,
    tax, and when it is due (empty: after the supplier's lead time, else the order's date)."""

    item = forms.ModelChoiceField(
        queryset=Item.all_tenants.none(),
        required=False,
        widget=Picker(reverse_lazy("catalog:item_picker"), placeholder="SKU or name… (empty: a service line)"),
        help_text="Empty for a service or freight line: describe it instead",
    )
    tax_code = forms.ModelChoiceField(
        queryset=TaxCode.all_tenants.none(), required=False, empty_label="Default", label="Tax"
    )

    class Meta:
        model = PurchaseOrderLine
        fields = ("item", "description", "quantity", "unit_price", "discount_pct", "tax_code", "expected_date")
        optional = ("description", "unit_price")  # the item's name; the supplier's price
        widgets = {"expected_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["item"].label_from_instance = lambda item: f"{item.sku} · {item.name}"  # type: ignore[attr-defined]
        self.fields["tax_code"].queryset = TaxCode.objects.filter(active=True).order_by("code")  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = super().service_fields()
        for name in ("unit_price", "description", "expected_date"):
            if data.get(name) in (None, ""):
                data.pop(name, None)
        return data


class AwardForm(forms.Form):
    """The answer to order per line of an RFQ: ``choice-<line id>`` names the RFQ supplier (empty: the cheapest)."""

    def __init__(self, *args: Any, rfq: RequestForQuotation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        suppliers = [(str(s.pk), s.supplier.code) for s in rfq.suppliers.select_related("supplier")]
        for line in rfq.lines.all():
            self.fields[f"choice-{line.pk}"] = forms.TypedChoiceField(
                choices=[("", "Cheapest"), *suppliers], coerce=int, required=False, empty_value=None
            )

    def choices(self) -> list[dict[str, int]]:
        return [
            {"line": int(name.removeprefix("choice-")), "supplier": value}
            for name, value in self.cleaned_data.items()
            if value is not None
        ]
