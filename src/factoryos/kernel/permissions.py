"""The one permission map: web views, the API, API-key scopes and the templates all read it.

A permission is "<module>.<action>". Actions ``view`` are reads; every other action is a write (API-key scopes
grant a module "read" or "write").
"""

from __future__ import annotations

from django.db import models


class Module(models.TextChoices):
    ORG = "org", "Organization"
    MEMBERS = "members", "Members and roles"
    API_KEYS = "apikeys", "API keys"
    AUDIT = "audit", "Audit trail"
    FACILITIES = "facilities", "Facilities (sites, work centers, calendars)"
    PARTNERS = "partners", "Partners (customers and suppliers)"
    CATALOG = "catalog", "Engineering (items, BOMs, routings)"
    INVENTORY = "inventory", "Inventory"
    PURCHASING = "purchasing", "Purchasing"
    SALES = "sales", "Sales"
    FINANCE = "finance", "Finance"
    PRODUCTION = "production", "Production"
    PLANNING = "planning", "Planning"
    PEOPLE = "people", "People (employee records)"


PERMISSIONS: dict[str, str] = {
    "org.view": "See the organization profile",
    "org.edit": "Edit the organization profile and tax identifiers",
    "members.view": "See members, invitations and roles",
    "members.manage": "Invite, change roles of and remove members; define custom roles",
    "apikeys.manage": "Create and revoke API keys",
    "audit.view": "Read and export the audit trail",
    "facilities.view": "See sites, work centers and calendars",
    "facilities.edit": "Change sites, work centers and calendars",
    "partners.view": "See customers and suppliers",
    "partners.edit": "Add and change customers and suppliers",
    "catalog.view": "See items, BOMs and routings",
    "catalog.edit": "Change items, BOMs and routings",
    "inventory.view": "See stock",
    "inventory.edit": "Move, receive, count and adjust stock",
    "purchasing.view": "See suppliers and purchase orders",
    "purchasing.edit": "Raise and change purchase orders",
    "purchasing.approve": "Approve purchase orders over a role's limit and bills that do not match",
    "sales.view": "See customers, quotes and orders",
    "sales.edit": "Quote, sell and ship",
    "sales.approve": "Confirm orders over a customer's credit limit or with overdue invoices",
    "finance.view": "See invoices, payments and reports",
    "finance.edit": "Invoice and record payments",
    "finance.approve": "Approve supplier bills that do not match their order and receipt",
    "production.view": "See work orders",
    "production.edit": "Release and run work orders",
    "planning.view": "See MRP and schedules",
    "planning.edit": "Run MRP and scheduling",
    "people.view": "See employee records",
    "people.edit": "Change employee records",
}

ALL = frozenset(PERMISSIONS)
_VIEW_ALL = frozenset(p for p in PERMISSIONS if p.endswith(".view") and not p.startswith("people."))


class BuiltinRole(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Administrator"
    PLANNER = "planner", "Planner"
    ENGINEER = "engineer", "Engineer"
    OPERATOR = "operator", "Operator"
    SALES = "sales", "Sales"
    PURCHASING = "purchasing", "Purchasing"
    ACCOUNTANT = "accountant", "Accountant"
    VIEWER = "viewer", "Viewer"


_staff = _VIEW_ALL - {"audit.view", "finance.view"}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    BuiltinRole.OWNER: ALL,
    BuiltinRole.ADMIN: ALL,
    BuiltinRole.PLANNER: _staff | {"planning.edit", "production.edit", "purchasing.edit", "facilities.edit"},
    BuiltinRole.ENGINEER: _staff | {"catalog.edit"},
    BuiltinRole.OPERATOR: frozenset(
        {
            "org.view",
            "facilities.view",
            "catalog.view",
            "inventory.view",
            "production.view",
            "production.edit",
            "inventory.edit",
        }
    ),
    BuiltinRole.SALES: _staff | {"sales.edit", "partners.edit"},
    BuiltinRole.PURCHASING: _staff | {"purchasing.edit", "inventory.edit", "partners.edit"},
    BuiltinRole.ACCOUNTANT: _staff | {"finance.view", "finance.edit", "finance.approve", "audit.view"},
    BuiltinRole.VIEWER: _staff,
}

# Only owners may grant or take away ownership; admins manage everyone else.
ROLE_RANK = {BuiltinRole.OWNER: 2, BuiltinRole.ADMIN: 1}


def module_of(permission: str) -> str:
    return permission.split(".", 1)[0]


def is_read(permission: str) -> bool:
    return permission.endswith(".view")


def validate_permissions(perms: list[str]) -> list[str]:
    unknown = sorted(set(perms) - ALL)
    if unknown:
        raise ValueError(f"Unknown permission(s): {', '.join(unknown)}")
    return sorted(set(perms))
