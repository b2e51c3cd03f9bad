"""Agent endpoints: ``agent.info``/``agent.next`` (visitor side, §3.2-3.3), ``agent.status``."""

from __future__ import annotations

from typing import Any

from .. import auth
from ..api import Context, RouteGroup
from ..errors import Failure, Forbidden, NotFound, PlainError
from ..services import business_hours, departments, routing, users, visitors
from ..validation import STRING, STRINGS, obj, rest_typings
from ._common import visitor_or_fail, visitor_room

routes = RouteGroup()

NEXT_QUERY = rest_typings("isGETAgentNextToken")
#: ``isGETLivechatAgentsAgentIdDepartmentsParams``
AGENT_DEPARTMENTS_QUERY = rest_typings("isGETLivechatAgentsAgentIdDepartmentsParams")
STATUS_BODY = rest_typings("isPOSTLivechatAgentStatusProps")


@routes.get("livechat/agent.info/:rid/:token")
async def agent_info(ctx: Context) -> dict[str, Any]:
    token = ctx.path["token"]
    visitor_or_fail(ctx.state, token)
    room = visitor_room(ctx.state, ctx.path["rid"], token)
    served = room.get("servedBy")
    agent = ctx.store.users.get(served["_id"]) if served else None
    if agent is None:
        raise PlainError("invalid-agent")
    return {"agent": users.agent_info(ctx.state, agent)}


@routes.get("livechat/agent.next/:token", schema=NEXT_QUERY)
async def agent_next(ctx: Context) -> dict[str, Any]:
    token = ctx.path["token"]
    if visitors.open_rooms(ctx.state, token):
        return {}
    department = ctx.params.get("department") or routing.default_department(ctx.state)
    agent = routing.next_agent(ctx.state, department)
    if agent is None:
        raise PlainError("agent-not-found")
    return {"agent": users.agent_info(ctx.state, agent)}


@routes.post("livechat/agent.status", auth=True, permissions=("view-l-room",), schema=STATUS_BODY)
async def agent_status(ctx: Context) -> dict[str, Any]:
    agent_id = ctx.params.get("agentId") or ctx.me["_id"]
    agent = ctx.store.users.get(agent_id)
    if agent is None or not users.is_agent(agent):
        raise NotFound("Agent not found")
    if not agent.get("active", True):
        raise Failure("error-user-deactivated")
    current = agent.get("statusLivechat")
    status = users.requested_livechat_status(agent, ctx.params.get("status"))
    if status == current:
        return {"status": current}
    # allowAgentChangeServiceStatus: ``available`` only within the business hours (when on)
    allowed = status != "available" or business_hours.may_be_available(ctx.state, agent)
    if agent_id != ctx.me["_id"]:
        if not auth.has_permission(ctx.user, "manage-livechat-agents"):
            raise Forbidden()
        if not allowed:  # "Silent fail for admins when BH is closed" (agent.ts)
            return {"status": current}
    elif not allowed:
        raise Failure("error-business-hours-are-closed")
    users.set_livechat_status(ctx.state, agent_id, status)
    return {"status": status}


@routes.get(
    "livechat/agents/:agentId/departments",
    auth=True,
    permissions=("view-l-room",),
    schema=AGENT_DEPARTMENTS_QUERY,
)
async def agent_departments(ctx: Context) -> dict[str, Any]:
    """``findAgentDepartments`` (``apps/meteor/app/livechat/imports/server/rest/agent.ts``)."""
    enabled_only = ctx.params.get("enabledDepartmentsOnly") == "true"
    found = departments.agent_departments(ctx.state, ctx.path["agentId"], enabled_only)
    return {"departments": found}


#: ``isPOSTLivechatAgentSaveInfoParams``
SAVE_INFO_BODY = obj(
    {"agentId": STRING, "agentData": {"type": "object"}, "agentDepartments": STRINGS},
    ("agentId", "agentData", "agentDepartments"),
)


@routes.post(
    "livechat/agents.saveInfo",
    auth=True,
    permissions=("manage-livechat-agents",),
    schema=SAVE_INFO_BODY,
)
async def save_agent_info(ctx: Context) -> dict[str, Any]:
    """``apps/meteor/server/api/v1/omnichannel/agent.ts``: only users with the ``livechat-agent``
    role (else a plain ``error-user-is-not-agent``)."""
    p = ctx.params
    if not users.is_agent(ctx.store.users.get(p["agentId"])):
        raise Failure("error-user-is-not-agent")
    users.save_agent_info(
        ctx.state, p["agentId"], dict(p["agentData"]), list(p["agentDepartments"])
    )
    return {}
