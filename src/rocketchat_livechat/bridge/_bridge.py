"""The bridge: outside contacts as livechat visitors, with nothing lost or doubled."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .. import errors as e
from .._async.client import AsyncLivechatClient
from .._async.realtime import AsyncRealtimeStream
from .._core.downloads import Destination
from .._core.ids import derived_message_id
from .._core.uploads import FileInput
from ..models import Message
from ..realtime import MessageEvent
from ..webhooks import WebhookEvent, WebhookReceiver
from ._store import BridgeStore, open_store

logger = logging.getLogger("rocketchat_livechat.bridge")

_CHANNEL = re.compile(r"[A-Za-z0-9_-]{1,40}")
#: How many times one delivery may find its room closed or its visitor gone before giving up.
RECOVERY_ATTEMPTS = 3
#: How many of a room's newest messages are read to find the agent messages to hand out.
HISTORY_WINDOW = 100

AgentHandler = Callable[[str, "AgentMessage"], Awaitable[None]]
ClosedHandler = Callable[[str], Awaitable[None]]
F = TypeVar("F", bound=Callable[..., Awaitable[None]])


@dataclass(frozen=True)
class Profile:
    """What the bridge tells Rocket.Chat about a contact when it registers the visitor."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    custom_fields: Mapping[str, str] | None = None


@dataclass(frozen=True)
class AgentMessage:
    """An agent's message for the outside contact (from a Rocket.Chat webhook)."""

    id: str
    text: str
    rid: str
    agent_id: str
    username: str | None = None
    file_url: str | None = None
    file_name: str | None = None
    file_type: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


