"""``livechat/agent.info``, ``livechat/agent.next`` and ``livechat/agents/:agentId/departments``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from ...errors import InvalidArgumentError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ._samples import AGENT, DEPARTMENT_AGENT, RID, TOKEN

if TYPE_CHECKING:
    from ...models import AgentDepartment, AgentInfo
else:
    AgentDepartment = lazy_model("AgentDepartment")
    AgentInfo = lazy_model("AgentInfo")


@endpoint(
    "GET",
    "livechat/agent.info/{rid}/{token}",
    parse=parsing.under(AgentInfo, "agent"),
    secret=("token",),
    idempotent=True,
    samples=[Sample((RID, TOKEN), response={"agent": AGENT})],
)
def get_agent_info(rid: str, token: str, **options: Unpack[CallOptions]) -> Parts:
    """The agent serving the visitor's room (``hidden_info`` when agents are hidden)."""
    return Parts(path={"rid": v.path_segment("rid", rid), "token": v.path_segment("token", token)})


@endpoint(
    "GET",
    "livechat/agent.next/{token}",
    parse=parsing.optional_under(AgentInfo, "agent"),
    secret=("token",),
    idempotent=True,
    schema="isGETAgentNextToken",
    samples=[
        Sample((TOKEN,), {"department": "dep-1"}, response={"agent": AGENT}),
        Sample((TOKEN,), response={"success": True}),
    ],
)
def get_next_agent(
    token: str, *, department: str | None = None, **options: Unpack[CallOptions]
) -> Parts:
    """The agent who would serve a new chat; ``None`` when the visitor already has an open room
    (the server then names no agent)."""
    return Parts(
        path={"token": v.path_segment("token", token)},
        params={"department": v.optional_str("department", department)},
    )


@endpoint(
    "GET",
    "livechat/agents/{agent_id}/departments",
    parse=parsing.list_under(AgentDepartment, "departments"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatAgentsAgentIdDepartmentsParams",
    samples=[
        Sample(
            ("u1",), response={"departments": [{**DEPARTMENT_AGENT, "departmentName": "Sales"}]}
        ),
        Sample(("u1",), {"enabled_only": True}, response={"departments": []}),
    ],
)
def get_agent_departments(
    agent_id: str, *, enabled_only: bool | None = None, **options: Unpack[CallOptions]
) -> Parts:
    """The departments an agent belongs to (only enabled ones with ``enabled_only``), each with
    its ``department_name`` (``apps/meteor/app/livechat/imports/server/rest/agent.ts``)."""
    return Parts(
        path={"agent_id": v.path_segment("agent_id", agent_id)},
        params={"enabledDepartmentsOnly": v.optional_bool("enabled_only", enabled_only)},
    )


@endpoint(
    "POST",
    "livechat/agents.saveInfo",
    parse=parsing.nothing,
    auth="user",
    schema="isPOSTLivechatAgentSaveInfoParams",
    samples=[
        Sample(("agent-1", {}, [])),
        Sample(("agent-1", {"maxNumberSimultaneousChat": 2}, ["dep-1", "dep-2"])),
    ],
)
def save_agent_info(
    agent_id: str,
    agent_data: Mapping[str, Any],
    agent_departments: Sequence[str],
    **options: Unpack[CallOptions],
) -> Parts:
    """Save an agent's ``livechat`` data (``agent_data``, empty values dropped) and set the
    agent's departments to exactly ``agent_departments`` (``manage-livechat-agents``;
    ``apps/meteor/server/api/v1/omnichannel/agent.ts``, ``saveAgentInfo``). Refused with
    ``error-user-is-not-agent`` unless the user has the ``livechat-agent`` role.

    ``agent_data`` keys such as ``maxNumberSimultaneousChat`` only take effect in Enterprise
    (concurrent-chat limits); Community stores them."""
    data = v.optional_mapping("agent_data", agent_data)
    if data is None:
        raise InvalidArgumentError("agent_data", "expected a mapping")
    departments = v.optional_str_list("agent_departments", agent_departments)
    if departments is None:
        raise InvalidArgumentError("agent_departments", "expected a list of department ids")
    return Parts(
        json={
            "agentId": v.required_str("agent_id", agent_id),
            "agentData": dict(data),
            "agentDepartments": departments,
        }
    )
