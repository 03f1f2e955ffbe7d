from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from factoryos.core.models import DataRegion

# A built-in role key (owner, admin, ...) or custom:<role id>; ASCII digits only, as the services parse the id.
ROLE_PATTERN = r"^(?:[a-z]+|custom:[0-9]{1,18})$"
ROLE_DESCRIPTION = "a built-in role (owner, admin, ...) or custom:<role id>"


class TaxIdOut(Schema):
    id: int
    kind: str
    country: str
    value: str


class TaxIdIn(Schema):
    kind: str = Field(max_length=8, examples=["ABN"], description="ABN, ACN, EIN, VAT, GST or OTHER")
    country: str = Field(max_length=2, examples=["AU"])
    value: str = Field(max_length=64, examples=["51 824 753 556"])


class TaxIdPatch(Schema):
    kind: str | None = Field(None, max_length=8)
    country: str | None = Field(None, max_length=2)
    value: str | None = Field(None, max_length=64)


class OrganizationOut(Schema):
    id: int
    legal_name: str
    trading_name: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    postcode: str
    country: str
    data_region: DataRegion
    time_zone: str
    currency: str
    created_at: datetime


class OrganizationPatch(Schema):
    legal_name: str | None = Field(None, min_length=1, max_length=200)
    trading_name: str | None = Field(None, max_length=200)
    address_line1: str | None = Field(None, max_length=200)
    address_line2: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=100)
    state: str | None = Field(None, max_length=100)
    postcode: str | None = Field(None, max_length=20)
    country: str | None = Field(None, min_length=2, max_length=2)
    data_region: DataRegion | None = None
    time_zone: str | None = Field(None, max_length=64)
    currency: str | None = Field(None, min_length=3, max_length=3)


class MemberOut(Schema):
    id: int
    user_id: int
    email: str
    first_name: str
    last_name: str
    role: str
    role_label: str
    joined_at: datetime


class MemberPatch(Schema):
    role: str = Field(max_length=40, pattern=ROLE_PATTERN, examples=["viewer"], description=ROLE_DESCRIPTION)


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    role_label: str
    status: str
    created_at: datetime
    expires_at: datetime


class InvitationIn(Schema):
    email: str = Field(max_length=254, examples=["new.colleague@example.com"])
    role: str = Field(max_length=40, pattern=ROLE_PATTERN, examples=["viewer"], description=ROLE_DESCRIPTION)


class RoleOut(Schema):
    key: str
    id: int | None
    name: str
    description: str
    permissions: list[str]
    builtin: bool


class RoleIn(Schema):
    name: str = Field(max_length=80, examples=["Quality inspector"])
    description: str = Field("", max_length=300)
    permissions: list[str] = Field(examples=[["catalog.view"]])


class RolePatch(Schema):
    name: str | None = Field(None, max_length=80)
    description: str | None = Field(None, max_length=300)
    permissions: list[str] | None = None
