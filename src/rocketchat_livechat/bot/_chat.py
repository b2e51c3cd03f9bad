"""One conversation as a bot handler sees it: :class:`Chat` (async) and :class:`SyncChat`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from .. import errors as e
from ..models import Message, Room, Visitor

if TYPE_CHECKING:
    from .._async.client import AsyncLivechatClient
    from .._async.realtime import AsyncRealtimeStream
    from .._core.uploads import FileInput

T = TypeVar("T")

#: How often the "typing…" notification is repeated while a reply is being written (Rocket.Chat's
#: widget forgets it after 15 s; its own clients repeat it about every 5 s).
TYPING_REPEAT_SECONDS = 5.0


class Chat:
    """A livechat room served by the bot, with the actions a handler takes on it.

    ``rid`` is the room id, ``room`` the room as last loaded, ``token`` the visitor's token
    (a secret: it is never shown in the repr). Actions go through the bot's client.
    """

    def __init__(
        self,
        room: Room,
        client: AsyncLivechatClient,
        stream: AsyncRealtimeStream,
        username: str | None,
    ) -> None:
        self.room = room
        self._client = client
        self._stream = stream
        self._username = username
        self.failures = 0
        #: ids of the messages this bot sent in the chat (since it started following it)
        self.sent: set[str] = set()
        self._looked_up_visitor_id: str | None = None
        #: the message ids of the last history read, and which of them were unanswered
        self.history_seen: set[str] = set()
        self.unanswered: set[str] = set()

    def __repr__(self) -> str:
        return f"Chat(rid={self.rid!r})"

    @property
    def rid(self) -> str:
        """The room id."""
        return self.room.id

    @property
    def token(self) -> str:
        """The visitor's token (what the visitor endpoints of the room need)."""
        visitor = self.room.v
        if visitor is None or not visitor.token:
            raise e.InvalidArgumentError("chat", f"room {self.rid} carries no visitor token")
        return visitor.token

    @property
    def visitor_id(self) -> str | None:
        """The visitor's ``_id`` (``None`` until known)."""
        known = self.room.v.id if self.room.v is not None else None
        return known or self._looked_up_visitor_id

    async def reply(self, text: str) -> Message:
        """Send ``text`` to the visitor as the bot."""
        sent = await self._client.messages.send_agent_message(self.rid, text)
        self.sent.add(sent.id)
        return sent

    async def upload(
        self, file: FileInput, *, description: str | None = None, filename: str | None = None
    ) -> Message:
        """Send a file to the visitor as the bot (a path, bytes or a binary file object)."""
        sent = await self._client.messages.upload_agent_file(
            self.rid, file, description=description, filename=filename
        )
        self.sent.add(sent.id)
        return sent

    @contextlib.asynccontextmanager
    async def typing(self) -> AsyncIterator[None]:
        """Show "typing…" to the visitor while the block runs (repeated so it does not expire)."""
        repeat = asyncio.create_task(self._keep_typing())
        try:
            yield
        finally:
            repeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await repeat
            await self._stream.send_typing(self.rid, False, self._username)

    async def _keep_typing(self) -> None:
        while True:
            await self._stream.send_typing(self.rid, True, self._username)
            await asyncio.sleep(TYPING_REPEAT_SECONDS)

    async def history(self, *, limit: int = 100) -> list[Message]:
        """The room's messages, oldest first (at most ``limit``, the newest ones)."""
        newest_first = await self._client.messages.get_message_history(
            self.rid, self.token, limit=limit
        )
        return list(reversed(newest_first))

    async def history_text(self, *, limit: int = 100) -> str:
        """The conversation as ``visitor: ...`` / ``agent: ...`` lines (for a language model)."""
        lines = []
        for message in await self.history(limit=limit):
            if message.is_system or not message.msg:
                continue
            speaker = "visitor" if message.token else "agent"
            lines.append(f"{speaker}: {message.msg}")
        return "\n".join(lines)

    async def visitor(self) -> Visitor:
        """The visitor's record: name, e-mail, phone, custom fields (``livechat/visitors.info``)."""
        return await self._client.visitors.get_info(await self._visitor_id())

    async def pages_visited(self) -> list[Message]:
        """The pages the visitor browsed (navigation messages), newest first."""
        return list(await self._client.visitors.get_pages_visited(self.rid))

    async def save_info(
        self,
        *,
        topic: str | None = None,
        name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        custom_fields: dict[str, str] | None = None,
    ) -> None:
        """Save the room's topic and the visitor's name, e-mail, phone or custom fields."""
        await self._client.room.save_room_info(
            self.rid,
            await self._visitor_id(),
            topic=topic,
            name=name,
            email=email,
            phone=phone,
            custom_fields=custom_fields,
        )

    async def _visitor_id(self) -> str:
        """The visitor's ``_id`` (looked up with the token when the room came without it)."""
        if not self.visitor_id:
            self._looked_up_visitor_id = (await self._client.visitor.get_visitor(self.token)).id
        return self.visitor_id or ""

    async def handoff(
        self, *, department: str | None = None, agent: str | None = None, comment: str | None = None
    ) -> None:
        """Hand the chat to a human: to a ``department`` (its ``_id`` or name) or an ``agent``
        (user ``_id``), through ``livechat/room.forward``. Rocket.Chat's refusals (nobody online
        there, same department, ...) are raised as typed errors."""
        if (department is None) == (agent is None):
            raise e.InvalidArgumentError("department", "give exactly one of department= or agent=")
        department_id = await self._department_id(department) if department else None
        await self._client.room.forward_room(
            self.rid, department_id=department_id, user_id=agent, comment=comment
        )

    async def _department_id(self, id_or_name: str) -> str:
        page = await self._client.departments.list_departments(text=id_or_name)
        for found in page.items:
            if id_or_name in (found.id, found.name):
                return found.id
        return id_or_name  # an id the search does not show: Rocket.Chat decides

    async def close(self, comment: str | None = None) -> None:
        """Close the chat as the bot."""
        await self._client.room.close_room_by_user(self.rid, comment=comment)


