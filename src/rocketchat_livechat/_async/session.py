"""``AsyncVisitorSession``: one visitor's conversation, from registration to close."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from .. import errors as e
from .._core.tokens import new_visitor_token
from .._core.uploads import FileInput, Progress
from ..models import ClosedRoom, Message, Room, UploadedMessage, Visitor
from .realtime import AsyncRealtimeStream

if TYPE_CHECKING:
    from .client import AsyncLivechatClient

__all__ = ["AsyncVisitorSession"]


class AsyncVisitorSession:
    """A registered visitor with an open room: send, upload, read history, follow live events.

    ::

        async with await AsyncVisitorSession.start(client, name="Alice") as chat:
            await chat.send("Hello!")
            async with chat.events() as stream:
                async for event in stream:
                    ...

    Leaving the ``async with`` block closes the conversation. Keep :attr:`token` to resume it
    later with ``start(client, token=...)``.
    """

    def __init__(self, client: AsyncLivechatClient, visitor: Visitor, room: Room) -> None:
        self.client = client
        self.visitor = visitor
        self.room = room

    @classmethod
    async def start(
        cls,
        client: AsyncLivechatClient,
        token: str | None = None,
        name: str | None = None,
        email: str | None = None,
        department: str | None = None,
    ) -> AsyncVisitorSession:
        """Register (or update) the visitor and open its room, or resume the open one.

        Without ``token`` a new unguessable one is generated.
        """
        visitor = await client.visitor.register_visitor(
            token or new_visitor_token(), name=name, email=email, department=department
        )
        if visitor.token is None:
            raise e.UnexpectedResponseError("the server returned a visitor without a token")
        result = await client.room.get_room(visitor.token)
        return cls(client, visitor, result.room)

    @property
    def token(self) -> str:
        """The visitor token (the server's, which may differ from the one first given)."""
        assert self.visitor.token is not None
        return self.visitor.token

    @property
    def rid(self) -> str:
        """The room id."""
        return self.room.id

    async def send(self, msg: str, message_id: str | None = None) -> Message:
        """Send a message (safe to retry: it carries a client-generated id)."""
        return await self.client.messages.send_message(
            self.token, self.rid, msg, message_id=message_id
        )

    async def upload(
        self,
        file: FileInput,
        description: str | None = None,
        *,
        filename: str | None = None,
        content_type: str | None = None,
        progress: Progress | None = None,
    ) -> UploadedMessage:
        """Upload a path, bytes or binary file into the room (streamed)."""
        return await self.client.room.upload_file(
            self.rid,
            file,
            self.token,
            description=description,
            filename=filename,
            content_type=content_type,
            progress=progress,
        )

    async def history(self, limit: int | None = None) -> list[Message]:
        """The room's messages, oldest first: all of them, or the ``limit`` newest."""
        newest_first: list[Message] = []
        async for message in self.client.messages.iter_message_history(self.rid, self.token):
            newest_first.append(message)
            if limit is not None and len(newest_first) >= limit:
                break
        return newest_first[::-1]

    def events(
        self,
        *,
        replay: int = 0,
        ping_interval: float = 15.0,
        max_reconnect_attempts: int | None = None,
    ) -> AsyncRealtimeStream:
        """The room's live event stream; use as ``async with session.events() as stream:``.

        ``replay`` newest messages come first (see ``client.realtime.connect``).
        """
        return self.client.realtime.connect(
            self.token,
            rooms=[self.rid],
            replay=replay,
            username=self.visitor.username,
            ping_interval=ping_interval,
            max_reconnect_attempts=max_reconnect_attempts,
        )

    async def close(self) -> ClosedRoom | None:
        """Close the conversation; ``None`` when it was already closed."""
        try:
            return await self.client.room.close_room(self.rid, self.token)
        except e.RoomClosedError:
            return None

    async def __aenter__(self) -> AsyncVisitorSession:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
