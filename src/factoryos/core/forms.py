"""Forms of the organization's pages. They parse input only: every rule lives in core.services."""

from __future__ import annotations

from django import forms

from factoryos.core.models import TIME_ZONES, DataRegion, TaxIdType
from factoryos.kernel.permissions import PERMISSIONS, BuiltinRole


class OrganizationForm(forms.Form):
    legal_name = forms.CharField(max_length=200)
    trading_name = forms.CharField(max_length=200, required=False)
    address_line1 = forms.CharField(label="Address", max_length=200, required=False)
    address_line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    state = forms.CharField(label="State / region", max_length=100, required=False)
    postcode = forms.CharField(max_length=20, required=False)
    country = forms.CharField(max_length=2, min_length=2, help_text="Two-letter ISO code, e.g. AU")
    data_region = forms.ChoiceField(choices=DataRegion.choices, help_text="Where this organization's data is stored.")
    time_zone = forms.ChoiceField(choices=[(z, z) for z in TIME_ZONES])
    currency = forms.CharField(max_length=3, min_length=3, help_text="Three-letter ISO code, e.g. AUD")


class TaxIdForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=TaxIdType.choices)
    country = forms.CharField(max_length=2, min_length=2)
    value = forms.CharField(max_length=64, help_text="Stored encrypted.")


def role_choices(custom_roles) -> list[tuple[str, str]]:
    return [(r.value, r.label) for r in BuiltinRole] + [(f"custom:{r.pk}", r.name) for r in custom_roles]


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField()

    def __init__(self, *args, custom_roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(custom_roles)
        self.fields["role"].initial = BuiltinRole.VIEWER


class RoleForm(forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(max_length=300, required=False)
    permissions = forms.MultipleChoiceField(
        choices=sorted(PERMISSIONS.items()), widget=forms.CheckboxSelectMultiple, required=False
    )
