"""Forms of the organization's pages. They parse input only: every rule lives in core.services."""

from __future__ import annotations

from django import forms

from factoryos.core.models import Organization, Role, TaxIdentifier
from factoryos.kernel.permissions import PERMISSIONS, BuiltinRole
from factoryos.web.forms import ModelFieldsForm


class OrganizationForm(ModelFieldsForm):
    class Meta:
        model = Organization
        fields = ("legal_name", "trading_name", "address_line1", "address_line2", "city", "state", "postcode")
        fields += ("country", "data_region", "time_zone", "currency")
        help_texts = {
            "country": "Two-letter ISO code, e.g. AU",
            "data_region": "Where this organization's data is stored.",
            "currency": "Three-letter ISO code, e.g. AUD",
        }


class TaxIdForm(ModelFieldsForm):
    class Meta:
        model = TaxIdentifier
        fields = ("kind", "country", "value")
        widgets = {"value": forms.TextInput}


def role_choices(custom_roles) -> list[tuple[str, str]]:
    return [(r.value, r.label) for r in BuiltinRole] + [(f"custom:{r.pk}", r.name) for r in custom_roles]


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField()

    def __init__(self, *args, custom_roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(custom_roles)
        self.fields["role"].initial = BuiltinRole.VIEWER


class RoleForm(ModelFieldsForm):
    permissions = forms.MultipleChoiceField(
        choices=sorted(PERMISSIONS.items()), widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Role
        fields = ("name", "description", "permissions")


class LogoForm(forms.Form):
    logo = forms.FileField(label="Image file", help_text="JPEG, PNG or WebP, up to 2 MB.")
