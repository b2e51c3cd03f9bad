"""Live events over Rocket.Chat's DDP websocket: reconnecting, resubscribing and gap-free.

The stream is pull-based: everything (reading frames, answering pings, detecting a dead socket,
reconnecting with backoff, resubscribing, recovering missed messages from history) happens
inside ``__anext__``, in the task or thread that iterates. There are no background tasks, so
``_sync/realtime.py`` is generated from this file.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, WebSocketException

from .. import _concurrency
from .. import errors as e
from .._core import ddp
from .._core.backoff import backoff_delay
from .._core.events import (
    INQUIRY_QUEUE,
    LIVECHAT_ROOM,
    NOTIFY_ROOM,
    NOTIFY_USER,
    ROOM_MESSAGES,
    ConnectionEvent,
    MessageEvent,
    MessageLedger,
    RealtimeEvent,
    RoomAssignmentEvent,
    parse_changed,
)
from .._core.redact import WEBSOCKET_LOGGER
from .._core.request import Call, Request
from .._version import USER_AGENT
from ..models import Message

if TYPE_CHECKING:
    from .client import AsyncLivechatClient

__all__ = ["AsyncRealtime", "AsyncRealtimeStream"]

logger = logging.getLogger("rocketchat_livechat.realtime")

E = TypeVar("E")

#: the agent's notify-user events announcing rooms it joins or leaves
_ASSIGNMENT_EVENTS = ("subscriptions-changed", "rooms-changed")

#: shortest wait for a frame, so that frames already buffered are read before judging silence
_MIN_WAIT = 0.05

#: failures after which the stream reconnects instead of giving up
_TRANSIENT = (
    OSError,
    TimeoutError,
    WebSocketException,
    ddp.DDPProtocolError,
    e.APIConnectionError,
    e.RateLimitError,
    e.ServerError,
)


class AsyncRealtime:
    """``client.realtime``: opens live event streams for a visitor or for the logged-in agent."""

    def __init__(self, client: AsyncLivechatClient) -> None:
        self._client = client

    def connect(
        self,
        token: str,
        *,
        rooms: Iterable[str] = (),
        replay: int = 0,
        username: str | None = None,
        ping_interval: float = 15.0,
        max_reconnect_attempts: int | None = None,
        open_timeout: float = 10.0,
    ) -> AsyncRealtimeStream:
        """A visitor's event stream; use as ``async with client.realtime.connect(token) as s:``.

        ``rooms`` are subscribed when the stream opens (more with :meth:`~AsyncRealtimeStream.
        subscribe_room`), each first replaying its ``replay`` newest messages. ``username`` is
        what typing notifications carry (looked up once when needed if not given). A silent
        socket is declared dead after two ``ping_interval`` without any frame. Reconnection
        retries forever unless ``max_reconnect_attempts`` is set.
        """
        options = _Options(ping_interval, max_reconnect_attempts, open_timeout)
        identity = _Identity(visitor_token=token, username=username)
        return AsyncRealtimeStream(self._client, identity, options, rooms=rooms, replay=replay)

    def connect_agent(
        self,
        *,
        username: str | None = None,
        departments: Iterable[str] = (),
        served_rooms: bool = True,
        ping_interval: float = 15.0,
        max_reconnect_attempts: int | None = None,
        open_timeout: float = 10.0,
    ) -> AsyncRealtimeStream:
        """The logged-in agent's event stream (after ``client.login(...)``).

        Logs in over DDP with the client's auth token, follows the inquiry queue (public queue
        and ``departments``: :class:`InquiryEvent`) and, with ``served_rooms``, every open room
        the agent serves: rooms assigned later are joined (:class:`RoomAssignmentEvent`) with
        their messages so far replayed, and left when closed or unassigned. ``username`` is
        what the agent's typing notifications carry (the logged-in user's, looked up once when
        needed, if not given).
        """
        token = self._client.auth_token
        if token is None:
            raise e.InvalidArgumentError("client", "log in (client.login) before connect_agent()")
        options = _Options(ping_interval, max_reconnect_attempts, open_timeout)
        identity = _Identity(
            resume_token=token,
            username=username,
            departments=tuple(departments),
            follow_rooms=served_rooms,
        )
        return AsyncRealtimeStream(self._client, identity, options)


@dataclass(frozen=True, slots=True)
class _Options:
    ping_interval: float
    max_reconnect_attempts: int | None
    open_timeout: float
    page_size: int = 100


@dataclass(slots=True)
class _Identity:
    visitor_token: str | None = None
    resume_token: str | None = None
    username: str | None = None
    user_id: str | None = None
    departments: tuple[str, ...] = ()
    follow_rooms: bool = False


@dataclass(slots=True)
class _Sub:
    name: str
    params: list[Any]
    rid: str | None = None
    messages: bool = False
    confirmed: bool = False


@dataclass(slots=True)
class _Room:
    visitor_token: str | None
    sub_ids: list[str] = field(default_factory=list)


class AsyncRealtimeStream:
    """A live, reconnecting, gap-free stream of :data:`RealtimeEvent` s.

    Iterate it (``async for event in stream``) or register handlers with :meth:`on` and
    :meth:`run` it. After a drop it reconnects with capped exponential backoff, resubscribes,
    then replays the messages missed meanwhile (``MessageEvent.replayed``) before going live;
    every message is delivered once, in order (an edit comes again with ``edited=True``).
    A refusal (a refused subscription or history, a failed DDP login: a :class:`RealtimeError`)
    or too many reconnect attempts end the stream: a final ``ConnectionEvent("closed",
    error=...)`` is yielded, then the error is raised.

    :meth:`send_typing` and :meth:`close` may be called from another task or thread while the
    stream is iterated; call the other methods from the iterating task or before iterating.
    """

    def __init__(
        self,
        client: AsyncLivechatClient,
        identity: _Identity,
        options: _Options,
        *,
        rooms: Iterable[str] = (),
        replay: int = 0,
    ) -> None:
        self._client = client
        self._identity = identity
        self._options = options
        self._initial_rooms = list(rooms)
        self._initial_replay = replay
        self._ids = ddp.IdSequence()
        self._ledger = MessageLedger()
        self._ws: ClientConnection | None = None
        self._session: str | None = None
        self._subs: dict[str, _Sub] = {}
        self._rooms: dict[str, _Room] = {}
        self._pending: set[str] = set()
        self._events: deque[RealtimeEvent] = deque()
        self._handlers: list[tuple[type[Any], Callable[[Any], object]]] = []
        self._closing = _concurrency.AsyncEvent()
        self._finished = False
        self._failure: BaseException | None = None
        self._attempt = 0
        self._recovered = 0
        self._last_inbound = 0.0
        self._ping_sent = False
        self._opened = False

    # --- lifecycle --------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def open(self) -> None:
        """Connect, log in and subscribe the initial rooms (done by ``async with``; idempotent).

        Failing here ends the stream: nothing is retried before a first connection succeeded.
        """
        if self._opened:
            return
        self._opened = True
        try:
            await self._establish_first()
            self._events.append(ConnectionEvent("connected"))
            for rid in self._initial_rooms:
                await self.subscribe_room(rid, replay=self._initial_replay)
            if self._identity.follow_rooms:
                await self._follow_served_rooms()
        except BaseException as exc:
            await self._finish(exc if isinstance(exc, Exception) else None)
            raise

    async def _establish_first(self) -> None:
        try:
            await self._establish()
        except e.APIError:
            raise
        except _TRANSIENT as exc:
            raise e.APIConnectionError(f"realtime connection failed: {exc!r}") from exc

    async def close(self) -> None:
        """End the stream; the iteration yields ``ConnectionEvent("closed")`` and stops."""
        self._closing.set()
        ws = self._ws
        if ws is not None:
            await ws.close()

    @property
    def connected(self) -> bool:
        """Whether the websocket is currently up."""
        return self._ws is not None

    @property
    def session(self) -> str | None:
        """The DDP session id of the current connection."""
        return self._session

    @property
    def rooms(self) -> frozenset[str]:
        """Ids of the rooms followed (rooms seen closed are dropped at the next reconnect)."""
        return frozenset(self._rooms)

    @property
    def user_id(self) -> str | None:
        """The agent's user id once logged in over DDP (agent streams)."""
        return self._identity.user_id

    # --- subscriptions and typing -----------------------------------------------------------

    async def subscribe_room(
        self, rid: str, *, replay: int = 0, visitor_token: str | None = None
    ) -> None:
        """Follow a room's messages, typing, deletions and (visitors) agent/queue changes.

        ``replay`` newest messages are delivered first (``replayed=True``). ``visitor_token``
        (agent streams) lets the stream recover missed messages from the room's history.
        A refusal (a room that is not the visitor's, a bad token) ends the stream and raises a
        :class:`RealtimeError` (that is also the REST error, e.g. ``InvalidRoomError``).
        """
        if rid in self._rooms:
            return
        token = visitor_token or self._identity.visitor_token
        if not self._ledger.is_started(rid):
            await self._start_room(rid, token, replay)
        room = _Room(token)
        self._rooms[rid] = room
        self._ledger.begin_fill(rid, gap=False)  # a first subscription: nothing was missed
        for name, event_name, args, messages in self._room_streams(rid, token):
            sub = _Sub(name, ddp.stream_params(event_name, args), rid=rid, messages=messages)
            room.sub_ids.append(await self._add_sub(sub))

    async def _start_room(self, rid: str, token: str | None, replay: int) -> None:
        """Seed the room's baseline (its newest message) from history; a refusal ends the stream."""
        try:
            recent = await self._history(rid, token, limit=max(replay, 1)) if token else []
        except e.RealtimeError as exc:
            await self._finish(exc)
            raise
        self._events.extend(self._ledger.start(rid, recent, replay=replay > 0))

    async def unsubscribe_room(self, rid: str) -> None:
        """Stop following a room."""
        room = self._rooms.pop(rid, None)
        if room is None:
            return
        self._ledger.forget(rid)
        for sub_id in room.sub_ids:
            self._subs.pop(sub_id, None)
            self._pending.discard(sub_id)
            await self._send(ddp.unsub(sub_id))

    async def send_typing(self, rid: str, typing: bool, username: str | None = None) -> None:
        """Tell the room you started or stopped typing (``user-activity``).

        Typing is ephemeral: while the connection is down the notification is dropped.
        """
        name = username or self._identity.username or await self._own_username()
        token = self._room_token(rid)
        extras = {"token": token} if self._identity.visitor_token is not None else {}
        activity = ["user-typing"] if typing else []
        params = [f"{rid}/user-activity", name, activity, extras]
        await self._send(ddp.method(self._ids.next(), "stream-notify-room", params))

    # --- consuming ----------------------------------------------------------------------------

    def on(self, event_type: type[E], handler: Callable[[E], object]) -> None:
        """Call ``handler(event)`` from :meth:`run` for each event of ``event_type``.

        ``object`` matches every event. In the async client the handler may be a coroutine
        function. Exceptions raised by handlers are logged and never end the stream.
        """
        self._handlers.append((event_type, handler))

    async def run(self) -> None:
        """Dispatch events to the :meth:`on` handlers until the stream ends."""
        async for event in self:
            for event_type, handler in self._handlers:
                if isinstance(event, event_type):
                    try:
                        await _concurrency.async_call_handler(handler, event)
                    except Exception:
                        logger.exception("realtime handler %r failed on %r", handler, event)

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> RealtimeEvent:
        await self.open()
        while not self._events:
            if self._failure is not None:
                raise self._failure
            if self._finished:
                raise StopAsyncIteration
            await self._advance()
        return self._events.popleft()

    # --- the pump -----------------------------------------------------------------------------

    async def _advance(self) -> None:
        """Make progress: read one frame, or ping, or reconnect, or finish."""
        if self._closing.is_set():
            await self._finish(None)
            return
        ws = self._ws
        if ws is None:
            await self._reconnect()
            return
        try:
            data = await _concurrency.async_recv(ws, max(self._silence_budget(), _MIN_WAIT))
        except TimeoutError:
            await self._on_silence()
            return
        except ConnectionClosed as exc:
            await self._lost(exc)
            return
        self._last_inbound = time.monotonic()
        self._ping_sent = False
        try:
            frame = ddp.loads(data)
        except ddp.DDPProtocolError as exc:
            logger.warning("realtime: ignored an invalid frame (%s)", exc)
            return
        try:
            await self._dispatch(frame)
        except e.APIError as exc:
            if isinstance(exc, _TRANSIENT):
                await self._lost(exc)
            else:
                await self._finish(exc)

    def _silence_budget(self) -> float:
        limit = self._options.ping_interval * (2 if self._ping_sent else 1)
        return max(0.0, self._last_inbound + limit - time.monotonic())

    async def _on_silence(self) -> None:
        if self._ping_sent:
            silent = 2 * self._options.ping_interval
            await self._lost(TimeoutError(f"no frame from the server for {silent:g} s"))
            return
        self._ping_sent = True
        await self._send(ddp.ping(self._ids.next()))

    async def _dispatch(self, frame: ddp.Frame) -> None:
        kind = frame.get("msg")
        if kind == "ping":
            await self._send(ddp.pong(frame.get("id")))
        elif kind == "changed":
            await self._on_changed(frame)
        elif kind == "ready":
            for sub_id in frame.get("subs", ()):
                await self._on_ready(sub_id)
        elif kind == "nosub":
            await self._on_nosub(frame)
        elif kind == "result" and "error" in frame:
            logger.warning("realtime method failed: %s", ddp.parse_error(frame["error"]).message)
        elif kind == "error":
            logger.warning(
                "realtime protocol error reported by the server: %s", frame.get("reason")
            )

    async def _on_changed(self, frame: ddp.Frame) -> None:
        fields = frame.get("fields")
        if not isinstance(fields, dict):
            return
        collection, event_name = str(frame.get("collection")), str(fields.get("eventName"))
        try:
            events = parse_changed(collection, event_name, fields.get("args") or [])
        except ValueError:
            logger.warning("realtime: skipped a malformed %s event", collection, exc_info=True)
            return
        for event in events:
            if isinstance(event, MessageEvent):
                self._events.extend(self._ledger.accept(event.message))
            elif isinstance(event, RoomAssignmentEvent) and self._identity.follow_rooms:
                await self._follow(event)
            else:
                self._events.append(event)

    async def _follow(self, event: RoomAssignmentEvent) -> None:
        """Join a room assigned to the agent (with its history so far) or leave it."""
        if event.assigned == (event.rid in self._rooms):
            return  # Rocket.Chat announces it on two streams
        self._events.append(event)
        if event.assigned:
            replay = self._options.page_size
            await self.subscribe_room(event.rid, replay=replay, visitor_token=event.visitor_token)
        else:
            await self.unsubscribe_room(event.rid)

    async def _on_ready(self, sub_id: str) -> None:
        sub = self._subs.get(sub_id)
        if sub is None:
            return
        sub.confirmed = True
        if sub.messages and sub.rid is not None:
            await self._fill(sub.rid)
        self._settle(sub_id)

    async def _on_nosub(self, frame: ddp.Frame) -> None:
        sub_id = str(frame.get("id"))
        sub = self._subs.get(sub_id)
        if sub is None:
            return
        if "error" not in frame:  # ended by the server
            self._subs.pop(sub_id, None)
            self._settle(sub_id)
            return
        info = ddp.parse_error(frame["error"])
        if sub.confirmed and sub.rid is not None:
            # a resubscription: a room closed while we were away is refused; recover its end
            if sub.messages:
                await self._fill(sub.rid)
            if self._ledger.is_closed(sub.rid):
                await self.unsubscribe_room(sub.rid)
                self._settle(sub_id)
                return
        error = e.RealtimeError(
            f"subscription to {sub.name} {sub.params[0]!r} refused: {info.message}",
            error=info.code,
            details=frame["error"],
        )
        await self._finish(error)

    def _settle(self, sub_id: str) -> None:
        """Note a subscription as answered; after a reconnect, report when all are back."""
        self._pending.discard(sub_id)
        if not self._pending and self._attempt:
            self._report_resubscribed()

    def _report_resubscribed(self) -> None:
        self._events.append(
            ConnectionEvent("resubscribed", attempt=self._attempt, recovered=self._recovered)
        )
        self._attempt = 0
        self._recovered = 0

    # --- gap fill -----------------------------------------------------------------------------

    async def _fill(self, rid: str) -> None:
        """Replay what the room got since the last message seen, then release held messages."""
        room = self._rooms.get(rid)
        token = room.visitor_token if room is not None else None
        recovered: list[Message] = []
        if token is not None:
            gap = self._ledger.gap(rid, self._options.page_size)
            while not gap.done:
                end, offset = gap.next_page()
                gap.feed(await self._history(rid, token, self._options.page_size, end, offset))
            recovered = gap.messages()
        events = self._ledger.end_fill(rid, recovered)
        if self._attempt:
            self._recovered += sum(
                1 for ev in events if isinstance(ev, MessageEvent) and ev.replayed
            )
        self._events.extend(events)

    async def _history(
        self, rid: str, token: str, limit: int, end: datetime | None = None, offset: int = 0
    ) -> list[Message]:
        with _refusals():
            return await self._client.messages.get_message_history(
                rid, token, end=end, limit=limit, offset=offset or None
            )

    # --- connection ---------------------------------------------------------------------------

    async def _establish(self) -> None:
        """Open the socket, handshake, log in and (re)send every subscription."""
        ws = await _concurrency.async_open_websocket(
            _websocket_url(str(self._client.base_url)),
            open_timeout=self._options.open_timeout,
            ping_interval=None,
            close_timeout=1.0,
            max_size=None,
            user_agent_header=USER_AGENT,
            logger=WEBSOCKET_LOGGER,
        )
        try:
            await self._handshake(ws)
            await self._login(ws)
        except BaseException:
            await ws.close()
            raise
        for rid in list(self._rooms):  # not connected yet: nothing is sent
            if self._ledger.is_closed(rid):
                await self.unsubscribe_room(rid)
            else:
                self._ledger.begin_fill(rid)
        if self._identity.user_id is not None:
            self._add_agent_subs(self._identity.user_id)
        self._last_inbound = time.monotonic()
        self._ping_sent = False
        self._ws = ws
        self._pending.clear()
        for sub_id in list(self._subs):
            await self._send_sub(sub_id)

    async def _handshake(self, ws: ClientConnection) -> None:
        await ws.send(ddp.dumps(ddp.connect()))
        frame = await self._await_frame(ws, lambda f: f.get("msg") in ("connected", "failed"))
        if frame["msg"] == "failed":
            raise e.RealtimeError(
                f"the server refused DDP {ddp.DDP_VERSION} (it offers {frame.get('version')})",
                error="failed",
                details=frame,
            )
        self._session = frame.get("session")

    async def _login(self, ws: ClientConnection) -> None:
        identity = self._identity
        method_id = self._ids.next()
        if identity.visitor_token is not None:
            version = await self._server_version()
            setup = ddp.visitor_login(method_id, identity.visitor_token, version)
            if setup is not None:
                await ws.send(ddp.dumps(setup))
            return
        login = ddp.method(method_id, "login", [{"resume": identity.resume_token}])
        await ws.send(ddp.dumps(login))
        frame = await self._await_frame(
            ws, lambda f: f.get("msg") == "result" and f.get("id") == method_id
        )
        if "error" in frame:
            info = ddp.parse_error(frame["error"])
            raise e.RealtimeError(
                f"realtime login refused: {info.message}", error=info.code, details=frame["error"]
            )
        result = frame.get("result")
        identity.user_id = result.get("id") if isinstance(result, dict) else None

    async def _server_version(self) -> tuple[int, ...] | None:
        """The server's version (cached per client); ``None`` when ``/api/info`` fails."""
        try:
            return await self._client.server_version()
        except e.APIError as exc:
            logger.debug("server version unknown: %s", exc)
            return None

    async def _await_frame(
        self, ws: ClientConnection, wanted: Callable[[ddp.Frame], bool]
    ) -> ddp.Frame:
        """Read until a frame satisfies ``wanted`` (answering pings); ``TimeoutError`` if late."""
        deadline = time.monotonic() + self._options.open_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the server did not answer the DDP handshake in time")
            frame = ddp.loads(await _concurrency.async_recv(ws, remaining))
            if wanted(frame):
                return frame
            if frame.get("msg") == "ping":
                await ws.send(ddp.dumps(ddp.pong(frame.get("id"))))

    def _add_agent_subs(self, user_id: str) -> None:
        """The agent's own streams (once; they are resent on every reconnect)."""
        if any(sub.rid is None for sub in self._subs.values()):
            return
        streams = [(NOTIFY_USER, f"{user_id}/{kind}") for kind in _ASSIGNMENT_EVENTS]
        streams += [(INQUIRY_QUEUE, "public")]
        streams += [(INQUIRY_QUEUE, f"department/{d}") for d in self._identity.departments]
        for name, event_name in streams:
            self._subs[self._ids.next()] = _Sub(name, ddp.stream_params(event_name))

    async def _follow_served_rooms(self) -> None:
        user_id = self._identity.user_id
        if user_id is None:
            return
        served = self._client.room.iter_rooms(agents=[user_id], open=True)
        with _refusals():
            rooms = [room async for room in served]
        for room in rooms:
            token = room.v.token if room.v is not None else None
            await self.subscribe_room(room.id, visitor_token=token)

    async def _add_sub(self, sub: _Sub) -> str:
        sub_id = self._ids.next()
        self._subs[sub_id] = sub
        if self._ws is not None:
            await self._send_sub(sub_id)
        return sub_id

    async def _send_sub(self, sub_id: str) -> None:
        sub = self._subs[sub_id]
        self._pending.add(sub_id)
        await self._send(ddp.sub(sub_id, sub.name, sub.params))

    async def _send(self, frame: ddp.Frame) -> None:
        """Send a frame if connected; a failure is noticed by the reader, which reconnects."""
        ws = self._ws
        if ws is None:
            return
        try:
            await ws.send(ddp.dumps(frame))
        except ConnectionClosed:
            logger.debug("realtime: frame dropped, the connection is closed")

    async def _lost(self, error: BaseException) -> None:
        """The connection died: hold live messages, then reconnect from :meth:`_advance`."""
        if self._closing.is_set():
            await self._finish(None)
            return
        logger.info("realtime connection lost: %r", error)
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()
        for rid in self._rooms:
            self._ledger.begin_fill(rid)
        self._attempt += 1
        self._events.append(ConnectionEvent("reconnecting", attempt=self._attempt, error=error))

    async def _reconnect(self) -> None:
        limit = self._options.max_reconnect_attempts
        if limit is not None and self._attempt > limit:
            error = e.APIConnectionError(f"realtime: gave up after {limit} reconnect attempts")
            await self._finish(error)
            return
        if await _concurrency.async_wait(self._closing, backoff_delay(self._attempt)):
            await self._finish(None)
            return
        try:
            await self._establish()
        except _TRANSIENT as exc:
            logger.info("realtime reconnect attempt %d failed: %r", self._attempt, exc)
            self._attempt += 1
            self._events.append(ConnectionEvent("reconnecting", attempt=self._attempt, error=exc))
            return
        except e.APIError as exc:
            await self._finish(exc)
            return
        self._events.append(ConnectionEvent("connected", attempt=self._attempt))
        if not self._pending:
            self._report_resubscribed()

    async def _finish(self, error: BaseException | None) -> None:
        """End the stream (``error`` = why); idempotent."""
        if self._finished:
            return
        self._finished = True
        self._closing.set()
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()
        self._events.append(ConnectionEvent("closed", error=error))
        self._failure = error

    # --- helpers ------------------------------------------------------------------------------

    def _room_streams(self, rid: str, token: str | None) -> list[tuple[str, str, list[Any], bool]]:
        """``(stream, eventName, args, is_messages)`` of a room's subscriptions."""
        if self._identity.visitor_token is None:
            args: list[Any] = []
            return [
                (ROOM_MESSAGES, rid, args, True),
                (NOTIFY_ROOM, f"{rid}/user-activity", args, False),
                (NOTIFY_ROOM, f"{rid}/deleteMessage", args, False),
            ]
        args = [{"token": token, "visitorToken": token}]
        return [
            (ROOM_MESSAGES, rid, args, True),
            (LIVECHAT_ROOM, rid, args, False),
            (NOTIFY_ROOM, f"{rid}/user-activity", args, False),
            (NOTIFY_ROOM, f"{rid}/deleteMessage", args, False),
        ]

    def _room_token(self, rid: str) -> str | None:
        room = self._rooms.get(rid)
        return room.visitor_token if room is not None else self._identity.visitor_token

    async def _own_username(self) -> str:
        """The visitor's or the logged-in user's username (looked up once)."""
        token = self._identity.visitor_token
        if token is None:
            username = await self._client._request(_ME)
        else:
            visitor = await self._client.visitor.get_visitor(token)
            username = visitor.username or visitor.name or ""
        self._identity.username = username
        return username


@contextmanager
def _refusals() -> Iterator[None]:
    """Raise the server's refusals of the stream's REST calls as :class:`RealtimeError`.

    Transient failures (rate limit, 5xx) pass unchanged: the stream retries those.
    """
    try:
        yield
    except e.APIStatusError as exc:
        if isinstance(exc, _TRANSIENT):
            raise
        raise e.RealtimeError.refusal(exc) from exc


def _username_of(body: Any) -> str:
    username = body.get("username") if isinstance(body, dict) else None
    if not isinstance(username, str) or not username:
        raise e.UnexpectedResponseError("unexpected response: GET me has no username", code=200)
    return username


#: the logged-in user (``GET /api/v1/me``), for the username of an agent's typing notifications
_ME = Call(Request("GET", "me", "me", auth="user", idempotent=True), _username_of)


def _websocket_url(base_url: str) -> str:
    """``http(s)://host/prefix/`` → ``ws(s)://host/prefix/websocket``."""
    scheme, _, rest = base_url.partition("://")
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest.rstrip('/')}/websocket"
