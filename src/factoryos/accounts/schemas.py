from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


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


class MePatch(Schema):
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=40)
    job_title: str | None = Field(None, max_length=100)
    department: str | None = Field(None, max_length=100)


class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: dict[str, str]
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    last_used_ip: str | None
    revoked_at: datetime | None


class ApiKeyIn(Schema):
    name: str = Field(max_length=100)
    scopes: dict[str, str] = Field(description='module -> "read" | "write", e.g. {"audit": "read"}')
    expires_at: datetime | None = None


class ApiKeyCreated(ApiKeyOut):
    token: str = Field(description="Shown once. Send as 'Authorization: Bearer <token>'.")
