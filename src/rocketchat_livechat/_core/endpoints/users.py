"""Agent side: livechat agents and managers, and the agent's own availability."""

from __future__ import annotations

from typing import Literal

from ...models import AgentStatus, LivechatUser, Page, UserRef
from .. import parsing
from .. import validation as v
from ..request import Call, Request, api_path, json_body, query_params

UserType = Literal["agent", "manager"]
USER_TYPES = ("agent", "manager")
AGENT_STATUSES = ("available", "not-available")


def list_users(
    user_type: UserType, offset: int | None = None, count: int | None = None
) -> Call[Page[LivechatUser]]:
    route = "livechat/users/{user_type}"
    params = query_params(
        {
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
        }
    )
    path = api_path(route, user_type=v.one_of("user_type", user_type, USER_TYPES))
    request = Request("GET", route, path, params=params, auth="user", idempotent=True)
    return Call(request, parsing.page_under(LivechatUser, "users"))


def create_user(user_type: UserType, username: str) -> Call[UserRef]:
    route = "livechat/users/{user_type}"
    path = api_path(route, user_type=v.one_of("user_type", user_type, USER_TYPES))
    body = {"username": v.required_str("username", username)}
    return Call(
        Request("POST", route, path, json=body, auth="user", idempotent=True),
        parsing.under(UserRef, "user"),
    )


def get_user(user_type: UserType, user_id: str) -> Call[LivechatUser | None]:
    """``None`` when the user exists but does not have the role."""
    route = "livechat/users/{user_type}/{user_id}"
    path = api_path(
        route,
        user_type=v.one_of("user_type", user_type, USER_TYPES),
        user_id=v.path_segment("user_id", user_id),
    )
    request = Request("GET", route, path, auth="user", idempotent=True)
    return Call(request, parsing.optional_under(LivechatUser, "user"))


def delete_user(user_type: UserType, user_id: str) -> Call[None]:
    route = "livechat/users/{user_type}/{user_id}"
    path = api_path(
        route,
        user_type=v.one_of("user_type", user_type, USER_TYPES),
        user_id=v.path_segment("user_id", user_id),
    )
    return Call(Request("DELETE", route, path, auth="user", idempotent=True), parsing.nothing)


def set_agent_status(status: str, agent_id: str | None = None) -> Call[AgentStatus]:
    body = json_body(
        status=v.one_of("status", status, AGENT_STATUSES),
        agentId=v.optional_str("agent_id", agent_id),
    )
    request = Request(
        "POST",
        "livechat/agent.status",
        "livechat/agent.status",
        json=body,
        auth="user",
        idempotent=True,
    )
    return Call(request, parsing.whole(AgentStatus))
