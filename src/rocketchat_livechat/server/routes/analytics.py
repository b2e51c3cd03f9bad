"""``livechat/analytics/overview``, ``agent-overview`` and ``dashboards/*`` (managers).

Source: ``apps/meteor/app/livechat/server/api/v1/statistics.ts`` (``permissionsRequired:
['view-livechat-manager']``, ``isLivechatAnalyticsOverviewProps`` /
``isLivechatAnalyticsAgentOverviewProps``); the numbers: :mod:`..services.analytics`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ..api import Context, Result, RouteGroup
from ..errors import Failure, PlainError
from ..responses import json_response
from ..services import analytics, chart_data, dashboards
from ..state import ServerState
from ..validation import STRING, obj, rest_typings

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


# --- dashboards (``apps/meteor/app/livechat/imports/server/rest/dashboards.ts``) -------------

DASHBOARD_QUERY = obj(
    {"start": STRING, "end": STRING, "departmentId": {"type": "string", "nullable": True}},
    ("start", "end"),
)
AGENT_STATUS_QUERY = obj({"departmentId": {"type": "string", "nullable": True}}, additional=True)
_DashboardFn = Callable[[ServerState, datetime, datetime, str | None], dict[str, Any]]


def _instant(text: str, name: str) -> datetime:
    """``Date.parse`` (ISO 8601 forms) or Rocket.Chat's failure text."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Failure(f'The "{name}" query parameter must be a valid date.') from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _dashboard(path: str, compute: _DashboardFn) -> None:
    async def handler(ctx: Context) -> Result:
        start = _instant(ctx.params["start"], "start")
        end = _instant(ctx.params["end"], "end")
        return compute(ctx.state, start, end, ctx.params.get("departmentId"))

    handler.__name__ = path.replace("/", "_").replace("-", "_")
    routes.get(
        f"livechat/analytics/dashboards/{path}",
        auth=True,
        permissions=_MANAGER,
        schema=DASHBOARD_QUERY,
    )(handler)


for _path, _compute in (
    ("conversation-totalizers", dashboards.conversation_totalizers),
    ("agents-productivity-totalizers", dashboards.agents_productivity_totalizers),
    ("chats-totalizers", dashboards.chats_totalizers),
    ("productivity-totalizers", dashboards.productivity_totalizers),
    ("charts/chats", dashboards.chats),
    ("charts/chats-per-agent", dashboards.chats_per_agent),
    ("charts/chats-per-department", dashboards.chats_per_department),
    ("charts/timings", dashboards.timings),
):
    _dashboard(_path, _compute)


@routes.get(
    "livechat/analytics/dashboards/charts/agents-status",
    auth=True,
    permissions=_MANAGER,
    schema=AGENT_STATUS_QUERY,
)
async def agents_status(ctx: Context) -> Result:
    """``{success: true}`` alone when no agent matches (the aggregation's ``[0]`` is undefined)."""
    return dashboards.agents_status(ctx.state, ctx.params.get("departmentId")) or {}


CHART_DATA_QUERY = rest_typings("isGETLivechatAnalyticsDashboardsChartDataParams")


@routes.get(
    "livechat/analytics/dashboards/charts-data",
    auth=True,
    permissions=_MANAGER,
    schema=CHART_DATA_QUERY,
    typed=True,
)
async def charts_data(ctx: Context) -> Result:
    """``apps/meteor/server/api/v1/omnichannel/dashboards.ts`` (a typed route)."""
    p: dict[str, Any] = ctx.params
    return chart_data.chart_data(
        ctx.state, p["chartName"], p["start"], p["end"], p.get("departmentId")
    )
