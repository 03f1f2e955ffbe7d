"""The partners' forms: they parse input only; the rules live in partners.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

from factoryos.partners.models import (
    Contact,
    Partner,
    PartnerAddress,
    PartnerTaxId,
    PriceList,
    PriceListLine,
    SupplierItem,
    SupplierPriceBreak,
)
from factoryos.partners.services import item_model
from factoryos.web.forms import ModelFieldsForm, Picker


class PartnerForm(ModelFieldsForm):
    price_list = forms.ModelChoiceField(
        queryset=PriceList.all_tenants.none(),
        required=False,
        empty_label="(none)",
        help_text="A customer's prices, in its currency",
    )

    class Meta:
        model = Partner
        fields = ("code", "legal_name", "trading_name", "is_customer", "is_supplier", "email", "phone", "currency")
        fields += ("terms_kind", "payment_terms_days", "credit_limit", "price_list", "notes", "active")
        optional = ("currency",)  # the organization's when left empty
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["price_list"].queryset = PriceList.objects.filter(active=True)


class PartnerTaxIdForm(ModelFieldsForm):
    class Meta:
        model = PartnerTaxId
        fields = ("kind", "country", "value")
        widgets = {"value": forms.TextInput}


class PartnerAddressForm(ModelFieldsForm):
    class Meta:
        model = PartnerAddress
        fields = ("kind", "name", "line1", "line2", "city", "state", "postcode", "country", "is_default")
        optional = ("country",)  # the organization's when left empty


class ContactForm(ModelFieldsForm):
    class Meta:
        model = Contact
        fields = ("name", "email", "phone", "job_role", "is_primary")
        help_texts = {"email": "Quotes, orders and invoices are emailed here (stored encrypted)"}
        widgets = {"email": forms.EmailInput}


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def item_label(item: Any) -> str:
    return f"{item.sku} · {item.name}"


class ItemFieldForm(ModelFieldsForm):
    """A form with an ``item`` picked from the catalog (through the catalog's picker page, by its URL name)."""

    item = forms.ModelChoiceField(queryset=item_model().all_tenants.none(), widget=Picker(placeholder="SKU or name…"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        field.queryset = item_model()._default_manager.all()
        field.label_from_instance = item_label
        field.widget.url = reverse("catalog:item_picker")


class SupplierItemForm(ItemFieldForm):
    class Meta:
        model = SupplierItem
        fields = ("item", "supplier_sku", "currency", "lead_time_days", "minimum_order", "preferred")
        optional = ("currency",)  # the supplier's when left empty


class SupplierItemEditForm(ModelFieldsForm):
    """The item of a supplier item is what it is: another item is another supplier item."""

    class Meta:
        model = SupplierItem
        fields = ("supplier_sku", "currency", "lead_time_days", "minimum_order", "preferred")


class PriceBreakForm(ModelFieldsForm):
    class Meta:
        model = SupplierPriceBreak
        fields = ("min_quantity", "unit_price")


class PriceListForm(ModelFieldsForm):
    class Meta:
        model = PriceList
        fields = ("code", "name", "currency", "active")
        optional = ("currency",)  # the organization's when left empty


class PriceListLineForm(ItemFieldForm):
    class Meta:
        model = PriceListLine
        fields = ("item", "min_quantity", "unit_price", "valid_from", "valid_to")
        widgets = {"valid_from": DATE, "valid_to": DATE}


class PriceListLineEditForm(ModelFieldsForm):
    class Meta:
        model = PriceListLine
        fields = ("min_quantity", "unit_price", "valid_from", "valid_to")
        widgets = {"valid_from": DATE, "valid_to": DATE}
