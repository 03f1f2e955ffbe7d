"""Reads of the organization's members, invitations, roles and tax identifiers (each a Reader: see
kernel/reads.py), for the pages and the API alike."""

from __future__ import annotations

from factoryos.core import filters
from factoryos.core.models import Invitation, Membership, Role, TaxIdentifier
from factoryos.kernel.reads import Reader

members = Reader(
    Membership,
    queryset=lambda: Membership.objects.filter(is_active=True).select_related("user", "custom_role"),
    filterset=filters.MemberFilterSet,
)
invitations = Reader(
    Invitation,
    queryset=lambda: Invitation.objects.select_related("custom_role"),
    filterset=filters.InvitationFilterSet,
)
roles = Reader(Role, filterset=filters.RoleFilterSet)
tax_ids = Reader(TaxIdentifier, filterset=filters.TaxIdFilterSet)
