"""The book's forms: they parse input only; the rules live in books.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

from factoryos.books.models import AccountMapping, Bill, BillLine, BooksSettings, Invoice, InvoiceLine, Payment
from factoryos.books.services import ZERO
from factoryos.catalog.models import Item
from factoryos.finance.models import TaxCode
from factoryos.partners.models import Partner
from factoryos.purchasing.models import PurchaseOrder
from factoryos.sales.models import SalesOrder
from factoryos.shipping.models import Shipment
from factoryos.web.forms import ModelFieldsForm, Picker

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _partner_field(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Partner.all_tenants.none(), label=label, widget=Picker(placeholder="Code or name…")
    )


class _PartnerForm(ModelFieldsForm):
    role = "customer"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if "partner" in self.fields:
            field = self.fields["partner"]
            flag = {"is_customer": True} if self.role == "customer" else {"is_supplier": True}
            if self.role == "any":
                flag = {}
            field.queryset = Partner.objects.filter(active=True, **flag)  # type: ignore[attr-defined]
            field.widget.url = reverse("partners:partner_picker") + (f"?role={self.role}" if flag else "")


class InvoiceForm(_PartnerForm):
    partner = _partner_field("Customer")
    credited_invoice = forms.ModelChoiceField(
        queryset=Invoice.all_tenants.none(), required=False, label="Credits invoice",
        help_text="For a credit note: the invoice it reverses (its balance is reduced when the note is issued)",
    )  # fmt: skip

    class Meta:
        model = Invoice
        fields = ("partner", "kind", "credited_invoice", "reference", "issued_on", "due_date", "prices_include_tax",
                  "notes")  # fmt: skip
        widgets = {"issued_on": DATE, "due_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["credited_invoice"].queryset = Invoice.objects.filter(  # type: ignore[attr-defined]
            kind="invoice", status__in=("issued", "part_paid", "paid")
        ).order_by("-number")


class InvoiceEditForm(InvoiceForm):
    class Meta:
        model = Invoice
        fields = ("credited_invoice", "reference", "issued_on", "due_date", "prices_include_tax", "notes")
        widgets = {"issued_on": DATE, "due_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class BillForm(_PartnerForm):
    role = "supplier"
    partner = _partner_field("Supplier")

    class Meta:
        model = Bill
        fields = ("partner", "supplier_reference", "bill_date", "due_date", "prices_include_tax", "notes")
        widgets = {"bill_date": DATE, "due_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class BillEditForm(BillForm):
    class Meta:
        model = Bill
        fields = ("supplier_reference", "bill_date", "due_date", "prices_include_tax", "notes")
        widgets = {"bill_date": DATE, "due_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class PaymentForm(_PartnerForm):
    role = "any"
    partner = _partner_field("Partner")

    class Meta:
        model = Payment
        fields = ("direction", "partner", "paid_on", "amount", "currency", "exchange_rate", "method", "reference",
                  "notes")  # fmt: skip
        optional = ("paid_on", "currency", "exchange_rate")  # today; the partner's; the rate of the day
        widgets = {"paid_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"currency": "The partner's unless given", "exchange_rate": "The day's rate unless given"}

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in super().service_fields().items() if v not in (None, "")}


class PaymentEditForm(ModelFieldsForm):
    class Meta:
        model = Payment
        fields = ("method", "reference", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class AllocateForm(forms.Form):
    """One document and the amount of the payment applied to it."""

    invoice = forms.ModelChoiceField(queryset=Invoice.all_tenants.none(), required=False)
    bill = forms.ModelChoiceField(queryset=Bill.all_tenants.none(), required=False)
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=ZERO)

    def __init__(self, *args: Any, payment: Payment, **kwargs: Any):
        super().__init__(*args, **kwargs)
        same = {"partner": payment.partner, "currency": payment.currency}
        if payment.direction == "in":
            self.fields["invoice"].queryset = Invoice.objects.filter(
                kind="invoice", status__in=("issued", "part_paid"), **same
            )  # type: ignore[attr-defined]
            del self.fields["bill"]
        else:
            self.fields["invoice"].queryset = Invoice.objects.filter(
                kind="credit_note", status__in=("issued", "part_paid"), **same
            )  # type: ignore[attr-defined]
            self.fields["invoice"].label = "Credit note (refund)"
            self.fields["bill"].queryset = Bill.objects.filter(status__in=("approved", "part_paid"), **same)  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        spec = {key: data.get(key) for key in ("invoice", "bill") if data.get(key) is not None}
        return {"allocations": [{**spec, "amount": data["amount"]}]}


class FromOrderForm(forms.Form):
    order = forms.ModelChoiceField(queryset=SalesOrder.all_tenants.none(), label="Sales order")
    shipped_only = forms.BooleanField(required=False, label="Only what is shipped")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = (
            SalesOrder.objects.filter(  # type: ignore[attr-defined]
                status__in=("confirmed", "part_shipped", "shipped")
            )
            .select_related("partner")
            .order_by("-order_date", "-id")
        )


class FromShipmentForm(forms.Form):
    shipment = forms.ModelChoiceField(queryset=Shipment.all_tenants.none(), label="Shipment")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["shipment"].queryset = Shipment.objects.filter(status="shipped").order_by("-shipped_at", "-id")  # type: ignore[attr-defined]


class FromPurchaseOrderForm(forms.Form):
    order = forms.ModelChoiceField(queryset=PurchaseOrder.all_tenants.none(), label="Purchase order")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = (
            PurchaseOrder.objects.filter(  # type: ignore[attr-defined]
                status__in=("part_received", "received", "closed")
            )
            .select_related("partner")
            .order_by("-order_date", "-id")
        )


class IssueForm(forms.Form):
    issued_on = forms.DateField(required=False, widget=DATE, label="Issue date", help_text="Today if empty")

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v}


class ApproveForm(forms.Form):
    bill_date = forms.DateField(required=False, widget=DATE, label="Bill date", help_text="Today if empty")

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v}


class _LineForm(ModelFieldsForm):
    """A line: an item (an invoice's price from the customer's price list when none is typed) or free text."""

    item = forms.ModelChoiceField(
        queryset=Item.all_tenants.none(), required=False, widget=Picker(placeholder="SKU or name…"),
        help_text="Empty: a free-text line (a service, freight)",
    )  # fmt: skip
    tax_code = forms.ModelChoiceField(queryset=TaxCode.all_tenants.none(), required=False, empty_label="(default)")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        item = self.fields["item"]
        item.queryset = Item.objects.filter(active=True)  # type: ignore[attr-defined]
        item.label_from_instance = lambda obj: f"{obj.sku} · {obj.name}"  # type: ignore[attr-defined]
        item.widget.url = reverse("catalog:item_picker")
        self.fields["tax_code"].queryset = TaxCode.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["unit_price"].required = False

    def service_fields(self) -> dict[str, Any]:
        data = super().service_fields()
        if data.get("unit_price") is None:
            data.pop("unit_price", None)
        if not data.get("description"):
            data.pop("description", None)
        return data


class InvoiceLineForm(_LineForm):
    class Meta:
        model = InvoiceLine
        fields = ("item", "description", "quantity", "unit_price", "discount_pct", "tax_code")
        labels = {"discount_pct": "Discount %"}
        help_texts = {"unit_price": "Empty: the customer's price list price"}


class BillLineForm(_LineForm):
    class Meta:
        model = BillLine
        fields = ("item", "description", "quantity", "unit_price", "discount_pct", "tax_code")
        labels = {"discount_pct": "Discount %"}


class BooksSettingsForm(ModelFieldsForm):
    class Meta:
        model = BooksSettings
        fields = ("qty_tolerance_pct", "price_tolerance_pct")


class AccountMappingForm(ModelFieldsForm):
    class Meta:
        model = AccountMapping
        fields = ("receivables", "payables", "revenue", "purchases", "tax_collected", "tax_paid", "bank",
                  "fx_gain_loss")  # fmt: skip


class ReportForm(forms.Form):
    on = forms.DateField(required=False, widget=DATE, label="Aged on")
    date_from = forms.DateField(required=False, widget=DATE, label="From")
    date_to = forms.DateField(required=False, widget=DATE, label="To")


class JournalForm(forms.Form):
    date_from = forms.DateField(widget=DATE, label="From")
    date_to = forms.DateField(widget=DATE, label="To")
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="csv")
