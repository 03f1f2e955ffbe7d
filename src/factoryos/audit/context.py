"""Who is acting, from where: the request facts every audit event carries."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ua_parser import parse as parse_ua


@dataclass(frozen=True)
class AuditContext:
    actor_user_id: int | None = None
    actor_api_key_id: int | None = None
    actor_label: str = ""
    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""
    referrer: str = ""
    path: str = ""
    method: str = ""
    person_id: int | None = None  # the user behind the request: the member, or the creator of the API key used
    permissions: frozenset[str] = frozenset()  # what the acting member (or key) may do: decides what the trail shows


SYSTEM = AuditContext(actor_label="system")
_context: ContextVar[AuditContext | None] = ContextVar("factoryos_audit", default=None)


def key_label(key: Any) -> str:
    """How the trail names an API key that acts."""
    return f"API key {key.name}"


def as_member(actor: Any, **facts: Any) -> AuditContext:
    """The context of work done for a member outside their request (a background job, a command): the member, or
    the API key they act through (``acting_key``), with ``facts`` of where it was asked from."""
    key = getattr(actor, "acting_key", None)
    if key is not None:
        return AuditContext(actor_api_key_id=key.pk, actor_label=key_label(key), person_id=actor.user_id, **facts)
    return AuditContext(actor_user_id=actor.user_id, actor_label=actor.user.email, person_id=actor.user_id, **facts)


def get() -> AuditContext:
    return _context.get() or SYSTEM


def update(**changes: Any) -> None:
    _context.set(replace(get(), **changes))


def activate(ctx: AuditContext) -> Token:
    return _context.set(ctx)


def deactivate(token: Token) -> None:
    _context.reset(token)


@contextlib.contextmanager
def bind(ctx: AuditContext) -> Iterator[AuditContext]:
    token = activate(ctx)
    try:
        yield ctx
    finally:
        deactivate(token)


def client_ip(request) -> str | None:
    """The client address. Behind a proxy, set TRUSTED_PROXY_COUNT so X-Forwarded-For is believed that far."""
    from django.conf import settings

    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= trusted:
            return hops[-trusted]
    return request.META.get("REMOTE_ADDR") or None


def from_request(request) -> AuditContext:
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    membership = getattr(request, "membership", None)
    return AuditContext(
        actor_user_id=user.pk if authenticated else None,
        actor_label=user.email if authenticated else "",
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:512],
        request_id=getattr(request, "request_id", ""),
        referrer=request.META.get("HTTP_REFERER", "")[:512],
        path=request.path[:512],
        method=request.method or "",
        person_id=user.pk if authenticated else None,
        permissions=membership.permissions if membership is not None else frozenset(),
    )


@dataclass(frozen=True)
class ParsedAgent:
    browser: str
    browser_version: str
    os: str
    device: str


@lru_cache(maxsize=2048)
def parse_agent(user_agent: str) -> ParsedAgent:
    """Browser + version, OS and device from a user agent (ua-parser, the maintained uap-core rules)."""
    if not user_agent:
        return ParsedAgent("", "", "", "")
    result = parse_ua(user_agent)
    ua, os_, device = result.user_agent, result.os, result.device
    version = ".".join(p for p in (ua.major, ua.minor) if p) if ua else ""
    os_name = " ".join(p for p in (os_.family, os_.major) if p) if os_ else ""
    return ParsedAgent(
        browser=ua.family if ua else "Other",
        browser_version=version,
        os=os_name or "Other",
        device=device.family if device else "Other",
    )
