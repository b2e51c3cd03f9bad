"""Rocket.Chat users (agents and managers) and the login result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from ._base import RocketChatModel
from .agent import AgentEmail

__all__ = ["AgentStatus", "LivechatUser", "LoginResult", "UserRef"]


class UserRef(RocketChatModel):
    """A short user reference ``{_id, username}`` (``editedBy``, ``closedBy``...)."""

    id: str = Field(alias="_id")
    username: str | None = None


class LivechatUser(RocketChatModel):
    """An agent or manager as listed by ``livechat/users/:type``."""

    id: str = Field(alias="_id")
    username: str | None = None
    name: str | None = None
    status: str | None = None
    status_livechat: str | None = None
    emails: list[AgentEmail] = Field(default_factory=list)
    livechat: dict[str, Any] | None = None
    departments: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    active: bool | None = None


class LoginResult(RocketChatModel):
    """The ``data`` of ``POST /api/v1/login``: credentials for the user-auth headers."""

    user_id: str
    auth_token: str = Field(repr=False)
    me: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_response(cls, body: Mapping[str, Any]) -> LoginResult:
        """Build from the whole login body ``{"status": "success", "data": {...}}``."""
        return cls.model_validate(body.get("data", body))


class AgentStatus(RocketChatModel):
    """Result of ``POST livechat/agent.status``: the agent's new ``statusLivechat``."""

    status: str | None = None
