"""JSON responses with Rocket.Chat's conventions: ISO dates with milliseconds, no-cache headers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

NO_CACHE_HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def iso(value: datetime) -> str:
    """``2024-10-15T02:52:42.123Z`` (UTC, millisecond precision)."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# documents are trees (no reference cycles): no circular check
_ENCODER = json.JSONEncoder(
    default=_default, separators=(",", ":"), ensure_ascii=False, check_circular=False
)


def dumps(body: Any) -> bytes:
    """Serialise a response body (dates as ISO strings)."""
    return _ENCODER.encode(body).encode()


class JSONResponse(Response):
    """A JSON response rendered with :func:`dumps`."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)


def json_response(
    body: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A JSON response carrying the no-cache headers."""
    return JSONResponse(body, status_code=status, headers={**NO_CACHE_HEADERS, **(headers or {})})
