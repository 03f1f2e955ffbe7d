from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.utils import timezone

from factoryos.kernel import mail


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Sign-up: the user, their 18+ confirmation, and their organization, in one transaction."""
        from factoryos.core.services import organization_create

        data = form.cleaned_data
        if not data.get("age_confirmed"):  # the form requires it; refuse here too so no other path skips it
            raise ValueError("age confirmation is required")
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email.lower()
        user.age_confirmed_at = timezone.now()
        if commit:
            with transaction.atomic():
                user.save()
                organization_create(owner=user, legal_name=data["organization_name"], data_region=data["data_region"])
        return user

    def send_mail(self, template_prefix, email, context):
        """As allauth's (verification, password reset, notices), but the rendered message leaves through the email
        task once the request commits (kernel/mail.py): the request never waits on the mail server."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        mail.send_later(self.render_mail(template_prefix, email, ctx))
