from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime

from ..._core.endpoints import messages as endpoint
from ..._core.pagination import HistoryPager
from ...models import DeletedMessage, Message
from ._base import AsyncResource


class AsyncMessagesResource(AsyncResource):
    async def send_message(
        self,
        token: str,
        rid: str,
        msg: str,
        message_id: str | None = None,
        agent: Mapping[str, str] | None = None,
    ) -> Message:
        """Send a visitor message. Safe to retry: the SDK always sends a message id (generated
        when ``message_id`` is not given), and a retry that finds it already stored returns it."""
        return await self._client._request(
            endpoint.send_message(token, rid, msg, message_id, agent)
        )

    async def get_message(self, message_id: str, token: str, rid: str) -> Message:
        return await self._client._request(endpoint.get_message(message_id, token, rid))

    async def update_message(self, message_id: str, token: str, rid: str, msg: str) -> Message:
        """Edit one of the visitor's own messages."""
        return await self._client._request(endpoint.update_message(message_id, token, rid, msg))

    async def delete_message(self, message_id: str, token: str, rid: str) -> DeletedMessage:
        """Delete one of the visitor's own messages."""
        return await self._client._request(endpoint.delete_message(message_id, token, rid))

    async def get_message_history(
        self,
        rid: str,
        token: str,
        ls: str | datetime | None = None,
        end: str | datetime | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> list[Message]:
        """One page of the room's messages, newest first (server default limit: 20).
        ``end`` keeps only messages strictly older than it."""
        call = endpoint.get_message_history(rid, token, ls, end, limit, offset)
        return await self._client._request(call)

    async def iter_message_history(
        self, rid: str, token: str, *, page_size: int = 50
    ) -> AsyncIterator[Message]:
        """Every message of the room, newest first, each exactly once even while new ones arrive."""
        pager = HistoryPager(page_size)
        while not pager.done:
            page = await self.get_message_history(
                rid, token, end=pager.end, limit=page_size, offset=pager.offset or None
            )
            for message in pager.advance(page):
                yield message

    async def send_offline_message(
        self,
        name: str,
        email: str,
        message: str,
        department: str | None = None,
        host: str | None = None,
    ) -> str:
        """Leave a message when no agent is online (e-mailed by the server)."""
        call = endpoint.send_offline_message(name, email, message, department, host)
        return await self._client._request(call)

    async def send_agent_message(
        self, rid: str, msg: str, message_id: str | None = None
    ) -> Message:
        """Reply in a room as the logged-in agent (``chat.sendMessage``); safe to retry."""
        return await self._client._request(endpoint.send_agent_message(rid, msg, message_id))
