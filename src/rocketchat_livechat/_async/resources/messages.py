"""``client.messages``: visitor messages, history, offline messages and agent replies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Unpack

from ..._core.endpoint import CallOptions
from ..._core.endpoints import messages
from ..._core.pagination import HistoryPager
from ...models import Message
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncMessagesResource(AsyncResource):
    send_message = AsyncEndpointMethod(messages.send_message)
    get_message = AsyncEndpointMethod(messages.get_message)
    update_message = AsyncEndpointMethod(messages.update_message)
    delete_message = AsyncEndpointMethod(messages.delete_message)
    get_message_history = AsyncEndpointMethod(messages.get_message_history)
    send_offline_message = AsyncEndpointMethod(messages.send_offline_message)
    send_agent_message = AsyncEndpointMethod(messages.send_agent_message)
    send_messages = AsyncEndpointMethod(messages.send_messages)
    receive_sms = AsyncEndpointMethod(messages.receive_sms)

    async def iter_message_history(
        self, rid: str, token: str, *, page_size: int = 50, **options: Unpack[CallOptions]
    ) -> AsyncIterator[Message]:
        """Every message of the room, newest first, each exactly once even while new ones arrive."""
        pager = HistoryPager(page_size)
        while not pager.done:
            page = await self.get_message_history(
                rid,
                token,
                end=pager.end,
                limit=page_size,
                offset=pager.offset or None,
                **options,
            )
            for message in pager.advance(page):
                yield message
