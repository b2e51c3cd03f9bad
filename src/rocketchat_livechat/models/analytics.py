"""Omnichannel analytics answers (``livechat/analytics/*``)."""

from __future__ import annotations

from pydantic import Field

from ._base import RocketChatModel

__all__ = ["AgentOverview", "AgentOverviewColumn", "AgentOverviewRow", "OverviewItem"]


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
