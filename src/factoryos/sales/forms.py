"""The sales forms: they parse input only; the rules live in sales.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

from factoryos.catalog.models import Item
from factoryos.finance.models import TaxCode
from factoryos.partners.models import Contact, Partner
from factoryos.sales.models import Quote, QuoteLine, SalesOrder, SalesOrderLine
from factoryos.web.forms import ModelFieldsForm, Picker

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _customer_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Partner.all_tenants.none(), label="Customer", widget=Picker(placeholder="Code or name…")
    )


def _contact_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Contact.all_tenants.none(),
        required=False,
        empty_label="(the customer's primary contact)",
        help_text="Who the document is for",
    )


class HeaderForm(ModelFieldsForm):
    """A quote's or an order's header; ``partner`` given: its contacts only (editing), else a customer to pick."""

    def __init__(self, *args: Any, partner: Partner | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        contacts = Contact.objects.all() if partner is None else Contact.objects.filter(partner=partner)
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]
        if "partner" in self.fields:
            field = self.fields["partner"]
            field.queryset = Partner.objects.filter(is_customer=True, active=True)  # type: ignore[attr-defined]
            field.widget.url = reverse("partners:partner_picker") + "?role=customer"


class QuoteForm(HeaderForm):
    partner = _customer_field()
    contact = _contact_field()

    class Meta:
        model = Quote
        fields = ("partner", "contact", "valid_until", "prices_include_tax", "notes")
        widgets = {"valid_until": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class QuoteEditForm(HeaderForm):
    contact = _contact_field()

    class Meta:
        model = Quote
        fields = ("contact", "valid_until", "prices_include_tax", "notes")
        widgets = {"valid_until": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class SalesOrderForm(HeaderForm):
    partner = _customer_field()
    contact = _contact_field()

    class Meta:
        model = SalesOrder
        fields = ("partner", "contact", "customer_reference", "order_date", "prices_include_tax", "notes")
        optional = ("order_date",)  # today when left empty
        widgets = {"order_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class SalesOrderEditForm(HeaderForm):
    contact = _contact_field()

    class Meta:
        model = SalesOrder
        fields = ("contact", "customer_reference", "order_date", "prices_include_tax", "notes")
        widgets = {"order_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


def item_label(item: Any) -> str:
    return f"{item.sku} · {item.name}"


class LineForm(ModelFieldsForm):
    """A line: an item (its price from the customer's price list when none is typed) or free text."""

    item = forms.ModelChoiceField(
        queryset=Item.all_tenants.none(), required=False, widget=Picker(placeholder="SKU or name…"),
        help_text="Empty: a free-text line (a service, freight)",
    )  # fmt: skip
    tax_code = forms.ModelChoiceField(queryset=TaxCode.all_tenants.none(), required=False, empty_label="(default)")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        item = self.fields["item"]
        item.queryset = Item.objects.filter(active=True)  # type: ignore[attr-defined]
        item.label_from_instance = item_label  # type: ignore[attr-defined]
        item.widget.url = reverse("catalog:item_picker")
        self.fields["tax_code"].queryset = TaxCode.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["unit_price"].required = False
        self.fields["unit_price"].help_text = "Empty: the customer's price"
        self.fields["lead_time_days"].initial = None  # empty: the item's lead time
        self.fields["lead_time_days"].help_text = "Promised from the order date; empty: the item's lead time"

    def service_fields(self) -> dict[str, Any]:
        data = super().service_fields()
        if data.get("unit_price") is None:
            data.pop("unit_price", None)  # the service prices it
        if not data.get("description"):
            data.pop("description", None)  # the item's name
        return data


class QuoteLineForm(LineForm):
    class Meta:
        model = QuoteLine
        fields = ("item", "description", "quantity", "unit_price", "discount_pct", "tax_code", "lead_time_days")
        labels = {"discount_pct": "Discount %"}


class SalesOrderLineForm(LineForm):
    class Meta:
        model = SalesOrderLine
        fields = ("item", "description", "quantity", "unit_price", "discount_pct", "tax_code", "lead_time_days")
        labels = {"discount_pct": "Discount %"}


class LoseForm(forms.Form):
    reason = forms.CharField(
        max_length=Quote._meta.get_field("lost_reason").max_length, help_text="Price, lead time, went elsewhere…"
    )


class AcceptForm(forms.Form):
    customer_reference = forms.CharField(
        max_length=SalesOrder._meta.get_field("customer_reference").max_length,
        required=False,
        help_text="The customer's PO number",
    )


class EmailForm(forms.Form):
    to = forms.EmailField(max_length=254, required=False, help_text="Empty: the quote's contact")
    subject = forms.CharField(max_length=200, required=False, help_text="Empty: Quote <number> from <your name>")
    message = forms.CharField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
