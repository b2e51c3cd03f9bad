"""``WebhookReceiver``: a pure ASGI app (and a framework-free core) that receives webhooks."""

from __future__ import annotations

import asyncio
import collections
import hashlib
import inspect
import json
import logging
import threading
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from ..errors import InvalidArgumentError, WebhookError, WebhookPayloadTooLargeError
from .events import EVENT_TYPES, WebhookEvent
from .parsing import DEFAULT_MAX_BODY_SIZE, _load, _validate, check_token

__all__ = ["Handler", "WebhookReceiver", "WebhookResponse"]

logger = logging.getLogger("rocketchat_livechat.webhooks")

Handler = Callable[[Any], Any]
"""A handler gets the typed event; it may be ``async`` or a plain function (run in a thread)."""

H = TypeVar("H", bound=Callable[..., Any])

Reply = bytes | str | Mapping[str, Any] | None

#: ``(type, room id, ((message id, _updatedAt), ...), sha256 of the canonical body)``
DedupeKey = tuple[str, str | None, tuple[tuple[Any, Any], ...], str]


@dataclass(frozen=True)
class WebhookResponse:
    """What to answer Rocket.Chat: a status, a body and its headers."""

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    duplicate: bool = False


def _dedupe_key(data: Mapping[str, Any]) -> DedupeKey:
    messages = data.get("messages")
    ids: tuple[tuple[Any, Any], ...] = ()
    if isinstance(messages, list):
        ids = tuple(
            (m.get("_id"), m.get("_updatedAt")) if isinstance(m, dict) else (None, None)
            for m in messages
        )
    room = data.get("_id")
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return (str(data["type"]), room if isinstance(room, str) else None, ids, digest)


def _encode(reply: Reply) -> tuple[bytes, list[tuple[str, str]]]:
    if reply is None:
        return b"", []
    if isinstance(reply, Mapping):
        body = json.dumps(reply, separators=(",", ":")).encode("utf-8")
        return body, [("content-type", "application/json")]
    body = reply.encode("utf-8") if isinstance(reply, str) else bytes(reply)
    return body, [("content-type", "text/plain; charset=utf-8")]


