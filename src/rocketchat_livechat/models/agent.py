"""Agent info as shown to a visitor (``normalizeAgent``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import RocketChatModel

__all__ = ["AgentEmail", "AgentInfo"]


class AgentEmail(RocketChatModel):
    """One entry of a user's ``emails``."""

    address: str
    verified: bool | None = None


class AgentInfo(RocketChatModel):
    """The serving agent (``agent.info``, ``agent.next``, ``config.agent``, ``agentData`` events).

    When the server hides agents (``Livechat_show_agent_info`` off) it sends only
    ``{"hiddenInfo": true}``: then ``hidden_info`` is True and every other field is None.
    """

    id: str | None = Field(default=None, alias="_id")
    name: str | None = None
    username: str | None = None
    status: str | None = None
    phone: Any = None
    livechat: dict[str, Any] | None = None
    emails: list[AgentEmail] | None = None
    custom_fields: dict[str, Any] | None = None
    hidden_info: bool = False
