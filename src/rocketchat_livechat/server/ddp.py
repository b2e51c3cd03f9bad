"""DDP over ``/websocket`` for the embedded server (``apps/meteor/server/modules/streamer/``).

One :class:`DDPSession` per websocket: the handshake, heartbeats both ways, the agent ``login``
(presence online while logged in), the visitor's ``livechat:setUpConnection`` (its open rooms go
``v.status: offline`` when the socket closes), the Rocket.Chat streams with their read checks,
typing through the ``stream-notify-room`` method and the agents' ``sendMessage``.

Stream events come from :class:`~.pubsub.Broadcaster`; all subscriptions of a session share one
queue, so events leave in the order they were published. The heartbeat interval is
``state.ddp_heartbeat`` seconds (15 by default, as Meteor; tests shorten it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from .._core import ddp
from . import auth
from .errors import MeteorError
from .ids import random_id
from .pubsub import Subscription
from .services import messages, users, visitors
from .state import ServerState
from .store import Doc

__all__ = ["DDPSession", "close_sessions", "websocket_endpoint"]

log = logging.getLogger("rocketchat_livechat.server.ddp")

LOGIN_EXPIRATION = timedelta(days=90)
LOGGED_OUT = "You've been logged out by the server. Please log in again."

Event = tuple[str, str, list[Any]]

#: live DDP logins per user id, per server state (presence goes offline at zero)
_LOGINS: weakref.WeakKeyDictionary[ServerState, Counter[str]] = weakref.WeakKeyDictionary()
#: open sessions per server state
_SESSIONS: weakref.WeakKeyDictionary[ServerState, set[DDPSession]] = weakref.WeakKeyDictionary()


async def websocket_endpoint(websocket: WebSocket) -> None:
    """Serve one DDP connection. State is at ``websocket.app.state.livechat``."""
    await websocket.accept()
    await DDPSession(websocket, websocket.app.state.livechat).serve()


def close_sessions(state: ServerState) -> int:
    """Close every open DDP connection of ``state`` from the server side, as a restart would.

    Callable from any thread; returns how many sessions were told to close.
    """
    sessions = list(_SESSIONS.get(state, ()))
    for session in sessions:
        session.loop.call_soon_threadsafe(session.stop.set)
    return len(sessions)


@dataclass(slots=True)
class _Sub:
    stream: str
    event_name: str
    handle: Subscription


class DDPSession:
    """One DDP connection."""

    def __init__(self, websocket: WebSocket, state: ServerState) -> None:
        self.websocket = websocket
        self.state = state
        self.session_id = random_id()
        self.heartbeat = state.ddp_heartbeat
        self.connected = False
        self.user: Doc | None = None
        self.visitor_token: str | None = None
        self._subs: dict[str, _Sub] = {}
        self._events: asyncio.Queue[Event] = asyncio.Queue()
        self._outbox: asyncio.Queue[ddp.Frame] = asyncio.Queue()
        self._own: dict[int, list[Any]] = {}
        self._last_inbound = time.monotonic()
        self.loop = asyncio.get_running_loop()
        self.stop = asyncio.Event()

    # --- lifecycle ----------------------------------------------------------------------------

    async def serve(self) -> None:
        """Run until the socket closes or the peer stops answering pings; then clean up."""
        self._outbox.put_nowait({"server_id": "0"})
        _SESSIONS.setdefault(self.state, set()).add(self)
        tasks = [
            asyncio.create_task(self._read_loop()),
            asyncio.create_task(self._write_loop()),
            asyncio.create_task(self._forward_loop()),
            asyncio.create_task(self._heartbeat_loop()),
            asyncio.create_task(self.stop.wait()),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    log.debug("DDP session %s ended", self.session_id, exc_info=task.exception())
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._cleanup()
            with contextlib.suppress(Exception):
                await self.websocket.close()

    def _cleanup(self) -> None:
        _SESSIONS.get(self.state, set()).discard(self)
        for sub in self._subs.values():
            self.state.broadcaster.unsubscribe(sub.handle)
        self._subs.clear()
        self._set_user(None)
        if self.visitor_token is not None:
            visitors.set_status(self.state, self.visitor_token, "offline")

    async def _read_loop(self) -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                text = await self.websocket.receive_text()
                self._last_inbound = time.monotonic()
                try:
                    frame = ddp.loads(text)
                except ddp.DDPProtocolError:
                    self._send({"msg": "error", "reason": "Parse error"})
                    continue
                try:
                    self._handle(frame)
                except Exception:
                    log.exception("DDP session %s: failed to handle a frame", self.session_id)

    async def _write_loop(self) -> None:
        while True:
            frame = await self._outbox.get()
            await self.websocket.send_text(ddp.dumps(frame))

    async def _forward_loop(self) -> None:
        while True:
            stream, event_name, args = await self._events.get()
            if self._own.pop(id(args), None) is not None:
                continue  # Rocket.Chat does not echo a connection's own stream writes
            if self._subscribed(stream, event_name):
                self._send(ddp.changed(stream, event_name, args))

    async def _heartbeat_loop(self) -> None:
        """Ping after ``heartbeat`` s of inbound silence; give up ``heartbeat`` s later."""
        while True:
            idle = time.monotonic() - self._last_inbound
            if idle < self.heartbeat:
                await asyncio.sleep(self.heartbeat - idle)
                continue
            pinged = time.monotonic()
            self._send(ddp.ping())
            await asyncio.sleep(self.heartbeat)
            if self._last_inbound < pinged:
                log.info("DDP session %s: no answer to ping, closing", self.session_id)
                return

    def _send(self, frame: ddp.Frame) -> None:
        self._outbox.put_nowait(frame)

    # --- frames -------------------------------------------------------------------------------

    def _handle(self, frame: ddp.Frame) -> None:
        kind = frame.get("msg")
        if not self.connected:
            if kind == "connect":
                self._connect(frame)
            else:
                self._send(
                    {"msg": "error", "reason": "Must connect first", "offendingMessage": frame}
                )
            return
        if kind == "ping":
            self._send(ddp.pong(frame.get("id")))
        elif kind == "method":
            self._method(frame)
        elif kind == "sub":
            self._subscribe(frame)
        elif kind == "unsub":
            self._unsubscribe(str(frame.get("id")))
        elif kind not in ("pong", "connect"):
            self._send({"msg": "error", "reason": "Bad request", "offendingMessage": frame})

    def _connect(self, frame: ddp.Frame) -> None:
        if frame.get("version") not in ddp.SUPPORTED_VERSIONS:
            self._send(ddp.failed())
            return
        self.connected = True
        self._send(ddp.connected(self.session_id))

    # --- methods ------------------------------------------------------------------------------

    def _method(self, frame: ddp.Frame) -> None:
        method_id = str(frame.get("id"))
        name = str(frame.get("method"))
        params = frame.get("params")
        params = params if isinstance(params, list) else []
        handler = _METHODS.get(name)
        try:
            if handler is None:
                raise MeteorError("404", f"Method '{name}' not found")
            outcome = handler(self, params)
        except MeteorError as exc:
            self._send(ddp.result_error(method_id, _error(exc)))
        except Exception:
            log.exception("DDP method %s failed", name)
            error = ddp.meteor_error(500, "Internal server error")
            self._send(ddp.result_error(method_id, error))
        else:
            self._send(
                ddp.result(method_id) if outcome is _VOID else ddp.result(method_id, outcome)
            )
        self._send(ddp.updated([method_id]))

    def _login(self, params: list[Any]) -> Any:
        request = params[0] if params and isinstance(params[0], dict) else {}
        if isinstance(request.get("resume"), str):
            token = request["resume"]
            user = auth.user_by_token(self.state.store, token)
            if user is None:
                raise MeteorError("403", LOGGED_OUT)
        else:
            user, token = self._password_login(request)
        self._set_user(user)
        expires = self.state.now() + LOGIN_EXPIRATION
        return {"id": user["_id"], "token": token, "tokenExpires": expires, "type": "resume"}

    def _password_login(self, request: dict[str, Any]) -> tuple[Doc, str]:
        selector, password = request.get("user"), request.get("password")
        if not isinstance(selector, dict) or not isinstance(password, str | dict):
            raise MeteorError("400", "Match failed")
        login = selector.get("username") or selector.get("email")
        user = users.find_by_login(self.state, login) if isinstance(login, str) else None
        if user is None or not user.get("active", True):
            raise MeteorError("403", "User not found")
        if not auth.verify_password(user, password):
            raise MeteorError("403", "Incorrect password")
        return user, auth.create_login_token(self.state.store, user["_id"], self.state.now())

    def _logout(self, params: list[Any]) -> Any:
        self._set_user(None)
        return _VOID

    def _set_user(self, user: Doc | None) -> None:
        """Log the session in or out; presence is online while a user has a DDP login.

        A status chosen explicitly (``away``, ``busy``) is kept at login.
        """
        logins = _LOGINS.setdefault(self.state, Counter())
        if self.user is not None:
            uid = self.user["_id"]
            logins[uid] -= 1
            if logins[uid] <= 0:
                del logins[uid]
                users.set_presence(self.state, uid, "offline")
        self.user = user
        if user is not None:
            logins[user["_id"]] += 1
            if logins[user["_id"]] == 1 and user.get("status", "offline") == "offline":
                users.set_presence(self.state, user["_id"], "online")

    def _setup_connection(self, params: list[Any]) -> Any:
        data = params[0] if params else None
        if not isinstance(data, dict) or not isinstance(data.get("token"), str):
            raise MeteorError("400", "Match failed")
        if self.visitor_token is None:
            self.visitor_token = data["token"]
        return _VOID

    def _notify_room(self, params: list[Any]) -> Any:
        """Typing, by the room's visitor or an agent in it: ``<rid>/user-activity`` and the
        deprecated ``<rid>/typing`` (the 7.x widget's), each re-emitted as the other as
        ``notifications.module.ts`` keeps them compatible (7.x)."""
        if len(params) < 3 or not isinstance(params[0], str):
            return _VOID
        rid, _, kind = params[0].partition("/")
        room = self.state.store.rooms.get(rid)
        if kind not in ("user-activity", "typing") or room is None:
            return _VOID
        extras = params[3] if len(params) > 3 and isinstance(params[3], dict) else {}
        by_visitor = _is_visitor_of(room, extras.get("token"))
        by_user = (
            self.user is not None
            and self._can_access(room)
            and params[1] == self.user.get("username")
        )
        if not (by_visitor or by_user):
            return _VOID
        name, activity = params[1], params[2]
        if kind == "typing":
            extra = params[3] if len(params) > 3 else None
            self._publish_own(
                f"{rid}/user-activity", [name, ["user-typing"] if activity else [], extra]
            )
        elif isinstance(activity, list) and (not activity or "user-typing" in activity):
            self._publish_own(f"{rid}/typing", [name, "user-typing" in activity])
        self._publish_own(params[0], list(params[1:]))
        return _VOID

    def _publish_own(self, event_name: str, args: list[Any]) -> None:
        """Publish on ``stream-notify-room``; not echoed to this connection (Rocket.Chat's)."""
        if self._subscribed("stream-notify-room", event_name):
            self._own[id(args)] = args
        self.state.broadcaster.publish("stream-notify-room", event_name, args)

    def _send_message(self, params: list[Any]) -> Any:
        """An agent's message (``sendMessage [{_id?, rid, msg}]``)."""
        data = params[0] if params else None
        if not isinstance(data, dict) or not isinstance(data.get("rid"), str):
            raise MeteorError("400", "Match failed")
        if self.user is None:
            raise MeteorError("error-invalid-user", "Invalid user", {"method": "sendMessage"})
        room = self.state.store.rooms.get(data["rid"])
        if room is None or not self._can_access(room):
            raise MeteorError("error-not-allowed", "Not allowed", {"method": "sendMessage"})
        message_id = data.get("_id") if isinstance(data.get("_id"), str) else None
        return messages.send_user_message(
            self.state, self.user, room, str(data.get("msg", "")), message_id
        )

    # --- subscriptions ------------------------------------------------------------------------

    def _subscribe(self, frame: ddp.Frame) -> None:
        sub_id, name = str(frame.get("id")), str(frame.get("name"))
        if sub_id in self._subs:
            return
        event_name, args = ddp.parse_stream_params(frame.get("params"))
        check = _READ_CHECKS.get(name)
        if check is None:
            self._send(ddp.nosub(sub_id, ddp.meteor_error(404, f"Subscription '{name}' not found")))
            return
        if not event_name:
            self._send(ddp.nosub(sub_id, ddp.meteor_error("invalid-event-name")))
            return
        extra = args[0] if args and isinstance(args[0], dict) else {}
        if not check(self, event_name, extra):
            self._send(ddp.nosub(sub_id, ddp.meteor_error("not-allowed")))
            return
        handle = self.state.broadcaster.subscribe(name, event_name)
        handle.queue = self._events
        self._subs[sub_id] = _Sub(name, event_name, handle)
        self._send(ddp.ready([sub_id]))

    def _unsubscribe(self, sub_id: str) -> None:
        sub = self._subs.pop(sub_id, None)
        if sub is not None:
            self.state.broadcaster.unsubscribe(sub.handle)
        self._send(ddp.nosub(sub_id))

    def _subscribed(self, stream: str, event_name: str) -> bool:
        return any(s.stream == stream and s.event_name == event_name for s in self._subs.values())

    # --- read checks --------------------------------------------------------------------------

    def _can_access(self, room: Doc) -> bool:
        """A logged-in user's access to a room: its serving agent, or livechat managers."""
        user = self.user
        if user is None:
            return False
        served = room.get("servedBy") or {}
        return served.get("_id") == user["_id"] or auth.has_permission(user, "view-livechat-rooms")

    def _read_room_messages(self, rid: str, extra: dict[str, Any]) -> bool:
        room = self.state.store.rooms.get(rid)
        if room is None:
            return False
        if "visitorToken" in extra:
            return _is_visitor_of(room, extra["visitorToken"]) and bool(room.get("open"))
        return self._can_access(room)

    def _read_livechat_room(self, rid: str, extra: dict[str, Any]) -> bool:
        room = self.state.store.rooms.get(rid)
        if room is None:
            return False
        if "visitorToken" in extra:
            return _is_visitor_of(room, extra["visitorToken"])
        return self._can_access(room)

    def _read_notify_room(self, event_name: str, extra: dict[str, Any]) -> bool:
        rid, _, kind = event_name.partition("/")
        room = self.state.store.rooms.get(rid) if kind else None
        if room is None:
            return False
        if "token" in extra:
            return _is_visitor_of(room, extra["token"])
        return self._can_access(room)

    def _read_inquiry_queue(self, event_name: str, extra: dict[str, Any]) -> bool:
        return auth.has_permission(self.user, "view-l-room")

    def _read_notify_user(self, event_name: str, extra: dict[str, Any]) -> bool:
        return self.user is not None and event_name.startswith(f"{self.user['_id']}/")


_VOID: Any = object()

_METHODS: dict[str, Callable[[DDPSession, list[Any]], Any]] = {
    "login": DDPSession._login,
    "logout": DDPSession._logout,
    "livechat:setUpConnection": DDPSession._setup_connection,
    "stream-notify-room": DDPSession._notify_room,
    "sendMessage": DDPSession._send_message,
}

_READ_CHECKS: dict[str, Callable[[DDPSession, str, dict[str, Any]], bool]] = {
    "stream-room-messages": DDPSession._read_room_messages,
    "stream-livechat-room": DDPSession._read_livechat_room,
    "stream-notify-room": DDPSession._read_notify_room,
    "stream-livechat-inquiry-queue-observer": DDPSession._read_inquiry_queue,
    "stream-notify-user": DDPSession._read_notify_user,
}


def _is_visitor_of(room: Doc, token: Any) -> bool:
    visitor = room.get("v") or {}
    return room.get("t") == "l" and isinstance(token, str) and visitor.get("token") == token


def _error(exc: MeteorError) -> dict[str, Any]:
    code: str | int = int(exc.code) if exc.code.isdigit() else exc.code
    return ddp.meteor_error(code, exc.reason, exc.details)
