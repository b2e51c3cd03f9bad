"""The bot's lifecycle and event dispatch: :class:`LivechatBot`."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Literal, TypeVar

from .. import errors as e
from .._async.client import AsyncLivechatClient
from .._async.realtime import AsyncRealtimeStream
from ..models import Message, Room
from ..realtime import (
    InquiryEvent,
    MessageEvent,
    RealtimeEvent,
    RoomAssignmentEvent,
    RoomClosedEvent,
)
from ._chat import Chat, SyncChat
from ._queue import ChatWorker

logger = logging.getLogger("rocketchat_livechat.bot")

Handler = Callable[..., Awaitable[None] | None]
H = TypeVar("H", bound=Handler)
EventName = Literal["message", "file", "chat_started", "chat_closed", "chat_transferred"]

#: How many messages of a room are read to learn which visitor messages are still unanswered.
HISTORY_WINDOW = 100
STOP_GRACE_SECONDS = 10.0


class LivechatBot:
    """An Omnichannel agent that answers visitors with your handlers.

    ::

        bot = LivechatBot("https://chat.example.com", username="faq-bot", password=...)

        @bot.on_message
        async def answer(chat, message):
            await chat.reply("Hello!")

        bot.run()  # or: await bot.start() ... await bot.stop()

    The bot logs in, goes available, and follows the rooms routed to it (Auto_Selection) or
    takes the queued inquiries it sees (Manual_Selection; only ``departments`` when given).
    Each chat's events are handled in order, chats in parallel. A handler that raises is logged
    and the chat goes on; with ``handoff_after_failures=N`` the chat is handed to
    ``handoff_department`` after N failures in a row. On start it picks up the open rooms it
    already serves and answers the visitor messages no agent has answered yet.

    Handlers: ``on_message(chat, message)`` (visitor messages, new and edited:
    ``message.edited``), ``on_file(chat, message)`` (file messages; without one they go to
    ``on_message``), ``on_chat_started(chat)``, ``on_chat_closed(chat)``,
    ``on_chat_transferred(chat)``. ``async def`` handlers run on the bot's loop; plain functions
    run in a worker thread and get a :class:`SyncChat`.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        client: AsyncLivechatClient | None = None,
        departments: Iterable[str] = (),
        take_inquiries: bool = True,
        handoff_after_failures: int | None = None,
        handoff_department: str | None = None,
        **client_options: Any,
    ) -> None:
        if (url is None) == (client is None):
            raise e.InvalidArgumentError("url", "give the server url or a client, not both")
        if (username is None) != (password is None):
            raise e.InvalidArgumentError("password", "give username and password together")
        if handoff_after_failures is not None and (
            isinstance(handoff_after_failures, bool) or handoff_after_failures < 1
        ):
            raise e.InvalidArgumentError("handoff_after_failures", "must be a positive int")
        if (handoff_after_failures is None) != (handoff_department is None):
            raise e.InvalidArgumentError(
                "handoff_department", "give handoff_after_failures and handoff_department together"
            )
        self._owns_client = client is None
        self.client = client or AsyncLivechatClient(url or "", **client_options)
        self._login = (
            (username, password) if username is not None and password is not None else None
        )
        self.username = username
        self.departments = tuple(departments)
        self.take_inquiries = take_inquiries
        self.handoff_after_failures = handoff_after_failures
        self.handoff_department = handoff_department
        self._handlers: dict[EventName, list[Handler]] = {}
        self._chats: dict[str, ChatWorker] = {}
        self._stream: AsyncRealtimeStream | None = None
        self._pump: asyncio.Task[None] | None = None
        self._user_id: str | None = None

    def __repr__(self) -> str:
        return f"LivechatBot(username={self.username!r}, chats={len(self._chats)})"

    # --- handlers ---------------------------------------------------------------------------

    def on_message(self, handler: H) -> H:
        """Register ``handler(chat, message)`` for visitor messages (new and edited)."""
        return self._register("message", handler)

    def on_file(self, handler: H) -> H:
        """Register ``handler(chat, message)`` for visitor messages that carry a file."""
        return self._register("file", handler)

    def on_chat_started(self, handler: H) -> H:
        """Register ``handler(chat)`` for a chat routed to (or taken by) the bot."""
        return self._register("chat_started", handler)

    def on_chat_closed(self, handler: H) -> H:
        """Register ``handler(chat)`` for a chat that was closed (by anyone)."""
        return self._register("chat_closed", handler)

    def on_chat_transferred(self, handler: H) -> H:
        """Register ``handler(chat)`` for a chat handed to someone else (it leaves the bot)."""
        return self._register("chat_transferred", handler)

    def _register(self, event: EventName, handler: H) -> H:
        if not callable(handler):
            raise e.InvalidArgumentError("handler", "must be callable")
        self._handlers.setdefault(event, []).append(handler)
        return handler

    # --- lifecycle --------------------------------------------------------------------------

    @property
    def chats(self) -> list[Chat]:
        """The chats the bot follows now."""
        return [worker.chat for worker in self._chats.values()]

    async def start(self) -> None:
        """Log in, go available, connect, and pick up the open rooms; returns once running."""
        if self._pump is not None:
            raise e.InvalidArgumentError("bot", "already started")
        if self._login is not None:
            result = await self.client.login(*self._login)
            self.username = str(result.me.get("username") or self.username)
        self._user_id = self.client.user_id
        if self._user_id is None:
            raise e.InvalidArgumentError("client", "the bot needs a logged-in user")
        await self.client.users.set_agent_status("available")
        stream = self.client.realtime.connect_agent(
            username=self.username, departments=self.departments
        )
        await stream.open()
        self._stream = stream
        self._pump = asyncio.create_task(self._consume(stream), name="livechat-bot-events")
        await self._pick_up_served_rooms()
        if self.take_inquiries:
            await self._take_queued()

    async def stop(self) -> None:
        """Stop following events, let each chat finish its current handler, go offline."""
        stream, pump = self._stream, self._pump
        self._stream = self._pump = None
        if stream is not None:
            await stream.close()
        if pump is not None:
            await pump
        workers = list(self._chats.values())
        self._chats.clear()
        await asyncio.gather(*(worker.finish(STOP_GRACE_SECONDS) for worker in workers))
        with contextlib.suppress(e.APIError):
            await self.client.users.set_agent_status("not-available")
        if self._login is not None:
            with contextlib.suppress(e.APIError):
                await self.client.logout()
        if self._owns_client:
            await self.client.close()

    async def __aenter__(self) -> LivechatBot:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def run(self) -> None:
        """Start, serve until Ctrl-C or SIGTERM, stop (the blocking entry point)."""
        asyncio.run(self._serve_forever())

    async def _serve_forever(self) -> None:
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopped.set)
        await self.start()
        try:
            await stopped.wait()
        finally:
            await self.stop()

    # --- events -----------------------------------------------------------------------------

    async def _consume(self, stream: AsyncRealtimeStream) -> None:
        async for event in stream:
            try:
                await self._on_event(event)
            except e.APIError:
                logger.exception("bot: could not act on %s", type(event).__name__)

    async def _on_event(self, event: RealtimeEvent) -> None:
        if isinstance(event, RoomAssignmentEvent):
            if event.assigned:
                self._chat_started(event)
            else:
                await self._chat_left(event.rid)
        elif isinstance(event, RoomClosedEvent):
            self._chat_ended(event.rid, "chat_closed")
        elif isinstance(event, MessageEvent):
            self._message(event)
        elif isinstance(event, InquiryEvent) and self.take_inquiries and _queued(event):
            await self._take(event.inquiry_id, event.inquiry.department if event.inquiry else None)

    def _chat_started(self, event: RoomAssignmentEvent) -> None:
        if event.rid in self._chats:
            return
        room = event.room or _bare_room(event.rid, event.visitor_token)
        self._follow(room).submit(self._handler_call("chat_started"))

    async def _chat_left(self, rid: str) -> None:
        worker = self._chats.get(rid)
        if worker is None:
            return
        closed = await self._was_closed(worker.chat)
        self._chat_ended(rid, "chat_closed" if closed else "chat_transferred")

    def _chat_ended(self, rid: str, why: EventName) -> None:
        worker = self._chats.pop(rid, None)
        if worker is not None:
            worker.submit(self._handler_call(why))
            worker.close()

    def _message(self, event: MessageEvent) -> None:
        message = event.message
        worker = self._chats.get(message.rid or "")
        if worker is None or not _from_visitor(message):
            return
        if not worker.first_sight(message):
            return
        call = self._handler_call(_kind_of(message, self._handlers), message)
        worker.submit(self._if_unanswered(worker.chat, message, call) if event.replayed else call)

    # --- picking up work --------------------------------------------------------------------

    async def _pick_up_served_rooms(self) -> None:
        """The rooms already assigned to the bot (a restart): answer what is unanswered."""
        async for room in self.client.room.iter_rooms(agents=[self._user_id or ""], open=True):
            if room.id in self._chats or room.v is None or not room.v.token:
                continue
            worker = self._follow(room)
            for message in await self._unanswered(worker.chat):
                if worker.first_sight(message):
                    worker.submit(self._handler_call(_kind_of(message, self._handlers), message))

    async def _take_queued(self) -> None:
        """The inquiries queued before the bot came (the stream shows only the later ones)."""
        offset = 0
        while True:
            page = await self.client.inquiries.list_queued_for_user(offset=offset, count=50)
            for inquiry in page:
                await self._take(inquiry.id, inquiry.department)
            offset += len(page)
            if not page.has_more or not len(page):
                return

    async def _take(self, inquiry_id: str, department: str | None) -> None:
        if self.departments and department not in self.departments:
            return
        try:
            await self.client.inquiries.take_inquiry(inquiry_id)
        except e.InquiryTakenError:
            logger.debug("bot: inquiry %s was taken by another agent", inquiry_id)

    def _follow(self, room: Room) -> ChatWorker:
        stream = self._stream
        assert stream is not None
        worker = ChatWorker(Chat(room, self.client, stream, self.username))
        self._chats[room.id] = worker
        return worker

    async def _unanswered(self, chat: Chat) -> list[Message]:
        """The visitor messages after the last agent message of the room."""
        return _unanswered_in(await chat.history(limit=HISTORY_WINDOW), chat)

    async def _was_closed(self, chat: Chat) -> bool:
        with contextlib.suppress(e.APIError):
            last = await chat.history(limit=1)
            return bool(last) and last[-1].t == "livechat-close"
        return False

    # --- running handlers -------------------------------------------------------------------

    def _handler_call(self, event: EventName, *args: Any) -> Callable[[Chat], Awaitable[None]]:
        async def call(chat: Chat) -> None:
            for handler in self._handlers.get(event, ()):
                await self._run_handler(handler, chat, args)

        return call

    def _if_unanswered(
        self, chat: Chat, message: Message, call: Callable[[Chat], Awaitable[None]]
    ) -> Callable[[Chat], Awaitable[None]]:
        """A recovered message is handled only if no agent has answered it meanwhile."""

        async def checked(chat: Chat) -> None:
            # one history read serves the whole burst of recovered messages it already shows
            if message.id not in chat.history_seen:
                history = await chat.history(limit=HISTORY_WINDOW)
                chat.history_seen = {m.id for m in history}
                chat.unanswered = {m.id for m in _unanswered_in(history, chat)}
            if message.id in chat.unanswered:
                await call(chat)

        return checked

    async def _run_handler(self, handler: Handler, chat: Chat, args: tuple[Any, ...]) -> None:
        try:
            if inspect.iscoroutinefunction(handler):
                await handler(chat, *args)
            else:
                sync_chat = SyncChat(chat, asyncio.get_running_loop())
                await asyncio.to_thread(handler, sync_chat, *args)
        except Exception:
            chat.failures += 1
            logger.exception("bot: handler %s failed in room %s", _name(handler), chat.rid)
            await self._maybe_hand_off(chat)
        else:
            chat.failures = 0

    async def _maybe_hand_off(self, chat: Chat) -> None:
        limit, department = self.handoff_after_failures, self.handoff_department
        if limit is None or department is None or chat.failures < limit:
            return
        try:
            await chat.handoff(department=department, comment=f"bot failed {limit} times")
        except e.APIError:
            logger.exception("bot: could not hand room %s to %s", chat.rid, department)


def _unanswered_in(history: list[Message], chat: Chat) -> list[Message]:
    """The visitor messages of ``history`` (oldest first) after the last agent message.

    What the bot itself said since it follows the chat does not count: a greeting sent while a
    visitor message was on its way has not answered it.
    """
    waiting: list[Message] = []
    for message in history:
        if _from_visitor(message):
            waiting.append(message)
        elif not message.is_system and message.id not in chat.sent:
            waiting.clear()
    return waiting


def _bare_room(rid: str, token: str | None) -> Room:
    """The room of an assignment that came without it: its id and the visitor's token."""
    return Room.model_validate(
        {"_id": rid, "t": "l", "open": True, "v": {"_id": "", "token": token}}
    )


def _queued(event: InquiryEvent) -> bool:
    return event.inquiry is not None and event.inquiry.status == "queued"


def _from_visitor(message: Message) -> bool:
    return not message.is_system and bool(message.token)


def _kind_of(message: Message, handlers: dict[EventName, list[Handler]]) -> EventName:
    return "file" if message.file is not None and "file" in handlers else "message"


def _name(handler: Handler) -> str:
    return getattr(handler, "__qualname__", repr(handler))
