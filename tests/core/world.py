"""The platform's objects in a test world: a member others can act on, a tax id, a custom role, an invitation, a key."""

from __future__ import annotations

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from factoryos.accounts import services as account_services
from factoryos.core import services
from factoryos.core.models import Membership

_seq = itertools.count(1)
LOGO_PNG = bytes.fromhex(  # a 2x1 PNG: the smallest logo the image check takes
    "89504e470d0a1a0a0000000d49484452000000020000000108020000007b40e8dd0000000f49444154789c6314b159c0c0c0"
    "0000043200f2aa6ee39f0000000049454e44ae426082"
)


def build(owner: Membership, objects: dict) -> dict:
    from tests.factories import make_user

    target = Membership.objects.create(org=owner.org, user=make_user(), role="viewer")
    tax_id = services.tax_id_create(actor=owner, kind="ABN", country="AU", value="51 824 753 556")
    role = services.role_create(actor=owner, name=f"Inspector {next(_seq)}", permissions=["catalog.view"])
    invitation = services.invitation_create(
        actor=owner, email=f"invitee{next(_seq)}@example.com", role="viewer", base_url="http://testserver/"
    )
    key, _ = account_services.api_key_create(actor=owner, name="ERP link", scopes={"audit": "read"})
    logo = SimpleUploadedFile("logo.png", LOGO_PNG)  # printed on every document of the world
    services.organization_logo_set(actor=owner, org=owner.org, upload=logo)
    return {
        "core.membership": target,
        "core.taxidentifier": tax_id,
        "core.role": role,
        "core.invitation": invitation,
        "accounts.apikey": key,
    }


def grow(owner: Membership, objects: dict, n: int) -> None:
    """``n`` more of every listed platform object."""
    from tests.factories import make_user

    for _ in range(n):
        k = next(_seq)
        Membership.objects.create(org=owner.org, user=make_user(), role="planner")
        services.role_create(actor=owner, name=f"Role {k}", permissions=["catalog.view", "inventory.view"])
        services.invitation_create(
            actor=owner, email=f"grown{k}@example.com", role="viewer", base_url="http://testserver/"
        )
        account_services.api_key_create(actor=owner, name=f"Link {k}", scopes={"catalog": "read"})
