from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.password_validation import validate_password

from factoryos.accounts.models import ApiKey, User
from factoryos.core.models import DataRegion
from factoryos.web.forms import ModelFieldsForm

AGE_ERROR = "Smart FactoryOS is for people 18 or older: please confirm your age to create an account."


class SignupForm(AllauthSignupForm):
    """Sign-up creates the person and their organization; the 18+ confirmation is required and recorded."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    organization_name = forms.CharField(max_length=200, label="Organization (legal name)")
    data_region = forms.ChoiceField(
        choices=DataRegion.choices, initial=DataRegion.AU, help_text="Where your organization's data is stored."
    )
    age_confirmed = forms.BooleanField(
        required=True, label="I confirm that I am 18 years of age or older", error_messages={"required": AGE_ERROR}
    )

    field_order = [
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "organization_name",
        "data_region",
        "age_confirmed",
    ]


class InvitationSignupForm(forms.Form):
    """A new person accepting an invitation: the email is the invitation's, already proven by the link."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="Password (again)", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    age_confirmed = forms.BooleanField(
        required=True, label="I confirm that I am 18 years of age or older", error_messages={"required": AGE_ERROR}
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        elif data.get("password1"):
            from factoryos.accounts.models import User

            try:
                validate_password(data["password1"], User(email=self.email, first_name=data.get("first_name", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ProfileForm(ModelFieldsForm):
    class Meta:
        model = User
        fields = ("first_name", "last_name", "phone", "job_title", "department")
        widgets = {"phone": forms.TextInput}


class PhotoForm(forms.Form):
    photo = forms.FileField(help_text="JPEG, PNG or WebP, up to 5 MB. Location and camera data are removed.")


class ApiKeyForm(ModelFieldsForm):
    class Meta:
        model = ApiKey
        fields = ("name",)
        help_texts = {"name": "The integration that will use it, e.g. 'Xero sync'."}
