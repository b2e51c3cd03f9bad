"""``client.users``: livechat agents and managers, and the agent's availability."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Unpack

from ..._core.endpoint import CallOptions
from ..._core.endpoints import users
from ..._core.endpoints.users import UserType
from ..._core.pagination import OffsetPager
from ._base import AsyncEndpointMethod, AsyncResource

if TYPE_CHECKING:
    from ...models import LivechatUser


class AsyncUsersResource(AsyncResource):
    list_users = AsyncEndpointMethod(users.list_users)
    create_user = AsyncEndpointMethod(users.create_user)
    get_user = AsyncEndpointMethod(users.get_user)
    delete_user = AsyncEndpointMethod(users.delete_user)
    set_agent_status = AsyncEndpointMethod(users.set_agent_status)

    async def iter_users(
        self, user_type: UserType, *, page_size: int = 50, **options: Unpack[CallOptions]
    ) -> AsyncIterator[LivechatUser]:
        """Every agent or manager, page by page."""
        pager: OffsetPager[LivechatUser] = OffsetPager(page_size)
        while not pager.done:
            page = await self.list_users(user_type, offset=pager.offset, count=page_size, **options)
            for user in pager.advance(page):
                yield user