class LivechatBridge:
    """Connect an outside channel (WhatsApp, Telegram, SMS, ...) to Omnichannel.

    ::

        bridge = LivechatBridge(client, channel="whatsapp", secret=..., store="sqlite:///b.db")
        await bridge.deliver(contact_id, text="oi", external_id=wa_message_id, name="Maria")

        @bridge.on_agent_message
        async def send_out(contact_id, message):
            await whatsapp.send(contact_id, message.text)

    Each contact is a visitor whose token is derived from ``(secret, channel, contact_id)``:
    unguessable, and the same again if the store is lost. An inbound message is sent under an
    id derived from its ``external_id``, so a redelivered or retried message can never become
    a second one. A closed room or a deleted visitor is recovered from (a new room, a new
    registration). One delivery per contact at a time (order kept), contacts in parallel.
    Agent messages arrive through :meth:`handle_webhook` and reach ``on_agent_message`` once
    per contact, even when Rocket.Chat retries the webhook or the process restarts.
    """

    def __init__(
        self,
        client: AsyncLivechatClient,
        *,
        channel: str,
        secret: str,
        store: str | BridgeStore = "sqlite:///bridge.db",
        department: str | None = None,
    ) -> None:
        if not isinstance(channel, str) or not _CHANNEL.fullmatch(channel):
            raise e.InvalidArgumentError("channel", "1-40 letters, digits, - or _")
        if not isinstance(secret, str) or len(secret) < 16:
            raise e.InvalidArgumentError("secret", "must be a string of at least 16 characters")
        self.client = client
        self.channel = channel
        self.department = department
        self._key = secret.encode()
        self.store = open_store(store)
        self._locks: dict[str, asyncio.Lock] = {}
        self._agent_handlers: list[AgentHandler] = []
        self._closed_handlers: list[ClosedHandler] = []

    def __repr__(self) -> str:
        return f"LivechatBridge(channel={self.channel!r}, store={self.store!r})"

    # --- identity ---------------------------------------------------------------------------

    def token_for(self, contact_id: str) -> str:
        """The visitor token derived for an outside contact (the one registered, unless Rocket.Chat
        answered with an existing visitor of the same phone: then the bridge uses that one's)."""
        _require("contact_id", contact_id)
        digest = hmac.new(self._key, f"{self.channel}\0{contact_id}".encode(), hashlib.sha256)
        return f"{self.channel}-{digest.hexdigest()[:40]}"

    def _message_id(self, contact_id: str, external_id: str) -> str:
        return derived_message_id(self._key, self.channel, contact_id, external_id)

    # --- inbound: contact → Rocket.Chat ---------------------------------------------------------

    async def deliver(
        self,
        contact_id: str,
        *,
        external_id: str,
        text: str | None = None,
        file: FileInput | None = None,
        name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        custom_fields: Mapping[str, str] | None = None,
    ) -> Message | None:
        """Deliver one outside message (``text`` or ``file``) as the contact's visitor message.

        Returns the message, or ``None`` when ``external_id`` was delivered before. The profile
        (``name``, ``email``, ...) is used when the contact's visitor is (re-)registered.
        A file is delivered at least once: a crash between Rocket.Chat's answer and the
        bridge's bookkeeping can upload it twice (uploads take no client-chosen id).
        """
        _require("contact_id", contact_id)
        _require("external_id", external_id)
        if (text is None) == (file is None):
            raise e.InvalidArgumentError("text", "give exactly one of text= or file=")
        if text is not None:
            _require("text", text)
        profile = Profile(name, email, phone, custom_fields)
        async with self._lock(contact_id):
            if self.store.inbound_done(contact_id, external_id):
                return None
            message = await self._deliver_recovering(contact_id, external_id, text, file, profile)
            self.store.mark_inbound(contact_id, external_id, message.id)
            return message

    async def _deliver_recovering(
        self,
        contact_id: str,
        external_id: str,
        text: str | None,
        file: FileInput | None,
        profile: Profile,
    ) -> Message:
        for attempt in range(1, RECOVERY_ATTEMPTS + 1):
            token, rid = await self._open_room(contact_id, profile)
            try:
                if text is not None:
                    return await self._send_text(contact_id, external_id, token, rid, text)
                assert file is not None
                return await self.client.room.upload_file(rid, file, token)
            except (e.RoomClosedError, e.InvalidRoomError, e.InvalidTokenError) as gone:
                if attempt == RECOVERY_ATTEMPTS:
                    raise
                logger.info("bridge: %s for a contact of %s; recovering", gone.error, self.channel)
                self.store.set_room(contact_id, None)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _open_room(self, contact_id: str, profile: Profile) -> tuple[str, str]:
        """The contact's visitor token and open room (registered and opened when unknown)."""
        token = self.store.token_of(contact_id) or self.token_for(contact_id)
        rid = self.store.room_of(contact_id)
        if rid is not None:
            return token, rid
        visitor = await self.client.visitor.register_visitor(
            token,
            name=profile.name,
            email=profile.email,
            phone=profile.phone,
            department=self.department,
            custom_fields=profile.custom_fields,
        )
        # Rocket.Chat may answer with an existing visitor of the same phone, keeping its token
        token = visitor.token or token
        self.store.remember_contact(token, contact_id)
        room = (await self.client.room.get_room(token)).room
        self.store.set_room(contact_id, room.id)
        return token, room.id

    async def _send_text(
        self, contact_id: str, external_id: str, token: str, rid: str, text: str
    ) -> Message:
        message_id = self._message_id(contact_id, external_id)
        try:
            return await self.client.messages.send_message(token, rid, text, message_id=message_id)
        except (e.RoomClosedError, e.InvalidRoomError, e.InvalidTokenError):
            raise
        except e.BadRequestError:
            # Rocket.Chat refuses a second message with the same id: it is there already
            existing = await self._stored(message_id, token, rid)
            if existing is None:
                raise
            return existing

    async def _stored(self, message_id: str, token: str, rid: str) -> Message | None:
        try:
            return await self.client.messages.get_message(message_id, token, rid)
        except e.APIStatusError:
            return None

    # --- outbound: Rocket.Chat → contact --------------------------------------------------------

    def on_agent_message(self, handler: F) -> F:
        """Register ``handler(contact_id, message)`` for agent messages (:class:`AgentMessage`)."""
        self._agent_handlers.append(_callable(handler))
        return handler

    def on_chat_closed(self, handler: F) -> F:
        """Register ``handler(contact_id)`` for a closed chat (the next message opens a new one)."""
        self._closed_handlers.append(_callable(handler))
        return handler

    async def download(self, contact_id: str, message: AgentMessage, dest: Destination) -> int:
        """Download an agent's file (``message.file_url``) with the contact's visitor access, to
        a path or a binary file object, streamed; the number of bytes written."""
        if not message.file_url:
            raise e.InvalidArgumentError("message", "carries no file")
        token = self.store.token_of(contact_id) or self.token_for(contact_id)
        return await self.client.messages.download_file(
            message.file_url, token, dest, rid=message.rid
        )

    def webhook_receiver(self, secret: str | None) -> WebhookReceiver:
        """An ASGI app for Rocket.Chat's webhooks (``Livechat_webhookUrl``), ``secret`` being its
        ``Livechat_secret_token``. It answers once the agent messages are handed out (500 when
        a handler failed, so that Rocket.Chat delivers the event again)."""
        receiver = WebhookReceiver(secret, acknowledge="after-handlers")

        @receiver.on()
        async def relay(event: WebhookEvent) -> None:
            await self.handle_webhook(event.model_dump(by_alias=True, mode="json"))

        return receiver

    @contextlib.asynccontextmanager
    async def following(self, contact_ids: Iterable[str]) -> AsyncIterator[None]:
        """Hand out agent messages from the contacts' realtime streams while the block runs
        (instead of, or besides, webhooks): one visitor stream per contact's open room, each
        agent message handed out once, in order (the same store as the webhook path)."""
        tasks = []
        for contact_id in contact_ids:
            token, rid = self.store.token_of(contact_id), self.store.room_of(contact_id)
            if token is None or rid is None:
                raise e.InvalidArgumentError("contact_ids", "a contact without an open room")
            stream = self.client.realtime.connect(token, rooms=[rid])
            await stream.open()
            tasks.append((stream, asyncio.create_task(self._follow(contact_id, token, stream))))
        try:
            yield
        finally:
            for stream, task in tasks:
                await stream.close()
                await task

    async def _follow(self, contact_id: str, token: str, stream: AsyncRealtimeStream) -> None:
        async for event in stream:
            if isinstance(event, MessageEvent) and _agent_wrote(event.message):
                rid = event.message.rid or ""
                async with self._lock(contact_id):
                    for message in await self._agent_messages(token, rid, {}):
                        await self._hand_out(contact_id, message)

    async def handle_webhook(self, payload: Mapping[str, Any]) -> int:
        """Act on one Rocket.Chat webhook payload (already authenticated); returns how many agent
        messages it handed out. Raise, and Rocket.Chat's retry comes back later: a message a
        handler failed on is handed out again then, one already handed out never is."""
        visitor = payload.get("visitor")
        token = visitor.get("token") if isinstance(visitor, Mapping) else None
        contact_id = self.store.contact_of(token) if isinstance(token, str) else None
        if contact_id is None:
            return 0  # not one of this bridge's contacts (or the test payload)
        rid, kind, handed = str(payload.get("_id") or ""), payload.get("type"), 0
        async with self._lock(contact_id):
            if kind == "Message":  # session events repeat the whole room, system messages too
                for message in await self._agent_messages(token or "", rid, payload):
                    handed += await self._hand_out(contact_id, message)
            elif kind == "LivechatSession":
                await self._closed(contact_id, rid)
        return handed

    async def _agent_messages(
        self, token: str, rid: str, payload: Mapping[str, Any]
    ) -> list[AgentMessage]:
        """The room's agent messages, oldest first.

        The webhook is the trigger, the room's history the source: a webhook Rocket.Chat
        reordered, or gave up on after its retries, leaves nothing out (the store skips what
        was handed out already). Without the history, the payload's own messages.
        """
        try:
            history = await self.client.messages.get_message_history(
                rid, token, limit=HISTORY_WINDOW
            )
        except e.APIError:
            items = payload.get("messages") or ()
            return [_agent_message(raw, rid) for raw in items if _from_agent(raw)]
        return [_from_history(m, rid) for m in reversed(history) if _agent_wrote(m)]

    async def _hand_out(self, contact_id: str, message: AgentMessage) -> int:
        if not self.store.claim_outbound(contact_id, message.id):
            return 0
        try:
            for handler in self._agent_handlers:
                await handler(contact_id, message)
        except BaseException:
            self.store.finish_outbound(contact_id, message.id, delivered=False)
            raise
        self.store.finish_outbound(contact_id, message.id, delivered=True)
        return 1

    async def _closed(self, contact_id: str, rid: str) -> None:
        if self.store.room_of(contact_id) in (rid, None):
            self.store.set_room(contact_id, None)
            for handler in self._closed_handlers:
                await handler(contact_id)

    # --- plumbing -----------------------------------------------------------------------------

    def _lock(self, contact_id: str) -> asyncio.Lock:
        lock = self._locks.get(contact_id)
        if lock is None:
            lock = self._locks[contact_id] = asyncio.Lock()
        return lock

    def close(self) -> None:
        """Close the store (the client is the caller's)."""
        self.store.close()


