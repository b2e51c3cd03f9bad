"""Omnichannel analytics answers (``livechat/analytics/*``)."""

from __future__ import annotations

from pydantic import Field

from ._base import RocketChatModel

__all__ = [
    "AgentChats",
    "AgentOverview",
    "AgentOverviewColumn",
    "AgentOverviewRow",
    "AgentsStatus",
    "ChartData",
    "ChatsChart",
    "DepartmentChats",
    "OverviewItem",
    "Timing",
    "Timings",
]


class OverviewItem(RocketChatModel):
    """One figure of ``livechat/analytics/overview``: ``title`` is a translation key
    (``Total_conversations``, ``Busiest_day``, ``Avg_response_time``...), ``value`` a number or a
    display text (``"0.50"``, ``"Tuesday"``, ``"00:01:05"``, ``"-"``)."""

    title: str
    value: str | int | float | None = None


class AgentOverviewColumn(RocketChatModel):
    """A column title of the agent overview table (``Agent``, then the chosen figure)."""

    name: str


class AgentOverviewRow(RocketChatModel):
    """One agent's figure: ``name`` is the username, ``value`` a count, ``"12.50%"`` or
    ``"HH:MM:SS"``."""

    name: str
    value: str | int | float | None = None


class AgentOverview(RocketChatModel):
    """``livechat/analytics/agent-overview``: a two-column table, sorted as Rocket.Chat sorts it."""

    head: list[AgentOverviewColumn] = Field(default_factory=list)
    data: list[AgentOverviewRow] = Field(default_factory=list)


class ChartData(RocketChatModel):
    """``dashboards/charts-data``: one point per hour (one day asked) or per day; labels are
    ``"1AM-1AM"`` (Rocket.Chat's own spelling of the hour from 1 AM) or ``"10/15"``; times in
    seconds. Empty lists when the server cannot compute the chart."""

    chart_label: str = ""
    data_labels: list[str] = Field(default_factory=list)
    data_points: list[float] = Field(default_factory=list)


class ChatsChart(RocketChatModel):
    """``dashboards/charts/chats``: served open chats, closed, queued and on hold (EE: 0)."""

    open: int = 0
    closed: int = 0
    queued: int = 0
    onhold: int = 0


class AgentChats(RocketChatModel):
    """One agent's chats in ``dashboards/charts/chats-per-agent``."""

    open: int = 0
    closed: int = 0
    onhold: int | None = None


class DepartmentChats(RocketChatModel):
    """One department's chats in ``dashboards/charts/chats-per-department``."""

    open: int = 0
    closed: int = 0


class Timing(RocketChatModel):
    """Average (truncated) and longest time, in seconds."""

    avg: int | float = 0
    longest: int | float | None = 0


class Timings(RocketChatModel):
    """``dashboards/charts/timings``: first response, reaction and chat duration."""

    response: Timing = Field(default_factory=Timing)
    reaction: Timing = Field(default_factory=Timing)
    chat_duration: Timing = Field(default_factory=Timing)


class AgentsStatus(RocketChatModel):
    """``dashboards/charts/agents-status``: livechat agents by presence (an agent that is
    not-available counts as offline)."""

    offline: int = 0
    away: int = 0
    busy: int = 0
    available: int = 0
