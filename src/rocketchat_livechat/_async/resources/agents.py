"""``client.agents``: who serves the visitor."""

from __future__ import annotations

from ..._core.endpoints import agents
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncAgentsResource(AsyncResource):
    get_agent_info = AsyncEndpointMethod(agents.get_agent_info)
    get_next_agent = AsyncEndpointMethod(agents.get_next_agent)
    get_agent_departments = AsyncEndpointMethod(agents.get_agent_departments)
    save_agent_info = AsyncEndpointMethod(agents.save_agent_info)