def _from_agent(raw: object) -> bool:
    """An agent's message item (``agentId`` is set on those only), not the closing one."""
    return isinstance(raw, Mapping) and bool(raw.get("agentId")) and not raw.get("closingMessage")


def _agent_wrote(message: Message) -> bool:
    return not message.is_system and not message.token and message.u is not None


def _from_history(message: Message, rid: str) -> AgentMessage:
    attachment = message.attachments[0] if message.attachments else None
    upload = message.file_upload
    return AgentMessage(
        id=message.id,
        text=message.msg or "",
        rid=rid,
        agent_id=message.u.id if message.u else "",
        username=message.u.username if message.u else None,
        file_url=(upload.public_file_path if upload else None)
        or (attachment.title_link if attachment else None),
        file_name=message.file.name if message.file else None,
        file_type=message.file.type if message.file else None,
        raw=message.model_dump(by_alias=True, mode="json"),
    )


def _agent_message(raw: Mapping[str, Any], rid: str) -> AgentMessage:
    upload = _mapping(raw.get("fileUpload"))
    user = _mapping(raw.get("u"))
    return AgentMessage(
        id=str(raw.get("_id") or ""),
        text=str(raw.get("msg") or ""),
        rid=rid,
        agent_id=str(raw.get("agentId")),
        username=raw.get("username") or user.get("username"),
        file_url=upload.get("publicFilePath"),
        file_name=upload.get("name") if isinstance(upload.get("name"), str) else None,
        file_type=upload.get("type"),
        raw=raw,
    )


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _require(name: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        raise e.InvalidArgumentError(name, "must be a non-empty string")


def _callable(handler: Any) -> Any:
    if not asyncio.iscoroutinefunction(handler):
        raise e.InvalidArgumentError("handler", "must be an async function")
    return handler
