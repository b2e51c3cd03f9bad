"""Omnichannel analytics (managers: ``view-livechat-manager``).

Source: ``apps/meteor/app/livechat/server/api/v1/statistics.ts`` and
``apps/meteor/server/services/omnichannel-analytics/``. Rocket.Chat computes these from the rooms
created between the two dates (whole days in the reporting time zone) and caches each answer for
60 s (the dashboards: 5 s). The enterprise-only ``analytics/dashboards/conversations-by-*``
reports, ``analytics/agents/*`` and ``analytics/departments/*`` are not declared.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Unpack

from ...errors import UnexpectedResponseError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ..parsing import Parser, _validate

if TYPE_CHECKING:
    from ...models import (
        AgentChats,
        AgentOverview,
        AgentsStatus,
        ChartData,
        ChatsChart,
        DepartmentChats,
        OverviewItem,
        Timings,
    )
else:
    AgentChats = lazy_model("AgentChats")
    AgentOverview = lazy_model("AgentOverview")
    AgentsStatus = lazy_model("AgentsStatus")
    ChartData = lazy_model("ChartData")
    ChatsChart = lazy_model("ChatsChart")
    DepartmentChats = lazy_model("DepartmentChats")
    OverviewItem = lazy_model("OverviewItem")
    Timings = lazy_model("Timings")

OverviewName = Literal["Conversations", "Productivity"]
AgentOverviewName = Literal[
    "Total_conversations",
    "Avg_chat_duration",
    "Total_messages",
    "Avg_first_response_time",
    "Best_first_response_time",
    "Avg_response_time",
    "Avg_reaction_time",
]
#: ``charts-data`` (``ChartData.isActionAllowed``) allows the agent overview's seven names
ChartName = AgentOverviewName
OVERVIEW_NAMES = ("Conversations", "Productivity")
AGENT_OVERVIEW_NAMES = (
    "Total_conversations",
    "Avg_chat_duration",
    "Total_messages",
    "Avg_first_response_time",
    "Best_first_response_time",
    "Avg_response_time",
    "Avg_reaction_time",
)


def _overview_items(body: Any) -> list[OverviewItem]:
    """The bare list, or ``[]`` for the ``{success: true}`` Rocket.Chat answers when it cannot
    compute one (unknown name, unreadable dates)."""
    if isinstance(body, dict):
        return []
    if not isinstance(body, list):
        raise UnexpectedResponseError("unexpected response: not a list", code=200, details=body)
    return [_validate(OverviewItem, item, body) for item in body]


def _agent_overview(body: Any) -> AgentOverview | None:
    if not isinstance(body, dict):
        raise UnexpectedResponseError("unexpected response: not an object", code=200, details=body)
    if "head" not in body:
        return None
    return _validate(AgentOverview, body, body)


_DAY = "2024-10-01"
_TO = "2024-10-31"


def _params(name: str, start: object, end: object, department_id: object) -> Parts:
    return Parts(
        params={
            "name": name,
            "from": _date("start", start),
            "to": _date("end", end),
            "departmentId": v.optional_str("department_id", department_id),
        },
        arguments={"from": "start", "to": "end"},
    )


def _date(name: str, value: object) -> str:
    """A day (``YYYY-MM-DD`` or an ISO timestamp; a datetime gives its date)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d")
    return v.required_str(name, value)


