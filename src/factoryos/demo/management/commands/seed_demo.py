"""Load a demo organization and its fabrication shop (sites, work centers, catalogue, BOMs and routings, stock,
employees: see factoryos/demo/shop.toml, loaded by factoryos.demo.shop) when not there yet. Idempotent.

Without options: *Alliance Metal Fabrication*, with one member per built-in role (the data file's [organization] and
[logins]). With ``--organization NAME --owner EMAIL``: a second, independent demo organization owned by that person
(made if they have no account yet), with the same shop data, for a support case or an integration to play with.
"""

from __future__ import annotations

import os
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from factoryos.accounts.models import User
from factoryos.core import services
from factoryos.core.models import Membership, Organization
from factoryos.demo import shop
from factoryos.kernel import events
from factoryos.kernel.events import Action
from factoryos.kernel.permissions import BuiltinRole
from factoryos.kernel.tenancy import org_scope, user_scope

DEMO_DOMAIN = "demo.factoryos.localhost"
DEMO_PASSWORD_ENV = "FACTORYOS_DEMO_PASSWORD"
DEFAULT_DEMO_PASSWORD = "factory-demo-2026"


def demo_email(role: str) -> str:
    return f"{role}@{DEMO_DOMAIN}"


def demo_org() -> dict[str, Any]:
    """The demo organization: its legal and trading names, tax ID and profile (the data file's [organization])."""
    return shop.data()["organization"]


def _user(email: str, password: str, **names: str) -> User:
    """A verified account; ``names``: first_name, last_name, job_title, department."""
    user = User.objects.create_user(email, password, **names)
    user.age_confirmed_at = user.date_joined
    user.phone = "+61 2 9000 0000"
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


class Command(BaseCommand):
    help = "Load a demo organization (the default one, or --organization NAME --owner EMAIL) and its shop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", metavar="NAME", help="Legal name of another demo organization")
        parser.add_argument("--owner", metavar="EMAIL", help="Its owner (an account is made if there is none)")

    def handle(self, *args: Any, organization: str | None = None, owner: str | None = None, **options: Any) -> None:
        password = os.environ.get(DEMO_PASSWORD_ENV, DEFAULT_DEMO_PASSWORD)
        if bool(organization) != bool(owner):
            raise CommandError("Give --organization and --owner together (or neither, for the default demo).")
        if organization and owner:
            org, created = self.seed_named(organization.strip(), owner.strip().lower(), password)
            self.stdout.write(("Loaded" if created else "Found") + f" the demo organization: {org.legal_name}")
            self.stdout.write(f"Owner: {owner.strip().lower()} (password: {password}, unless the account existed)")
        else:
            created = self.seed_default(password)
            org = Organization.objects.get(legal_name=demo_org()["legal_name"])
            self.stdout.write(("Loaded" if created else "Found") + f" the demo organization: {org.legal_name}")
            self.stdout.write(f"Demo logins (password: {password}):")
            for role in BuiltinRole:
                self.stdout.write(f"  {role.label:<14} {demo_email(role.value)}")
        counts = self.seed_shop(org)
        if counts:
            self.stdout.write("Loaded the demo fabrication shop:")
            for name, count in counts.items():
                self.stdout.write(f"  {name:<16} {count}")
        else:
            self.stdout.write("Found the demo fabrication shop (nothing added).")

    @transaction.atomic
    def seed_shop(self, org: Organization) -> dict[str, int] | None:
        """The shop, checked on its own: a demo organization loaded before the shop existed gets it too."""
        with org_scope(org):
            owner = Membership.objects.select_related("user", "org").filter(role=BuiltinRole.OWNER, is_active=True)
            with user_scope(owner[0].user_id):
                return shop.load_shop(owner[0])

    @transaction.atomic
    def seed_default(self, password: str) -> bool:
        demo = demo_org()
        if Organization.objects.filter(legal_name=demo["legal_name"]).exists():
            return False
        logins = shop.data()["logins"]
        users = {BuiltinRole(role): _user(demo_email(role), password, **names) for role, names in logins.items()}
        with user_scope(users[BuiltinRole.OWNER].pk):
            org, owner = services.organization_create(
                owner=users[BuiltinRole.OWNER],
                legal_name=demo["legal_name"],
                trading_name=demo["trading_name"],
                **demo["profile"],
            )
        with org_scope(org):
            services.tax_id_create(actor=owner, **demo["tax_id"])
            for role, user in users.items():
                if role != BuiltinRole.OWNER:
                    membership = Membership.objects.create(org=org, user=user, role=role)
                    events.record(
                        action=Action.MEMBER_JOINED, actor=owner, obj=membership, metadata={"role": role.label}
                    )
        return True

    @transaction.atomic
    def seed_named(self, name: str, email: str, password: str) -> tuple[Organization, bool]:
        """The organization ``name`` owned by ``email``; made (with the account) when missing."""
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"--owner: {email!r} is not an email address.") from exc
        if not name:
            raise CommandError("--organization: give the organization's legal name.")
        user = User.objects.filter(email__iexact=email).first()
        existing = Organization.objects.filter(legal_name=name).first()
        if existing is not None:
            with org_scope(existing):
                owners = Membership.objects.filter(role=BuiltinRole.OWNER, is_active=True)
                if user is not None and owners.filter(user=user).exists():
                    return existing, False
            raise CommandError(f"An organization named {name!r} exists with another owner: choose another name.")
        if user is None:
            user = _user(
                email,
                password,
                first_name="Demo",
                last_name="Owner",
                job_title="Managing Director",
                department="Management",
            )
        with user_scope(user.pk):
            org, _owner = services.organization_create(owner=user, legal_name=name, **demo_org()["profile"])
        return org, True
