"""Typed Omnichannel webhook ("CRM integration") events.

The payload is built by Rocket.Chat's ``sendToCRM`` (``apps/meteor/app/livechat/server/hooks/
sendToCRM.ts``: messages, ``getAdditionalFieldsByType``), ``getLivechatRoomGuestInfo``
(``lib/guests.ts``: room, visitor, agent, ``crmData``), ``hooks/offlineMessage.ts``
(``LivechatOfflineMessage``) and the hard-coded sample of ``POST livechat/webhook.test``
(``api/v1/webhooks.ts``). Field by field: /work/shared/rocketchat-webhooks-bridges-8x.md §1.3.

Choices:

* Every model keeps unknown keys (``extra="allow"``, readable in ``model_extra``), so a field a
  newer Rocket.Chat adds is not lost.
* ``visitor.email`` / ``visitor.phone`` arrive as arrays of ``{address}`` / ``{phoneNumber}`` in
  real events and as plain strings in the test payload; both become ``emails`` / ``phones`` lists
  (``visitor.email`` / ``visitor.phone`` give the first value as a string).
* An unknown ``type`` is not an error: it parses to :class:`UnknownWebhookEvent`, which keeps the
  whole body (``raw``), so a receiver keeps answering 200 to a newer server.
* Visitor tokens (``visitor.token``, ``messages[].navigation``) are left out of reprs.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, JsonValue, Tag, TypeAdapter

from ..models._base import RocketChatModel, Timestamp
from ..models.message import Attachment, FileUpload, MessageFile, MessageUser
from ..models.room import ServedBy
from ..models.user import UserRef
from ..models.visitor import VisitorEmail, VisitorPhone

__all__ = [
    "EVENT_TYPES",
    "TEST_PAYLOAD_ROOM_ID",
    "LeadCaptureEvent",
    "LivechatEditEvent",
    "LivechatOfflineMessageEvent",
    "LivechatSessionEvent",
    "LivechatSessionForwardedEvent",
    "LivechatSessionQueuedEvent",
    "LivechatSessionStartEvent",
    "LivechatSessionTakenEvent",
    "MessageEvent",
    "OfflineVisitor",
    "RoomEvent",
    "UnknownWebhookEvent",
    "WebhookAgent",
    "WebhookEvent",
    "WebhookMessage",
    "WebhookVisitor",
]


def _as_list(key: str) -> Any:
    """Turn the test payload's plain string into the real events' ``[{key: value}]``."""

    def convert(value: Any) -> Any:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [{key: value}]
        if isinstance(value, dict):
            return [value]
        return value

    return BeforeValidator(convert)


class WebhookVisitor(RocketChatModel):
    """The room's visitor (``getLivechatRoomGuestInfo``).

    ``os`` / ``browser`` are present only when Rocket.Chat stored the user agent. The test payload
    has no ``token`` and an empty ``_id``.
    """

    id: str | None = Field(default=None, alias="_id")
    token: str | None = Field(default=None, repr=False)
    name: str | None = None
    username: str | None = None
    department: str | None = None
    ip: str | None = None
    os: str | None = None
    browser: str | None = None
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    emails: Annotated[list[VisitorEmail], _as_list("address")] = Field(
        default_factory=list, alias="email"
    )
    phones: Annotated[list[VisitorPhone], _as_list("phoneNumber")] = Field(
        default_factory=list, alias="phone"
    )

    @property
    def email(self) -> str | None:
        """The first e-mail address, if any."""
        return self.emails[0].address if self.emails else None

    @property
    def phone(self) -> str | None:
        """The first phone number, if any."""
        return self.phones[0].phone_number if self.phones else None


class WebhookAgent(RocketChatModel):
    """The serving agent: ``{_id, username, name, customFields?, email?}``.

    ``email`` is the agent's first address, a string. ``custom_fields`` holds only the fields
    flagged ``sendToIntegrations``.
    """

    id: str | None = Field(default=None, alias="_id")
    username: str | None = None
    name: str | None = None
    email: str | None = None
    custom_fields: dict[str, Any] | None = None


class WebhookMessage(RocketChatModel):
    """One item of ``messages[]``.

    ``agent_id`` is present if and only if the sender is not the room's visitor (compared by
    username). ``msg`` is missing on a file message without text. ``closing_message`` marks the
    ``livechat-close`` system message. The test payload's items have no ``_id``, ``rid`` nor ``u``.
    """

    id: str | None = Field(default=None, alias="_id")
    username: str | None = None
    msg: str | None = None
    blocks: list[dict[str, Any]] | None = None
    ts: Timestamp | None = None
    rid: str | None = None
    u: MessageUser | None = None
    edited_at: Timestamp | None = None
    agent_id: str | None = None
    navigation: dict[str, Any] | None = Field(default=None, repr=False)  # holds the token
    closing_message: bool = False
    file: MessageFile | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    file_upload: FileUpload | None = None
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")

    @property
    def from_agent(self) -> bool:
        """Whether an agent (or a bot) sent it: ``agentId`` is set."""
        return self.agent_id is not None

    @property
    def from_visitor(self) -> bool:
        """Whether the room's visitor sent it."""
        return self.agent_id is None

    @property
    def edited(self) -> bool:
        """Whether this is an edit (Rocket.Chat re-sends ``Message`` when a message is edited)."""
        return self.edited_at is not None

    @property
    def text(self) -> str | None:
        """Readable alias of ``msg``."""
        return self.msg


