"""The partner form: it parses input only; the rules live in partners.services."""

from __future__ import annotations

from django import forms

from factoryos.partners.models import Partner
from factoryos.web.forms import ModelFieldsForm


class PartnerForm(ModelFieldsForm):
    class Meta:
        model = Partner
        fields = ("code", "legal_name", "trading_name", "is_customer", "is_supplier", "email", "phone", "currency")
        fields += ("payment_terms_days", "credit_limit", "notes", "active")
        optional = ("currency",)  # the organization's when left empty
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
