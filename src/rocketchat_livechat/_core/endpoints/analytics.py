"""Omnichannel analytics (managers: ``view-livechat-manager``).

Source: ``apps/meteor/app/livechat/server/api/v1/statistics.ts`` and
``apps/meteor/server/services/omnichannel-analytics/``. Rocket.Chat computes these from the rooms
created between the two dates (whole days in the reporting time zone) and caches each answer for
60 s. The enterprise-only ``analytics/dashboards/conversations-by-*`` reports are not declared.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Unpack

from ...errors import UnexpectedResponseError
from ...models import AgentOverview, OverviewItem
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..parsing import Parser

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
    return [OverviewItem.model_validate(item) for item in body]


def _agent_overview(body: Any) -> AgentOverview | None:
    if not isinstance(body, dict):
        raise UnexpectedResponseError("unexpected response: not an object", code=200, details=body)
    if "head" not in body:
        return None
    return AgentOverview.model_validate(body)


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
