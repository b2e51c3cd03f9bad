from __future__ import annotations

from ..._core.endpoints import config as endpoint
from ...models import LivechatConfig
from ._base import AsyncResource


class AsyncConfigResource(AsyncResource):
    async def get_config(
        self, token: str | None = None, department: str | None = None
    ) -> LivechatConfig:
        """The widget configuration; with ``token``, also the visitor, its open room and agent."""
        return await self._client._request(endpoint.get_config(token, department))