class _BackgroundLoop:
    """An event loop in a daemon thread, for :meth:`WebhookReceiver.handle_sync` (WSGI apps)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="rocketchat-webhooks", daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


class WebhookReceiver:
    """Receives Rocket.Chat's Omnichannel webhooks and runs your handlers.

    Mount it as an ASGI app (any path answers; only ``POST``). Per request it checks the token
    (constant time), reads at most ``max_body_size`` bytes, parses the event, answers **200 at
    once** and runs the handlers afterwards, one event at a time per room, in arrival order
    (events of different rooms run concurrently). Refusals answer a 4xx, which Rocket.Chat does
    not retry (it retries only 5xx, 429 and network errors): 401 token missing, 403 token wrong,
    400 not a webhook, 413 too large, 405 not ``POST``. Handler exceptions are logged
    (``rocketchat_livechat.webhooks`` logger) and never change the answer.

    Redeliveries (Rocket.Chat retries a timed-out request with the identical body) are answered
    200 and not handled again: the key is ``(type, room id, messages' (_id, _updatedAt), a SHA-256
    of the whole body)``. The body digest is part of the key so that distinct events sharing the
    rest (a ``LeadCapture`` per visitor message, a forward back and forth) are not dropped; an
    edit re-sends ``Message`` with a new ``_updatedAt``, so it is handled. The last
    ``dedupe_size`` keys are remembered (0 turns it off).

    ``reply`` is the 200 answer's body, which Rocket.Chat stores as the room's ``crmData`` and
    sends back in the room's next events: ``None`` (empty; no ``crmData`` key then), bytes/str,
    a mapping (sent as JSON), or a function of the event returning one of those (keep it fast: it
    runs before the answer).

    ``acknowledge="after-handlers"`` answers only once the event's handlers have run: 200 when
    they all succeeded, 500 when one raised, so that Rocket.Chat delivers the event again later
    (its retries: 5 attempts) and the redelivery is handled, not ignored. Keep such handlers
    within Rocket.Chat's ``Livechat_http_timeout``. A bridge that must not lose an agent message
    uses this mode.

    One receiver serves one event loop: the ASGI server's, or (with :meth:`handle_sync`) its own
    background thread.
    """

    def __init__(
        self,
        secret: str | None,
        *,
        max_body_size: int | None = DEFAULT_MAX_BODY_SIZE,
        dedupe_size: int = 10_000,
        reply: Reply | Callable[[Any], Reply] = None,
        acknowledge: Literal["at-once", "after-handlers"] = "at-once",
    ) -> None:
        if acknowledge not in ("at-once", "after-handlers"):
            raise InvalidArgumentError("acknowledge", "'at-once' or 'after-handlers'")
        if secret == "":
            raise InvalidArgumentError(
                "secret", "must be a non-empty string, or None to accept requests without a token"
            )
        if dedupe_size < 0:
            raise InvalidArgumentError("dedupe_size", "must be >= 0")
        self._secret = secret
        self.max_body_size = max_body_size
        self.dedupe_size = dedupe_size
        self._reply = reply
        self.acknowledge = acknowledge
        self._handlers: list[tuple[str | None, Handler]] = []
        self._seen: collections.OrderedDict[DedupeKey, None] = collections.OrderedDict()
        self._lock = threading.Lock()
        self._queues: dict[str | None, collections.deque[Any]] = {}
        self._workers: dict[str | None, asyncio.Task[None]] = {}
        self._background: _BackgroundLoop | None = None

    def __repr__(self) -> str:
        secret = "None" if self._secret is None else "'***'"
        return f"WebhookReceiver(secret={secret}, handlers={len(self._handlers)})"

    # --- registering handlers ----------------------------------------------------------------

    def on(self, event_type: str | None = None) -> Callable[[H], H]:
        """Decorator: run the function for events of ``event_type`` (``None``: every event).

        ``event_type`` is a ``type`` string of Rocket.Chat (``"Message"``,
        ``"LivechatSession"``...) or ``"unknown"`` for :class:`UnknownWebhookEvent`. Handlers of
        one event run in registration order.
        """
        if event_type is not None and event_type not in EVENT_TYPES | {"unknown"}:
            known = ", ".join(sorted(EVENT_TYPES))
            raise InvalidArgumentError("event_type", f"unknown event type; one of {known}, unknown")

        def register(handler: H) -> H:
            self._handlers.append((event_type, handler))
            return handler

        return register

    def add_handler(self, handler: Handler, event_type: str | None = None) -> None:
        """Non-decorator form of :meth:`on`."""
        self.on(event_type)(handler)

    def on_message(self, handler: H) -> H:
        """``Message``: a visitor or agent message was saved or edited."""
        return self.on("Message")(handler)

    def on_session_start(self, handler: H) -> H:
        """``LivechatSessionStart``."""
        return self.on("LivechatSessionStart")(handler)

    def on_session_queued(self, handler: H) -> H:
        """``LivechatSessionQueued``."""
        return self.on("LivechatSessionQueued")(handler)

    def on_session_taken(self, handler: H) -> H:
        """``LivechatSessionTaken``."""
        return self.on("LivechatSessionTaken")(handler)

    def on_session_forwarded(self, handler: H) -> H:
        """``LivechatSessionForwarded``."""
        return self.on("LivechatSessionForwarded")(handler)

    def on_session_closed(self, handler: H) -> H:
        """``LivechatSession``: the room was closed (also the ``webhook.test`` sample)."""
        return self.on("LivechatSession")(handler)

    def on_edit(self, handler: H) -> H:
        """``LivechatEdit``."""
        return self.on("LivechatEdit")(handler)

    def on_offline_message(self, handler: H) -> H:
        """``LivechatOfflineMessage``."""
        return self.on("LivechatOfflineMessage")(handler)

    def on_lead_capture(self, handler: H) -> H:
        """``LeadCapture``."""
        return self.on("LeadCapture")(handler)

    def on_unknown(self, handler: H) -> H:
        """An event of a ``type`` this SDK does not know."""
        return self.on("unknown")(handler)

    # --- the framework-free core -------------------------------------------------------------

    def accept(
        self, body: bytes | str, headers: Mapping[str, str] | Iterable[tuple[str, str]]
    ) -> tuple[WebhookResponse, WebhookEvent | None]:
        """Check and parse one request: the answer, and the event to handle (None: nothing to do).

        Does not run handlers; :meth:`handle` / :meth:`handle_sync` do.
        """
        response, event, _ = self._accept(body, headers)
        return response, event

    def _accept(
        self, body: bytes | str, headers: Mapping[str, str] | Iterable[tuple[str, str]]
    ) -> tuple[WebhookResponse, WebhookEvent | None, DedupeKey | None]:
        try:
            check_token(headers, self._secret)
            data = _load(body, self.max_body_size)
            event = _validate(data)
        except WebhookError as exc:
            logger.warning("webhook refused with %s: %s", exc.code, exc.message)
            payload = json.dumps({"success": False, "error": exc.error, "message": exc.message})
            return (
                WebhookResponse(exc.code, payload.encode(), [("content-type", "application/json")]),
                None,
                None,
            )
        duplicate = False
        key = _dedupe_key(data) if self.dedupe_size else None
        if key is not None:
            with self._lock:
                if key in self._seen:
                    self._seen.move_to_end(key)
                    duplicate = True
                else:
                    self._seen[key] = None
                    while len(self._seen) > self.dedupe_size:
                        self._seen.popitem(last=False)
        if duplicate:
            logger.info("webhook redelivery ignored: %s for room %s", event.type, event.room_id)
        reply = self._reply(event) if callable(self._reply) else self._reply
        payload_bytes, content = _encode(reply)
        response = WebhookResponse(200, payload_bytes, content, duplicate=duplicate)
        return response, None if duplicate else event, key

    async def handle(
        self, body: bytes | str, headers: Mapping[str, str] | Iterable[tuple[str, str]]
    ) -> WebhookResponse:
        """Check one request and schedule its handlers on the running loop; return the answer.

        For async frameworks (FastAPI, Starlette, aiohttp...): answer with the returned status
        and body; the handlers run after, on the same loop.
        """
        response, event, key = self._accept(body, headers)
        if event is None:
            return response
        if self.acknowledge == "after-handlers":
            return await self._handled(event, key, response)
        self._enqueue(event)
        return response

    def handle_sync(
        self, body: bytes | str, headers: Mapping[str, str] | Iterable[tuple[str, str]]
    ) -> WebhookResponse:
        """:meth:`handle` for threaded (WSGI) apps such as Flask.

        The handlers run on the receiver's own event loop in a daemon thread (started on first
        use; :meth:`close` stops it).
        """
        response, event, key = self._accept(body, headers)
        if event is None:
            return response
        with self._lock:
            if self._background is None:
                self._background = _BackgroundLoop()
            loop = self._background.loop
        if self.acknowledge == "after-handlers":
            handled = self._handled(event, key, response)
            return asyncio.run_coroutine_threadsafe(handled, loop).result()
        loop.call_soon_threadsafe(self._enqueue, event)
        return response

    async def _handled(
        self, event: Any, key: DedupeKey | None, response: WebhookResponse
    ) -> WebhookResponse:
        """Run the event's handlers now (in its room's order); 500 when one of them raised."""
        if await self._enqueue(event):
            return response
        if key is not None:
            with self._lock:
                self._seen.pop(key, None)  # the redelivery must be handled
        payload = {"success": False, "error": "webhook-handler-failed"}
        return WebhookResponse(
            500, json.dumps(payload).encode(), [("content-type", "application/json")]
        )

    async def join(self) -> None:
        """Wait until every scheduled handler has run."""
        while self._workers:
            await asyncio.gather(*self._workers.values(), return_exceptions=True)

    def join_sync(self, timeout: float | None = None) -> None:
        """:meth:`join` for :meth:`handle_sync` users; ``TimeoutError`` after ``timeout``."""
        background = self._background
        if background is None:
            return
        asyncio.run_coroutine_threadsafe(self.join(), background.loop).result(timeout)

    def close(self, timeout: float | None = None) -> None:
        """Wait for pending handlers (up to ``timeout``) and stop the background thread, if any."""
        background, self._background = self._background, None
        if background is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self.join(), background.loop).result(timeout)
        finally:
            background.close()

    # --- running handlers, in order per room -------------------------------------------------

    def _enqueue(self, event: Any) -> asyncio.Future[bool]:
        """Queue the event behind its room's; the future tells whether every handler succeeded."""
        loop = asyncio.get_running_loop()
        finished: asyncio.Future[bool] = loop.create_future()
        room: str | None = event.room_id
        queue = self._queues.setdefault(room, collections.deque())
        queue.append((event, finished))
        if room not in self._workers:
            self._workers[room] = loop.create_task(self._drain(room))
        return finished

    async def _drain(self, room: str | None) -> None:
        queue = self._queues[room]
        try:
            while queue:
                event, finished = queue.popleft()
                succeeded = await self._run(event)
                if not finished.done():
                    finished.set_result(succeeded)
        finally:
            del self._queues[room]
            del self._workers[room]

    async def _run(self, event: Any) -> bool:
        succeeded = True
        kind = event.type if event.type in EVENT_TYPES else "unknown"
        for wanted, handler in list(self._handlers):
            if wanted is not None and wanted != kind:
                continue
            try:
                if inspect.iscoroutinefunction(handler):
                    await handler(event)
                else:
                    result = await asyncio.to_thread(handler, event)
                    if inspect.isawaitable(result):
                        await result
            except Exception:
                succeeded = False
                name = getattr(handler, "__qualname__", repr(handler))
                logger.exception(
                    "webhook handler %s failed on a %s event for room %s",
                    name,
                    event.type,
                    event.room_id,
                )
        return succeeded

    # --- ASGI ----------------------------------------------------------------------------------

    async def __call__(
        self,
        scope: Mapping[str, Any],
        receive: Callable[[], Awaitable[Mapping[str, Any]]],
        send: Callable[[Mapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await receive()
                await send({"type": "websocket.close", "code": 1003})
            return
        if scope["method"] != "POST":
            await self._send(send, WebhookResponse(405, b"", [("allow", "POST")]))
            return
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        body = await self._read_body(headers, receive)
        if isinstance(body, WebhookResponse):
            await self._send(send, body)
            return
        response, event, key = self._accept(body, headers)
        if event is not None and self.acknowledge == "after-handlers":
            response = await self._handled(event, key, response)
        elif event is not None:
            self._enqueue(event)
        await self._send(send, response)

    async def _read_body(
        self, headers: list[tuple[str, str]], receive: Callable[[], Awaitable[Mapping[str, Any]]]
    ) -> bytes | WebhookResponse:
        limit = self.max_body_size
        length = next((v for k, v in headers if k.lower() == "content-length"), None)
        too_large: WebhookPayloadTooLargeError | None = None
        if limit is not None and length is not None and length.isdigit() and int(length) > limit:
            too_large = WebhookPayloadTooLargeError(
                f"webhook refused: the body has {length} bytes, over the limit of {limit}",
                code=413,
                error="webhook-too-large",
            )
        chunks: list[bytes] = []
        size = 0
        while too_large is None:
            message = await receive()
            if message["type"] == "http.disconnect":
                return WebhookResponse(400, b"")
            chunk = message.get("body", b"")
            size += len(chunk)
            if limit is not None and size > limit:
                too_large = WebhookPayloadTooLargeError(
                    f"webhook refused: the body is over the limit of {limit} bytes",
                    code=413,
                    error="webhook-too-large",
                )
                break
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)
        logger.warning("webhook refused with 413: %s", too_large.message)
        payload = json.dumps(
            {"success": False, "error": too_large.error, "message": too_large.message}
        ).encode()
        return WebhookResponse(
            413, payload, [("content-type", "application/json"), ("connection", "close")]
        )

    @staticmethod
    async def _send(
        send: Callable[[Mapping[str, Any]], Awaitable[None]],
        response: WebhookResponse,
    ) -> None:
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        headers.append((b"content-length", str(len(response.body)).encode()))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})

    async def _lifespan(
        self,
        receive: Callable[[], Awaitable[Mapping[str, Any]]],
        send: Callable[[Mapping[str, Any]], Awaitable[None]],
    ) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.join()  # let scheduled handlers finish before the server exits
                await send({"type": "lifespan.shutdown.complete"})
                return
