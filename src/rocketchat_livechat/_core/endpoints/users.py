"""Agent side: livechat agents and managers, and the agent's own availability."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Unpack

from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ..request import json_body
from ._samples import USER, page

if TYPE_CHECKING:
    from ...models import AgentStatus, LivechatUser, UserRef
else:
    AgentStatus = lazy_model("AgentStatus")
    LivechatUser = lazy_model("LivechatUser")
    UserRef = lazy_model("UserRef")

UserType = Literal["agent", "manager"]
USER_TYPES = ("agent", "manager")
AGENT_STATUSES = ("available", "not-available")


@endpoint(
    "GET",
    "livechat/users/{user_type}",
    parse=parsing.page_under(LivechatUser, "users"),
    auth="user",
    idempotent=True,
    schema="isLivechatUsersManagerGETProps",
    samples=[
        Sample(("agent",), response=page("users", USER)),
        Sample(("manager",), {"offset": 10, "count": 5}, response=page("users")),
    ],
)
def list_users(
    user_type: UserType,
    *,
    offset: int | None = None,
    count: int | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of the livechat agents or managers."""
    return Parts(
        path={"user_type": v.one_of("user_type", user_type, USER_TYPES)},
        params={
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
        },
    )


@endpoint(
    "POST",
    "livechat/users/{user_type}",
    parse=parsing.under(UserRef, "user"),
    auth="user",
    idempotent=True,
    schema="isPOSTLivechatUsersTypeProps",
    samples=[Sample(("agent", "bob"), response={"user": {"_id": "u1", "username": "bob"}})],
)
def create_user(user_type: UserType, username: str, **options: Unpack[CallOptions]) -> Parts:
    """Give an existing user the livechat agent or manager role."""
    return Parts(
        path={"user_type": v.one_of("user_type", user_type, USER_TYPES)},
        json={"username": v.required_str("username", username)},
    )


@endpoint(
    "GET",
    "livechat/users/{user_type}/{user_id}",
    parse=parsing.optional_under(LivechatUser, "user"),
    auth="user",
    idempotent=True,
    samples=[Sample(("agent", "u1"), response={"user": USER}), Sample(("manager", "u1"))],
)
def get_user(user_type: UserType, user_id: str, **options: Unpack[CallOptions]) -> Parts:
    """One agent or manager; ``None`` when the user exists but does not have the role."""
    return Parts(
        path={
            "user_type": v.one_of("user_type", user_type, USER_TYPES),
            "user_id": v.path_segment("user_id", user_id),
        }
    )


@endpoint(
    "DELETE",
    "livechat/users/{user_type}/{user_id}",
    parse=parsing.nothing,
    auth="user",
    idempotent=True,
    samples=[Sample(("agent", "u1"))],
)
def delete_user(user_type: UserType, user_id: str, **options: Unpack[CallOptions]) -> Parts:
    """Remove the agent or manager role from a user."""
    return Parts(
        path={
            "user_type": v.one_of("user_type", user_type, USER_TYPES),
            "user_id": v.path_segment("user_id", user_id),
        }
    )


@endpoint(
    "POST",
    "livechat/agent.status",
    parse=parsing.whole(AgentStatus),
    auth="user",
    idempotent=True,
    schema="isPOSTLivechatAgentStatusProps",
    samples=[
        Sample(("available",), response={"status": "available"}),
        Sample(("not-available",), {"agent_id": "u1"}),
    ],
)
def set_agent_status(
    status: str, *, agent_id: str | None = None, **options: Unpack[CallOptions]
) -> Parts:
    """Set the livechat availability of the logged-in agent (or of ``agent_id``, as a manager)."""
    return Parts(
        json=json_body(
            status=v.one_of("status", status, AGENT_STATUSES),
            agentId=v.optional_str("agent_id", agent_id),
        )
    )
