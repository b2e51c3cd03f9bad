"""``livechat/agent.info`` and ``livechat/agent.next``."""

from __future__ import annotations

from ...models import AgentInfo
from .. import parsing
from .. import validation as v
from ..request import Call, Request, api_path, query_params


def get_agent_info(rid: str, token: str) -> Call[AgentInfo]:
    route = "livechat/agent.info/{rid}/{token}"
    path = api_path(route, rid=v.path_segment("rid", rid), token=v.path_segment("token", token))
    request = Request("GET", route, path, idempotent=True)
    return Call(request, parsing.under(AgentInfo, "agent"))


def get_next_agent(token: str, department: str | None = None) -> Call[AgentInfo | None]:
    """``None`` when the visitor already has an open room (the server then names no agent)."""
    route = "livechat/agent.next/{token}"
    path = api_path(route, token=v.path_segment("token", token))
    params = query_params({"department": v.optional_str("department", department)})
    request = Request("GET", route, path, params=params, idempotent=True)
    return Call(request, parsing.optional_under(AgentInfo, "agent"))
