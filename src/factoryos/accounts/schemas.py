from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, Field
from pydantic_core import PydanticCustomError

from factoryos.accounts.models import ApiKey, User
from factoryos.kernel.limits import of
from factoryos.kernel.schemas import bodies


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59:59-14:00 is past the last datetime in UTC
        raise PydanticCustomError("datetime_out_of_range", "The date is out of range.") from None


# A moment: with its UTC offset (a naive one is ambiguous and cannot be compared), stored and answered in UTC.
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]


class MembershipBrief(Schema):
    organization_id: int
    organization: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    phone: str
    job_title: str
    department: str
    has_photo: bool
    organization_id: int
    role: str
    permissions: list[str]
    memberships: list[MembershipBrief]


class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: dict[str, str]
    created_by: str = Field(validation_alias="created_by.user.email", description="the email of who made it")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    last_used_ip: str | None
    revoked_at: datetime | None


class ApiKeyIn(Schema):
    name: Annotated[str, Field(**of(ApiKey, "name").pydantic(), examples=["ERP link"])]
    scopes: dict[str, str] = Field(
        description='module -> "read" | "write", e.g. {"audit": "read"}', examples=[{"audit": "read"}]
    )
    expires_at: UtcDatetime | None = Field(None, description="with its UTC offset, e.g. 2030-01-31T00:00:00Z")


class ApiKeyCreated(ApiKeyOut):
    token: str = Field(description="Shown once. Send as 'Authorization: Bearer <token>'.")


_, MePatch = bodies(User, ("first_name", "last_name", "phone", "job_title", "department"), name="Me")
