"""One chat's work, in order: :class:`ChatWorker`."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable

from ..models import Message
from ._chat import Chat

Work = Callable[[Chat], Awaitable[None]]

#: Message ids remembered per chat, so that one message is never handled twice.
SEEN_LIMIT = 1000


class ChatWorker:
    """Runs a chat's handler calls one after the other, in a task of its own."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat
        self._queue: asyncio.Queue[Work | None] = asyncio.Queue()
        self._seen: set[str] = set()
        self._seen_order: deque[str] = deque()
        self._task = asyncio.create_task(self._run(), name=f"livechat-bot-chat-{chat.rid}")

    def first_sight(self, message: Message) -> bool:
        """True the first time a message (with its current edit) is seen."""
        key = f"{message.id}:{message.edited_at.isoformat() if message.edited_at else ''}"
        if key in self._seen:
            return False
        self._seen.add(key)
        self._seen_order.append(key)
        if len(self._seen_order) > SEEN_LIMIT:
            self._seen.discard(self._seen_order.popleft())
        return True

    def submit(self, work: Work) -> None:
        """Queue ``work(chat)`` after what is queued already."""
        self._queue.put_nowait(work)

    def close(self) -> None:
        """Finish the queued work, then end."""
        self._queue.put_nowait(None)

    async def finish(self, grace: float) -> None:
        """End after the queued work, cancelling it when it takes over ``grace`` seconds."""
        self.close()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while (work := await self._queue.get()) is not None:
            await work(self.chat)
