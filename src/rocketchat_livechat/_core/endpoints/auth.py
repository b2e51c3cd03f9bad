"""Login, logout and the server's version (methods of the client itself)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Unpack

from ...errors import UnexpectedResponseError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model, resolve
from ..parsing import Parser

if TYPE_CHECKING:
    from ...models import LoginResult
else:
    LoginResult = lazy_model("LoginResult")


def parse_version(body: Any) -> tuple[int, ...]:
    version = body.get("version") if isinstance(body, dict) else None
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", version) if isinstance(version, str) else None
    if match is None:
        raise UnexpectedResponseError(
            "unexpected response: no server version", code=200, details=body
        )
    return tuple(int(part) for part in match.groups(default="0"))


_LOGIN_ANSWER = {"status": "success", "data": {"userId": "u1", "authToken": "secret-token"}}


@endpoint(
    "POST",
    "login",
    parse=Parser(lambda body: resolve(LoginResult).from_response(body), "LoginResult"),
    secret=("password",),
    samples=[Sample(("bob", "pa55"), response=_LOGIN_ANSWER)],
)
def login(username: str, password: str, **options: Unpack[CallOptions]) -> Parts:
    """Log in as an agent/manager; later agent-side calls use this session."""
    return Parts(
        json={
            "user": v.required_str("username", username),
            "password": v.required_str("password", password),
        }
    )


@endpoint("POST", "logout", parse=parsing.nothing, auth="user", samples=[Sample()])
def logout(**options: Unpack[CallOptions]) -> Parts:
    """End the user session (no-op when not logged in)."""
    return Parts()


@endpoint(
    "GET",
    "info",
    parse=Parser(parse_version, "tuple[int, ...]"),
    idempotent=True,
    api_prefix="api/",
    samples=[Sample(response={"version": "7.10.0", "success": True})],
)
def server_version(**options: Unpack[CallOptions]) -> Parts:
    """The server's version from ``GET /api/info`` (e.g. ``(7, 10, 0)``), fetched once per
    client."""
    return Parts()
