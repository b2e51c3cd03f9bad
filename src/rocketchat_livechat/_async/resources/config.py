from __future__ import annotations

from ..._core.endpoints import config as endpoint
from ..._core.endpoints.config import AppearanceSettings
from ...models import AppearanceSetting, LivechatConfig
from ._base import AsyncResource


class AsyncConfigResource(AsyncResource):
    async def get_config(
        self, token: str | None = None, department: str | None = None
    ) -> LivechatConfig:
        """The widget configuration; with ``token``, also the visitor, its open room and agent."""
        return await self._client._request(endpoint.get_config(token, department))

    async def get_appearance(self) -> list[AppearanceSetting]:
        """The widget appearance settings (needs ``view-livechat-manager``)."""
        return await self._client._request(endpoint.get_appearance())

    async def set_appearance(self, settings: AppearanceSettings) -> None:
        """Save appearance settings: ``{setting_id: value}`` or ``[{"_id": ..., "value": ...}]``.

        The server converts each value to its setting's type. It rejects the whole call when
        an id is not an appearance setting.
        """
        await self._client._request(endpoint.set_appearance(settings))
