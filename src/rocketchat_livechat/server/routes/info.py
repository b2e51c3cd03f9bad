"""``GET /api/info`` (outside ``/api/v1``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..responses import json_response

VERSION = "7.10.0"


async def info(request: Request) -> Response:
    """``{"version": "7.10.0", "success": true}``."""
    return json_response({"version": VERSION, "success": True})
