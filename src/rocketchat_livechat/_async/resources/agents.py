from __future__ import annotations

from ..._core.endpoints import agents as endpoint
from ...models import AgentInfo
from ._base import AsyncResource


class AsyncAgentsResource(AsyncResource):
    async def get_agent_info(self, rid: str, token: str) -> AgentInfo:
        """The agent serving room ``rid`` (``hidden_info`` when the server hides agents)."""
        return await self._client._request(endpoint.get_agent_info(rid, token))

    async def get_next_agent(self, token: str, department: str | None = None) -> AgentInfo | None:
        """The agent a new chat would go to; ``None`` if the visitor already has an open room."""
        return await self._client._request(endpoint.get_next_agent(token, department))
