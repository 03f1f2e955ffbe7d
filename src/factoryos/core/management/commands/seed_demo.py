"""Load the demo organization (one member per built-in role) and its fabrication shop (sites, work centers,
catalogue, BOMs and routings, stock, employees: see factoryos.core.demo_shop) when not there yet. Idempotent."""

from __future__ import annotations

import os

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from factoryos.accounts.models import User
from factoryos.core import demo_shop, services
from factoryos.core.models import Membership, Organization
from factoryos.kernel import events
from factoryos.kernel.events import Action
from factoryos.kernel.permissions import BuiltinRole
from factoryos.kernel.tenancy import org_scope, user_scope

DEMO_ORG = "Alliance Metal Fabrication Pty Ltd"
DEMO_DOMAIN = "demo.factoryos.localhost"
DEMO_PASSWORD_ENV = "FACTORYOS_DEMO_PASSWORD"
DEFAULT_DEMO_PASSWORD = "factory-demo-2026"
PEOPLE = {
    BuiltinRole.OWNER: ("Alex", "Morgan", "Managing Director", "Management"),
    BuiltinRole.ADMIN: ("Sam", "Nguyen", "Operations Manager", "Operations"),
    BuiltinRole.PLANNER: ("Priya", "Shah", "Production Planner", "Planning"),
    BuiltinRole.ENGINEER: ("Tom", "Becker", "Design Engineer", "Engineering"),
    BuiltinRole.OPERATOR: ("Jess", "Walker", "Press Brake Operator", "Production"),
    BuiltinRole.SALES: ("Maria", "Rossi", "Account Manager", "Sales"),
    BuiltinRole.PURCHASING: ("Ken", "Tanaka", "Buyer", "Supply Chain"),
    BuiltinRole.ACCOUNTANT: ("Olivia", "Brown", "Accountant", "Finance"),
    BuiltinRole.VIEWER: ("Ravi", "Patel", "Quality Auditor", "Quality"),
}


def demo_email(role: str) -> str:
    return f"{role}@{DEMO_DOMAIN}"


class Command(BaseCommand):
    help = "Load the demo organization if it does not exist (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        password = os.environ.get(DEMO_PASSWORD_ENV, DEFAULT_DEMO_PASSWORD)
        created = self.seed(password)
        shop = self.seed_shop()
        self.stdout.write(("Loaded" if created else "Found") + f" the demo organization: {DEMO_ORG}")
        self.stdout.write(f"Demo logins (password: {password}):")
        for role in BuiltinRole:
            self.stdout.write(f"  {role.label:<14} {demo_email(role.value)}")
        if shop:
            self.stdout.write("Loaded the demo fabrication shop:")
            for name, count in shop.items():
                self.stdout.write(f"  {name:<16} {count}")
        else:
            self.stdout.write("Found the demo fabrication shop (nothing added).")

    @transaction.atomic
    def seed_shop(self) -> dict[str, int] | None:
        """The shop, checked on its own: a demo organization loaded before the shop existed gets it too."""
        org = Organization.objects.get(legal_name=DEMO_ORG)
        with org_scope(org):
            owner = Membership.objects.select_related("user", "org").get(role=BuiltinRole.OWNER, is_active=True)
            with user_scope(owner.user_id):
                return demo_shop.load_shop(owner)

    @transaction.atomic
    def seed(self, password: str) -> bool:
        if Organization.objects.filter(legal_name=DEMO_ORG).exists():
            return False
        users = {}
        for role, (first, last, title, dept) in PEOPLE.items():
            user = User.objects.create_user(
                demo_email(role.value), password, first_name=first, last_name=last, job_title=title, department=dept
            )
            user.age_confirmed_at = user.date_joined
            user.phone = "+61 2 9000 0000"
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            users[role] = user
        with user_scope(users[BuiltinRole.OWNER].pk):
            org, owner = services.organization_create(
                owner=users[BuiltinRole.OWNER],
                legal_name=DEMO_ORG,
                trading_name="Alliance Metal",
                address_line1="14 Foundry Road",
                city="Wetherill Park",
                state="NSW",
                postcode="2164",
                country="AU",
                data_region="AU",
                time_zone="Australia/Sydney",
                currency="AUD",
            )
        with org_scope(org):
            services.tax_id_create(actor=owner, kind="ABN", country="AU", value="51 824 753 556")
            for role, user in users.items():
                if role != BuiltinRole.OWNER:
                    membership = Membership.objects.create(org=org, user=user, role=role)
                    events.record(action=Action.MEMBER_JOINED, obj=membership, metadata={"role": role.label})
        return True