class RoomEvent(RocketChatModel):
    """Fields every room event shares (``getLivechatRoomGuestInfo`` + ``messages``).

    ``id`` is the **room id**. ``crm_data`` is the raw text of the receiver's previous 200 answer
    for this room (Rocket.Chat 6.x+; older servers stored a JSON value).
    """

    id: str | None = Field(default=None, alias="_id")
    label: str | None = None
    topic: str | None = None
    created_at: Timestamp | None = None
    last_message_at: Timestamp | None = None
    tags: list[str] | None = None
    custom_fields: dict[str, Any] | None = None
    visitor: WebhookVisitor | None = None
    agent: WebhookAgent | None = None
    crm_data: JsonValue = None
    messages: list[WebhookMessage] = Field(default_factory=list)

    @property
    def room_id(self) -> str | None:
        """Readable alias of ``id`` (``_id``, the room id)."""
        return self.id


class LivechatSessionStartEvent(RoomEvent):
    """``LivechatSessionStart``: a room was created (``Livechat_webhook_on_start``)."""

    type: Literal["LivechatSessionStart"]
    department_id: str | None = None


class LivechatSessionQueuedEvent(RoomEvent):
    """``LivechatSessionQueued``: the new inquiry waits in the queue (``..._on_chat_queued``)."""

    type: Literal["LivechatSessionQueued"]
    department_id: str | None = None


class LivechatSessionTakenEvent(RoomEvent):
    """``LivechatSessionTaken``: an agent got the chat (``..._on_chat_taken``)."""

    type: Literal["LivechatSessionTaken"]
    department_id: str | None = None
    served_by: ServedBy | None = None


class LivechatSessionForwardedEvent(RoomEvent):
    """``LivechatSessionForwarded`` (``..._on_forward``).

    After a forward to an agent ``old_served_by`` is set; after one to a department,
    ``old_department_id``.
    """

    type: Literal["LivechatSessionForwarded"]
    department_id: str | None = None
    served_by: ServedBy | None = None
    old_department_id: str | None = None
    old_served_by: ServedBy | None = None


class LivechatSessionEvent(RoomEvent):
    """``LivechatSession``: the room was closed (``..._on_close``), also the test payload's type.

    ``messages`` holds the whole conversation, including the ``livechat-close`` message.
    ``closer`` is ``"visitor"`` or ``"user"``.
    """

    type: Literal["LivechatSession"]
    department_id: str | None = None
    served_by: ServedBy | None = None
    closed_at: Timestamp | None = None
    closed_by: UserRef | None = None
    closer: str | None = None

    @property
    def is_test(self) -> bool:
        """Whether this is the sample sent by ``POST livechat/webhook.test``."""
        return self.id == TEST_PAYLOAD_ROOM_ID


class LivechatEditEvent(RoomEvent):
    """``LivechatEdit``: room/visitor info saved on a closed room (no setting gates it)."""

    type: Literal["LivechatEdit"]


