"""``GET /api/info`` (outside ``/api/v1``).

As ``apps/meteor/app/api/server/lib/getServerInfo.ts``: everyone gets ``version``; a user with
``view-statistics`` (admins, ``get-server-info`` in older lines) also gets the ``info`` object
(``Info`` of ``rocketchat.info``: version, build, commit, marketplace API version) and
``minimumClientVersions``. The credentials are the usual ``X-User-Id`` / ``X-Auth-Token``.
"""

from __future__ import annotations

import os
import platform
import sys
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .. import auth
from ..responses import json_response
from ..state import ServerState

#: ``minimumClientVersions`` of ``rocketchat.info``
MINIMUM_CLIENT_VERSIONS = {"desktop": "3.9.6", "mobile": "4.39.0"}


def server_info(version: str) -> dict[str, Any]:
    """The ``info`` object: Rocket.Chat's ``Info``, filled in for this process."""
    return {
        "version": version,
        "build": {
            "date": "2025-09-01T00:00:00.000Z",
            "nodeVersion": f"python-{sys.version.split()[0]}",
            "arch": platform.machine(),
            "platform": sys.platform,
            "osRelease": platform.release(),
            "totalMemory": 0,
            "freeMemory": 0,
            "cpus": os.cpu_count() or 1,
        },
        "marketplaceApiVersion": "1.53.0",
        "commit": {},
    }


async def info(request: Request) -> Response:
    """``{"version": …, "success": true}``, plus ``info`` for a user who may view statistics."""
    state: ServerState = request.app.state.livechat
    user = auth.authenticate(
        state.store, request.headers.get("x-user-id"), request.headers.get("x-auth-token")
    )
    body: dict[str, Any] = {"version": state.line.full_version}
    if auth.has_permission(user, "view-statistics"):
        body["info"] = server_info(state.line.full_version)
        body["minimumClientVersions"] = MINIMUM_CLIENT_VERSIONS
    return json_response({**body, "success": True})