class SyncChat:
    """The blocking face of a :class:`Chat`, given to handlers that are plain functions.

    Such a handler runs in a worker thread; each call runs on the bot's event loop and waits.
    """

    def __init__(self, chat: Chat, loop: asyncio.AbstractEventLoop) -> None:
        self._chat = chat
        self._loop = loop

    def __repr__(self) -> str:
        return f"SyncChat(rid={self.rid!r})"

    @property
    def rid(self) -> str:
        """The room id."""
        return self._chat.rid

    @property
    def room(self) -> Room:
        """The room as last loaded."""
        return self._chat.room

    @property
    def token(self) -> str:
        """The visitor's token."""
        return self._chat.token

    def _wait(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result()

    def reply(self, text: str) -> Message:
        """Send ``text`` to the visitor as the bot."""
        return self._wait(self._chat.reply(text))

    @contextlib.contextmanager
    def typing(self) -> Iterator[None]:
        """Show "typing…" to the visitor while the block runs."""
        manager = self._chat.typing()
        self._wait(manager.__aenter__())
        try:
            yield
        finally:
            self._wait(manager.__aexit__(None, None, None))

    def history(self, *, limit: int = 100) -> list[Message]:
        """The room's messages, oldest first."""
        return self._wait(self._chat.history(limit=limit))

    def history_text(self, *, limit: int = 100) -> str:
        """The conversation as ``visitor: ...`` / ``agent: ...`` lines."""
        return self._wait(self._chat.history_text(limit=limit))

    def visitor(self) -> Visitor:
        """The visitor's record (see :meth:`Chat.visitor`)."""
        return self._wait(self._chat.visitor())

    def pages_visited(self) -> list[Message]:
        """The pages the visitor browsed, newest first."""
        return self._wait(self._chat.pages_visited())

    def save_info(self, **fields: Any) -> None:
        """Save room and visitor fields (the keywords of :meth:`Chat.save_info`)."""
        self._wait(self._chat.save_info(**fields))

    def handoff(
        self, *, department: str | None = None, agent: str | None = None, comment: str | None = None
    ) -> None:
        """Hand the chat to a department or an agent (see :meth:`Chat.handoff`)."""
        self._wait(self._chat.handoff(department=department, agent=agent, comment=comment))

    def close(self, comment: str | None = None) -> None:
        """Close the chat as the bot."""
        self._wait(self._chat.close(comment))

    def upload(
        self, file: FileInput, *, description: str | None = None, filename: str | None = None
    ) -> Message:
        """Send a file to the visitor as the bot."""
        return self._wait(self._chat.upload(file, description=description, filename=filename))
