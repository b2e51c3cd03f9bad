"""``livechat/analytics/overview``, ``livechat/analytics/agent-overview`` (managers).

Source: ``apps/meteor/app/livechat/server/api/v1/statistics.ts`` (``permissionsRequired:
['view-livechat-manager']``, ``isLivechatAnalyticsOverviewProps`` /
``isLivechatAnalyticsAgentOverviewProps``); the numbers: :mod:`..services.analytics`.
"""

from __future__ import annotations

from typing import Any

from ..api import Context, Result, RouteGroup
from ..errors import PlainError
from ..responses import json_response
from ..services import analytics
from ..validation import STRING, obj

routes = RouteGroup()

_MANAGER = ("view-livechat-manager",)
OVERVIEW_QUERY = obj(
    {
        "name": STRING,
        "from": STRING,
        "to": STRING,
        "departmentId": {"type": "string", "nullable": True},
    },
    ("name", "from", "to"),
)


def _args(ctx: Context) -> tuple[str, str, str, str | None]:
    p: dict[str, Any] = ctx.params
    if not p["name"]:
        raise PlainError("invalid-chart-name")
    return p["name"], p["from"], p["to"], p.get("departmentId")


@routes.get("livechat/analytics/overview", auth=True, permissions=_MANAGER, schema=OVERVIEW_QUERY)
async def overview(ctx: Context) -> Result:
    """The answer is the bare list of ``{title, value}`` (``API.v1.success(array)``), or only
    ``{success: true}`` when the name or the dates are not usable."""
    found = analytics.overview(ctx.state, *_args(ctx))
    return {} if found is None else json_response(found)


@routes.get(
    "livechat/analytics/agent-overview", auth=True, permissions=_MANAGER, schema=OVERVIEW_QUERY
)
async def agent_overview(ctx: Context) -> Result:
    return analytics.agent_overview(ctx.state, *_args(ctx)) or {}
