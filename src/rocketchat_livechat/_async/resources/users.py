from __future__ import annotations

from collections.abc import AsyncIterator

from ..._core.endpoints import users as endpoint
from ..._core.endpoints.users import UserType
from ..._core.pagination import OffsetPager
from ...models import AgentStatus, LivechatUser, Page, UserRef
from ._base import AsyncResource


class AsyncUsersResource(AsyncResource):
    async def list_users(
        self, user_type: UserType, offset: int | None = None, count: int | None = None
    ) -> Page[LivechatUser]:
        """One page of livechat agents (``"agent"``) or managers (``"manager"``)."""
        return await self._client._request(endpoint.list_users(user_type, offset, count))

    async def iter_users(
        self, user_type: UserType, *, page_size: int = 50
    ) -> AsyncIterator[LivechatUser]:
        pager: OffsetPager[LivechatUser] = OffsetPager(page_size)
        while not pager.done:
            page = await self.list_users(user_type, offset=pager.offset, count=page_size)
            for user in pager.advance(page):
                yield user

    async def create_user(self, user_type: UserType, username: str) -> UserRef:
        """Give an existing user the agent or manager role."""
        return await self._client._request(endpoint.create_user(user_type, username))

    async def get_user(self, user_type: UserType, user_id: str) -> LivechatUser | None:
        """``None`` when the user exists but lacks the role."""
        return await self._client._request(endpoint.get_user(user_type, user_id))

    async def delete_user(self, user_type: UserType, user_id: str) -> None:
        """Take the agent or manager role away."""
        await self._client._request(endpoint.delete_user(user_type, user_id))

    async def set_agent_status(self, status: str, agent_id: str | None = None) -> AgentStatus:
        """``"available"`` or ``"not-available"`` for routing (yourself, or ``agent_id``)."""
        return await self._client._request(endpoint.set_agent_status(status, agent_id))