@endpoint(
    "GET",
    "livechat/analytics/overview",
    parse=Parser(_overview_items, "list[OverviewItem]"),
    auth="user",
    idempotent=True,
    schema="isLivechatAnalyticsOverviewProps",
    samples=[
        Sample(
            ("Conversations", _DAY, _TO),
            response=[
                {"title": "Total_conversations", "value": 3},
                {"title": "Busiest_day", "value": "Tuesday"},
                {"title": "Conversations_per_day", "value": "0.10"},
            ],
        ),
        Sample(
            ("Productivity", _DAY, _TO),
            {"department_id": "dep-1"},
            response=[{"title": "Avg_response_time", "value": "00:00:12"}],
        ),
    ],
)
def get_overview(
    name: OverviewName,
    start: str | datetime,
    end: str | datetime,
    *,
    department_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """The analytics overview of the conversations started from ``start``'s day to ``end``'s:
    ``Conversations`` (totals, open, on hold, messages, busiest day and hour, per day) or
    ``Productivity`` (average response, first response and reaction times)."""
    return _params(v.one_of("name", name, OVERVIEW_NAMES), start, end, department_id)


@endpoint(
    "GET",
    "livechat/analytics/agent-overview",
    parse=Parser(_agent_overview, "AgentOverview | None"),
    auth="user",
    idempotent=True,
    schema="isLivechatAnalyticsAgentOverviewProps",
    samples=[
        Sample(
            ("Total_conversations", _DAY, _TO),
            response={
                "head": [{"name": "Agent"}, {"name": "%_of_conversations"}],
                "data": [{"name": "jane", "value": "100.00%"}],
            },
        ),
        Sample(("Avg_chat_duration", _DAY, _TO), {"department_id": "dep-1"}),
    ],
)
def get_agent_overview(
    name: AgentOverviewName,
    start: str | datetime,
    end: str | datetime,
    *,
    department_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One figure per agent over the conversations started from ``start``'s day to ``end``'s
    (share of conversations, average chat duration, messages, first/average response and
    reaction times); ``None`` when the server cannot compute it."""
    return _params(v.one_of("name", name, AGENT_OVERVIEW_NAMES), start, end, department_id)


# --- dashboards (``apps/meteor/app/livechat/imports/server/rest/dashboards.ts``) -------------

_START = "2024-10-01T00:00:00.000Z"
_END = "2024-10-31T23:59:59.999Z"
_TOTALIZERS = parsing.list_under(OverviewItem, "totalizers")


def _window(start: object, end: object, department_id: object) -> Parts:
    return Parts(
        params={
            "start": _instant("start", start),
            "end": _instant("end", end),
            "departmentId": v.optional_str("department_id", department_id),
        }
    )


def _instant(name: str, value: object) -> str:
    """An ISO instant (a datetime is rendered as Rocket.Chat's ISO format)."""
    if isinstance(value, datetime):
        return v.iso_timestamp(value)
    return v.required_str(name, value)


def _totalizer_samples(*titles: str) -> list[Sample]:
    answer = {"totalizers": [{"title": t, "value": 0} for t in titles]}
    return [
        Sample((_START, _END), response=answer),
        Sample((_START, _END), {"department_id": "dep-1"}, response=answer),
    ]


def _by_key(model: Any) -> Parser[Any]:
    def parse(body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise UnexpectedResponseError(
                "unexpected response: not an object", code=200, details=body
            )
        return {k: _validate(model, x, body) for k, x in body.items() if k != "success"}

    return Parser(parse, f"dict[str, {model.__name__}]")


def _whole_or_none(model: Any) -> Parser[Any]:
    def parse(body: Any) -> Any:
        data = {k: x for k, x in body.items() if k != "success"} if isinstance(body, dict) else body
        return _validate(model, data, body) if data else None

    return Parser(parse, f"{model.__name__} | None")


_DASHBOARD = {"auth": "user", "idempotent": True, "schema": "isGETDashboardTotalizerParams"}


@endpoint(
    "GET",
    "livechat/analytics/dashboards/conversation-totalizers",
    parse=_TOTALIZERS,
    samples=_totalizer_samples("Total_conversations", "Total_visitors"),
    **_DASHBOARD,  # type: ignore[arg-type]
)
def get_conversation_totalizers(
    start: str | datetime,
    end: str | datetime,
    *,
    department_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Conversations, open, on hold, messages (whole days) and visitors active between the two
    instants."""
    return _window(start, end, department_id)


@endpoint(
    "GET",
    "livechat/analytics/dashboards/agents-productivity-totalizers",
    parse=_TOTALIZERS,
    samples=_totalizer_samples("Busiest_time", "Avg_of_service_time"),
    **_DASHBOARD,  # type: ignore[arg-type]
)
def get_agents_productivity_totalizers(
    start: str | datetime,
    end: str | datetime,
    *,
    department_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Busiest time, the agents' average available time and average service time."""
    return _window(start, end, department_id)


@endpoint(
    "GET",
    "livechat/analytics/dashboards/chats-totalizers",
    parse=_TOTALIZERS,
    samples=_totalizer_samples("Total_abandoned_chats", "Avg_of_chat_duration_time"),
    **_DASHBOARD,  # type: ignore[arg-type]
)
def get_chats_totalizers(
    start: str | datetime,
    end: str | datetime,
    *,
    department_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Abandoned chats, their average share per department, average chat duration."""
    return _window(start, end, department_id)


@endpoint(
    "GET",
    "livechat/analytics/dashboards/productivity-totalizers",
    parse=_TOTALIZERS,
    samples=_totalizer_samples("Avg_response_time", "Avg_of_waiting_time"),
    **_DASHBOARD,  # type: ignore[arg-type]
)
def get_productivity_totalizers(
    start: str | datetime,
    end: str | datetime,
    *,
    department_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Average response, first response, reaction and waiting times."""
    return _window(start, end, department_id)


@endpoint(
    "GET",
    "livechat/analytics/dashboards/charts/chats",
    parse=parsing.whole(ChatsChart),
    samples=[
        Sample((_START, _END), response={"open": 1, "closed": 2, "queued": 0, "onhold": 0}),
        Sample((_START, _END), {"department_id": "dep-1"}, response={"open": 0}),
    ],
    **_DASHBOARD,  # type: ignore[arg-type]
)
def get_chats_chart(
    start: str | datetime,
    end: str | datetime,
    *,
    department_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Chats created between the two instants: served and open, closed, queued, on hold."""
    return _window(start, end, department_id)


@endpoint(
    "GET",
    "livechat/analytics/dashboards/charts/chats-per-agent",
    parse=_by_key(AgentChats),
    samples=[
        Sample((_START, _END), response={"jane": {"open": 1, "closed": 0, "onhold": 0}}),
        Sample((_START, _END), {"department_id": "dep-1"}, response={}),
    ],
    **_DASHBOARD,  # type: ignore[arg-type]
)
def get_chats_per_agent_chart(
    start: str | datetime,
    end: str | datetime,
    *,
    department_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Open, closed and on-hold chats per agent username."""
    return _window(start, end, department_id)


@endpoint(
    "GET",
    "livechat/analytics/dashboards/charts/chats-per-department",
    parse=_by_key(DepartmentChats),
    samples=[
        Sample((_START, _END), response={"Sales": {"open": 1, "closed": 3}}),
        Sample((_START, _END), {"department_id": "dep-1"}, response={}),
    ],
    **_DASHBOARD,  # type: ignore[arg-type]
)
def get_chats_per_department_chart(
    start: str | datetime,
    end: str | datetime,
    *,
    department_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Open and closed chats per department name."""
    return _window(start, end, department_id)


@endpoint(
    "GET",
    "livechat/analytics/dashboards/charts/timings",
    parse=parsing.whole(Timings),
    samples=[
        Sample(
            (_START, _END),
            response={
                "response": {"avg": 3, "longest": 9.5},
                "reaction": {"avg": 2, "longest": 4},
                "chatDuration": {"avg": 60, "longest": 120},
            },
        ),
        Sample((_START, _END), {"department_id": "dep-1"}),
    ],
    **_DASHBOARD,  # type: ignore[arg-type]
)
def get_timings_chart(
    start: str | datetime,
    end: str | datetime,
    *,
    department_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Average and longest first response, reaction and chat duration (seconds)."""
    return _window(start, end, department_id)


@endpoint(
    "GET",
    "livechat/analytics/dashboards/charts/agents-status",
    parse=_whole_or_none(AgentsStatus),
    auth="user",
    idempotent=True,
    schema="isGETDashboardsAgentStatusParams",
    samples=[
        Sample(response={"offline": 1, "away": 0, "busy": 0, "available": 2}),
        Sample((), {"department_id": "dep-1"}),
    ],
)
def get_agents_status_chart(
    *, department_id: str | None = None, **options: Unpack[CallOptions]
) -> Parts:
    """Livechat agents (of a department) by presence; ``None`` when there is no such agent."""
    return Parts(params={"departmentId": v.optional_str("department_id", department_id)})


@endpoint(
    "GET",
    "livechat/analytics/dashboards/charts-data",
    parse=parsing.whole(ChartData),
    auth="user",
    idempotent=True,
    schema="isGETLivechatAnalyticsDashboardsChartDataParams",
    samples=[
        Sample(
            ("Total_conversations", _DAY, _TO),
            response={
                "chartLabel": "Total_conversations",
                "dataLabels": ["10/1", "10/2"],
                "dataPoints": [3, 0],
            },
        ),
        Sample(
            ("Avg_chat_duration", _DAY, _DAY),
            {"department_id": "dep-1"},
            response={"chartLabel": "Avg_chat_duration", "dataLabels": [], "dataPoints": []},
        ),
    ],
)
def get_chart_data(
    name: ChartName,
    start: str | datetime,
    end: str | datetime,
    *,
    department_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One figure per day from ``start``'s day to ``end``'s, or per hour when they are the same
    day: conversations started, agents' messages, or the average chat duration, first response,
    best first response, response and reaction times (seconds) of those conversations."""
    return Parts(
        params={
            "chartName": v.one_of("name", name, AGENT_OVERVIEW_NAMES),
            "start": _date("start", start),
            "end": _date("end", end),
            "departmentId": v.optional_str("department_id", department_id),
        },
        arguments={"chartName": "name"},
    )
