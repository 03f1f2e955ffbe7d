"""API keys for integrations and support, from the command line.

    manage.py apikey create --user EMAIL [--organization NAME] --name NAME --scope MODULE:read|write ...
    manage.py apikey list --user EMAIL [--organization NAME]
    manage.py apikey revoke --user EMAIL [--organization NAME] --prefix PREFIX

A key is the person's, exactly as if they had made it on the API keys page: it acts with their permissions cut down
to its scopes (a scope beyond their role grants nothing), it is audited under their name (the event says it came
from this command), and its token is printed once and never stored.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from factoryos.accounts import services
from factoryos.accounts.models import ApiKey, ApiKeyScope, User
from factoryos.audit import context as audit_context
from factoryos.core.models import Membership
from factoryos.kernel.errors import DomainError
from factoryos.kernel.errors import messages as error_messages
from factoryos.kernel.permissions import Module
from factoryos.kernel.tenancy import org_scope, user_scope


def _scope(text: str) -> tuple[str, str]:
    module, _, level = text.partition(":")
    if module not in Module.values or level not in ApiKeyScope.values:
        raise CommandError(
            f"--scope {text!r}: use MODULE:read or MODULE:write, MODULE one of {', '.join(Module.values)}."
        )
    return module, level


class Command(BaseCommand):
    help = "Create, list or revoke a person's API keys (the token is printed once)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in (("create", "Make a key"), ("list", "The person's keys"), ("revoke", "Stop a key")):
            action = actions.add_parser(name, help=text)
            action.add_argument("--user", required=True, metavar="EMAIL")
            action.add_argument("--organization", metavar="NAME", help="Needed when the person is in several")
        create = actions.choices["create"]
        create.add_argument("--name", required=True, help="The integration that will use it, e.g. 'Xero sync'")
        create.add_argument(
            "--scope", action="append", required=True, type=_scope, metavar="MODULE:read|write", help="Repeatable"
        )
        actions.choices["revoke"].add_argument(
            "--prefix", required=True, help="The key's public prefix (fos_<prefix>_…)"
        )

    def handle(self, *args: Any, action: str, user: str, organization: str | None, **options: Any) -> None:
        with transaction.atomic():
            person = User.objects.filter(email__iexact=user.strip()).first()
            if person is None:
                raise CommandError(f"No account with the email {user!r}.")
            membership = self._membership(person, organization)
            origin = audit_context.as_member(membership, path=f"manage.py apikey {action}", method="CLI")
            with org_scope(membership.org), audit_context.bind(origin):
                getattr(self, action)(membership, **options)

    def _membership(self, person: User, organization: str | None) -> Membership:
        with user_scope(person.pk):
            memberships = list(
                Membership.all_tenants.filter(user=person, is_active=True).select_related("org", "user", "custom_role")
            )
        if organization:
            memberships = [
                m for m in memberships if m.org.legal_name == organization or m.org.trading_name == organization
            ]
        if not memberships:
            where = f" of {organization!r}" if organization else " of any organization"
            raise CommandError(f"{person.email} is not an active member{where}.")
        if len(memberships) > 1:
            names = ", ".join(sorted(m.org.legal_name for m in memberships))
            raise CommandError(f"{person.email} is in several organizations ({names}): give --organization.")
        membership = memberships[0]
        if not membership.has_perm("apikeys.manage"):
            raise CommandError(f"{person.email}'s role ({membership.role_label}) may not manage API keys.")
        return membership

    def create(self, membership: Membership, *, name: str, scope: list[tuple[str, str]], **options: Any) -> None:
        try:
            key, token = services.api_key_create(actor=membership, name=name, scopes=dict(scope))
        except DomainError as exc:
            raise CommandError(error_messages(exc)) from exc
        granted = sorted(p for p in membership.permissions if key.allows(p))
        self.stdout.write(f"Created API key {key.name} (fos_{key.prefix}_…) in {membership.org.display_name}.")
        self.stdout.write(f"Scopes: {', '.join(f'{m}:{s}' for m, s in key.scopes.items())}")
        self.stdout.write(f"It may: {', '.join(granted) or 'nothing (its scopes are beyond this role)'}")
        self.stdout.write("The token, shown this once (keep it in the integration's secret store):")
        self.stdout.write(token)

    def list(self, membership: Membership, **options: Any) -> None:
        keys = ApiKey.objects.filter(created_by=membership).order_by("-created_at")
        for key in keys:
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            scopes = ", ".join(f"{m}:{s}" for m, s in key.scopes.items())
            self.stdout.write(f"fos_{key.prefix}_…  {key.name:<30} {state:<18} {scopes}")
        if not keys:
            self.stdout.write("No keys.")

    def revoke(self, membership: Membership, *, prefix: str, **options: Any) -> None:
        key = ApiKey.objects.filter(created_by=membership, prefix=prefix.removeprefix("fos_").split("_")[0]).first()
        if key is None:
            raise CommandError(f"{membership.user.email} has no key with the prefix {prefix!r}.")
        try:
            services.api_key_revoke(actor=membership, obj=key)
        except DomainError as exc:
            raise CommandError(error_messages(exc)) from exc
        self.stdout.write(f"Revoked {key.name} (fos_{key.prefix}_…): it stops working now.")
