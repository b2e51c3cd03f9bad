"""Login, logout and the server's version."""

from __future__ import annotations

import re
from typing import Any

from ...errors import UnexpectedResponseError
from ...models import LoginResult
from .. import validation as v
from ..request import Call, Request


def login(username: str, password: str) -> Call[LoginResult]:
    body = {
        "user": v.required_str("username", username),
        "password": v.required_str("password", password),
    }
    return Call(Request("POST", "login", "login", json=body), LoginResult.from_response)


def logout() -> Call[Any]:
    return Call(Request("POST", "logout", "logout", auth="user"), lambda body: body)


def server_info() -> Call[tuple[int, ...]]:
    """``GET /api/info`` → the server version as a tuple, e.g. ``(7, 10, 0)``."""
    request = Request("GET", "info", "info", idempotent=True, api_prefix="api/")
    return Call(request, parse_version)


def parse_version(body: Any) -> tuple[int, ...]:
    version = body.get("version") if isinstance(body, dict) else None
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", version) if isinstance(version, str) else None
    if match is None:
        raise UnexpectedResponseError(
            "unexpected response: no server version", code=200, details=body
        )
    return tuple(int(part) for part in match.groups(default="0"))