class MessageEvent(RoomEvent):
    """``Message``: one visitor or agent message was saved, or edited (``edited_at`` set).

    ``messages`` has exactly one item, also available as ``message``.
    """

    type: Literal["Message"]

    @property
    def message(self) -> WebhookMessage | None:
        """The message (``messages[0]``)."""
        return self.messages[0] if self.messages else None


class LeadCaptureEvent(RoomEvent):
    """``LeadCapture``: a visitor message was checked for e-mail/phone (``..._on_capture``).

    Rocket.Chat fires it for every unedited visitor message; ``messages`` is empty.
    """

    type: Literal["LeadCapture"]


class OfflineVisitor(RocketChatModel):
    """The offline form's ``{name, email}`` (``email`` is a string here)."""

    name: str | None = None
    email: str | None = None


class LivechatOfflineMessageEvent(RocketChatModel):
    """``LivechatOfflineMessage``: the offline form was sent. No room, no ``crmData``."""

    type: Literal["LivechatOfflineMessage"]
    sent_at: Timestamp | None = None
    visitor: OfflineVisitor | None = None
    message: str | None = None

    @property
    def room_id(self) -> None:
        """Offline messages have no room."""
        return None


class UnknownWebhookEvent(RocketChatModel):
    """An event whose ``type`` this SDK does not know (a newer Rocket.Chat).

    Not an error: every key is kept (``raw`` gives the body back as received).
    """

    type: str

    @property
    def raw(self) -> dict[str, Any]:
        """The body as received."""
        return {"type": self.type, **(self.model_extra or {})}

    @property
    def room_id(self) -> str | None:
        """``_id`` when it is a string (the room id in every known room event)."""
        value = (self.model_extra or {}).get("_id")
        return value if isinstance(value, str) else None

    @property
    def messages(self) -> list[Any]:
        """``messages`` as received (not parsed), or an empty list."""
        value = (self.model_extra or {}).get("messages")
        return value if isinstance(value, list) else []


TEST_PAYLOAD_ROOM_ID = "fasd6f5a4sd6f8a4sdf"
"""The fixed ``_id`` of ``livechat/webhook.test``'s sample (rocket.connect detects the test so)."""

_CLASSES: dict[str, type[RocketChatModel]] = {
    "LivechatSessionStart": LivechatSessionStartEvent,
    "LivechatSessionQueued": LivechatSessionQueuedEvent,
    "LivechatSessionTaken": LivechatSessionTakenEvent,
    "LivechatSessionForwarded": LivechatSessionForwardedEvent,
    "LivechatSession": LivechatSessionEvent,
    "LivechatEdit": LivechatEditEvent,
    "Message": MessageEvent,
    "LivechatOfflineMessage": LivechatOfflineMessageEvent,
    "LeadCapture": LeadCaptureEvent,
}

EVENT_TYPES: frozenset[str] = frozenset(_CLASSES)
"""The ``type`` strings Rocket.Chat sends (§1.2)."""


def _tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if isinstance(kind, str) and kind in EVENT_TYPES else "unknown"


WebhookEvent = Annotated[
    Annotated[LivechatSessionStartEvent, Tag("LivechatSessionStart")]
    | Annotated[LivechatSessionQueuedEvent, Tag("LivechatSessionQueued")]
    | Annotated[LivechatSessionTakenEvent, Tag("LivechatSessionTaken")]
    | Annotated[LivechatSessionForwardedEvent, Tag("LivechatSessionForwarded")]
    | Annotated[LivechatSessionEvent, Tag("LivechatSession")]
    | Annotated[LivechatEditEvent, Tag("LivechatEdit")]
    | Annotated[MessageEvent, Tag("Message")]
    | Annotated[LivechatOfflineMessageEvent, Tag("LivechatOfflineMessage")]
    | Annotated[LeadCaptureEvent, Tag("LeadCapture")]
    | Annotated[UnknownWebhookEvent, Tag("unknown")],
    Discriminator(_tag),
]
"""Any webhook event: a union discriminated on ``type``; an unknown type → UnknownWebhookEvent."""


@functools.cache
def event_adapter() -> TypeAdapter[WebhookEvent]:
    """The (lazily built) validator of :data:`WebhookEvent`."""
    return TypeAdapter(WebhookEvent)
