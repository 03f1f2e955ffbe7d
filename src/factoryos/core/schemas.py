from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from factoryos.core import services as f  # the fields each service takes
from factoryos.core.models import Organization, Role, TaxIdentifier
from factoryos.kernel.permissions import PERMISSIONS
from factoryos.kernel.schemas import bodies, reply

# A built-in role key (owner, admin, ...) or custom:<role id>; ASCII digits only, as the services parse the id.
ROLE_PATTERN = r"^(?:[a-z]+|custom:[0-9]{1,18})$"
ROLE_DESCRIPTION = "a built-in role (owner, admin, ...) or custom:<role id>"


# What the API shows and changes of the organization (whether stock may go negative is not the API's to change).
PROFILE = ("legal_name", "trading_name", "address_line1", "address_line2", "city", "state", "postcode", "country")
PROFILE += ("data_region", "time_zone", "currency")
TaxIdOut = reply(TaxIdentifier, f.TaxIdFields, name="TaxId")
OrganizationOut = reply(Organization, PROFILE, "created_at", extra={"has_logo": bool})


class MemberOut(Schema):
    id: int
    user_id: int
    email: str = Field(validation_alias="user.email")
    first_name: str = Field(validation_alias="user.first_name")
    last_name: str = Field(validation_alias="user.last_name")
    role: str = Field(validation_alias="role_key", description=ROLE_DESCRIPTION)
    role_label: str
    joined_at: datetime


class MemberPatch(Schema):
    role: str = Field(max_length=40, pattern=ROLE_PATTERN, examples=["viewer"], description=ROLE_DESCRIPTION)


class InvitationOut(Schema):
    id: int
    email: str
    role: str = Field(validation_alias="role_key", description=ROLE_DESCRIPTION)
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
    builtin: bool = False


TaxIdIn, TaxIdPatch = bodies(TaxIdentifier, f.TaxIdFields)
_, OrganizationPatch = bodies(Organization, PROFILE)
Permissions = Annotated[list[str], Field(max_length=len(PERMISSIONS), examples=[["catalog.view"]])]
RoleIn, RolePatch = bodies(
    Role,
    f.RoleFields,
    required=("name", "permissions"),
    override={"permissions": Permissions},
)
