"""Typed realtime events, their parsing from DDP ``changed`` frames, and the gap-free ledger.

Everything here is pure: the realtime drivers feed frames and history pages in, and get events
out. :class:`MessageLedger` is what makes the stream gap-free and duplicate-free across
reconnects; :class:`GapFill` pages ``messages.history`` backwards to the last message seen.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from pydantic import ValidationError

from ..models import AgentInfo, Inquiry, Message, Room, Visitor

__all__ = [
    "INQUIRY_QUEUE",
    "LIVECHAT_ROOM",
    "NOTIFY_ROOM",
    "NOTIFY_USER",
    "ROOM_MESSAGES",
    "AgentChangedEvent",
    "AgentStatusEvent",
    "Anchor",
    "ConnectionEvent",
    "ConnectionState",
    "GapFill",
    "InquiryEvent",
    "MessageDeletedEvent",
    "MessageEvent",
    "MessageLedger",
    "QueuePositionEvent",
    "RealtimeEvent",
    "RoomAssignmentEvent",
    "RoomClosedEvent",
    "TypingEvent",
    "VisitorChangedEvent",
    "parse_changed",
]

ROOM_MESSAGES: Final = "stream-room-messages"
LIVECHAT_ROOM: Final = "stream-livechat-room"
NOTIFY_ROOM: Final = "stream-notify-room"
NOTIFY_USER: Final = "stream-notify-user"
INQUIRY_QUEUE: Final = "stream-livechat-inquiry-queue-observer"

ConnectionState = Literal["connected", "reconnecting", "resubscribed", "closed"]


# --- events ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MessageEvent:
    """A message of a room (agent, visitor or system).

    ``edited`` is True when this message was already delivered and changed since; ``replayed``
    is True when it was recovered from history after a gap (a reconnect), or asked for with
    ``replay=``, rather than received as new.
    """

    message: Message
    edited: bool = False
    replayed: bool = False

    @property
    def rid(self) -> str | None:
        """The room of the message."""
        return self.message.rid


@dataclass(frozen=True, slots=True)
class MessageDeletedEvent:
    """A message was deleted."""

    rid: str
    message_id: str


@dataclass(frozen=True, slots=True)
class TypingEvent:
    """Someone started (``typing=True``) or stopped typing; ``activities`` as sent by the server."""

    rid: str
    username: str
    typing: bool
    activities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AgentChangedEvent:
    """The serving agent changed; ``agent`` is None when unassigned or when ``hidden``."""

    rid: str
    agent: AgentInfo | None
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class AgentStatusEvent:
    """The serving agent's presence changed (``online``, ``away``, ``busy``, ``offline``)."""

    rid: str
    status: str


@dataclass(frozen=True, slots=True)
class QueuePositionEvent:
    """The room's place in the waiting queue; ``spot`` is None when it left the queue."""

    rid: str
    spot: int | None
    estimated_wait_seconds: float | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class RoomClosedEvent:
    """The room was closed (from its ``livechat-close`` message)."""

    rid: str
    closed_by: str | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class VisitorChangedEvent:
    """An agent changed the visitor's data."""

    rid: str
    visitor: Visitor


@dataclass(frozen=True, slots=True)
class InquiryEvent:
    """An inquiry of the queue was ``added``, ``changed`` or ``removed`` (agent streams)."""

    action: str
    inquiry_id: str
    inquiry: Inquiry | None


@dataclass(frozen=True, slots=True)
class RoomAssignmentEvent:
    """The logged-in agent was added to (``assigned``) or removed from a room (agent streams).

    ``room`` is the room as Rocket.Chat sent it, when the event came with the whole room
    (``rooms-changed``); ``None`` when it came from a subscription.
    """

    rid: str
    assigned: bool
    visitor_token: str | None = field(default=None, repr=False)
    room: Room | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class ConnectionEvent:
    """The realtime connection changed state.

    ``reconnecting`` (``attempt`` = 1, 2, ... and the ``error`` that caused it), ``connected``,
    ``resubscribed`` once every subscription is back and ``recovered`` missed messages were
    replayed, ``closed`` at the end of the stream (``error`` set when it ended by failure).
    """

    state: ConnectionState
    attempt: int = 0
    recovered: int = 0
    error: BaseException | None = None


RealtimeEvent = (
    MessageEvent
    | MessageDeletedEvent
    | TypingEvent
    | AgentChangedEvent
    | AgentStatusEvent
    | QueuePositionEvent
    | RoomClosedEvent
    | VisitorChangedEvent
    | InquiryEvent
    | RoomAssignmentEvent
    | ConnectionEvent
)

# Users import the events from ``rocketchat_livechat.realtime``: reprs, tracebacks, pickles and
# the API reference name that module, as httpx does for its public names.
for _event in RealtimeEvent.__args__:
    _event.__module__ = "rocketchat_livechat.realtime"
del _event


# --- parsing --------------------------------------------------------------------------------------


def parse_changed(collection: str, event_name: str, args: Sequence[Any]) -> list[RealtimeEvent]:
    """Events carried by one ``changed`` frame; ``[]`` for streams and shapes we do not know.

    Room messages come out as plain :class:`MessageEvent` s; pass them through a
    :class:`MessageLedger` to deduplicate them and to derive :class:`RoomClosedEvent`.
    Raises ``ValueError`` (pydantic's ``ValidationError``) for a malformed document.
    """
    first = args[0] if args else None
    if collection == ROOM_MESSAGES and isinstance(first, dict):
        return [MessageEvent(Message.model_validate(first))]
    if collection == LIVECHAT_ROOM and isinstance(first, dict):
        return _livechat_room_event(event_name, first)
    if collection == NOTIFY_ROOM:
        return _notify_room_event(event_name, list(args))
    if collection == INQUIRY_QUEUE and isinstance(first, dict):
        return [_inquiry_event(first)]
    if collection == NOTIFY_USER:
        return _assignment_event(event_name, list(args))
    return []


def _livechat_room_event(rid: str, payload: dict[str, Any]) -> list[RealtimeEvent]:
    kind = payload.get("type")
    if kind == "agentData":
        data = payload.get("data")
        if isinstance(data, dict) and data.get("hiddenInfo"):
            return [AgentChangedEvent(rid, None, hidden=True)]
        agent = AgentInfo.model_validate(data) if isinstance(data, dict) else None
        return [AgentChangedEvent(rid, agent)]
    if kind == "agentStatus" and isinstance(payload.get("status"), str):
        return [AgentStatusEvent(rid, payload["status"])]
    if kind == "queueData":
        return [_queue_event(rid, payload.get("data"))]
    if kind == "visitorData" and isinstance(payload.get("visitor"), dict):
        return [VisitorChangedEvent(rid, Visitor.model_validate(payload["visitor"]))]
    return []


def _queue_event(rid: str, data: Any) -> QueuePositionEvent:
    if not isinstance(data, dict):
        return QueuePositionEvent(rid, None)
    spot, message = data.get("spot"), data.get("message")
    wait = data.get("estimatedWaitTimeSeconds")
    return QueuePositionEvent(
        rid,
        spot if isinstance(spot, int) and not isinstance(spot, bool) else None,
        float(wait) if isinstance(wait, int | float) and not isinstance(wait, bool) else None,
        message.get("text") if isinstance(message, dict) else None,
    )


def _notify_room_event(event_name: str, args: list[Any]) -> list[RealtimeEvent]:
    rid, _, kind = event_name.rpartition("/")
    if not rid:
        return []
    if kind == "deleteMessage" and args and isinstance(args[0], dict):
        message_id = args[0].get("_id")
        return [MessageDeletedEvent(rid, message_id)] if isinstance(message_id, str) else []
    if len(args) < 2 or not isinstance(args[0], str):
        return []
    if kind == "user-activity" and isinstance(args[1], list):
        activities = tuple(str(a) for a in args[1])
        return [TypingEvent(rid, args[0], "user-typing" in activities, activities)]
    if kind == "typing" and isinstance(args[1], bool):  # Rocket.Chat <= 5.x
        return [TypingEvent(rid, args[0], args[1], ("user-typing",) if args[1] else ())]
    return []


def _inquiry_event(payload: dict[str, Any]) -> InquiryEvent:
    action = str(payload.get("type") or payload.get("clientAction") or "changed")
    doc = {key: value for key, value in payload.items() if key not in ("type", "clientAction")}
    inquiry = Inquiry.model_validate(doc) if "rid" in doc else None
    return InquiryEvent(action, str(doc.get("_id", "")), inquiry)


def _assignment_event(event_name: str, args: list[Any]) -> list[RealtimeEvent]:
    """``<uid>/subscriptions-changed`` (a subscription doc) or ``<uid>/rooms-changed`` (a room)."""
    kind = event_name.rpartition("/")[2]
    if len(args) < 2 or args[0] not in ("inserted", "removed") or not isinstance(args[1], dict):
        return []
    doc = args[1]
    rid = doc.get("rid") if kind == "subscriptions-changed" else doc.get("_id")
    if kind not in ("subscriptions-changed", "rooms-changed") or not isinstance(rid, str):
        return []
    if doc.get("t") != "l":
        return []
    visitor = doc.get("v")
    token = visitor.get("token") if isinstance(visitor, dict) else None
    room = _room_or_none(doc) if kind == "rooms-changed" else None
    return [RoomAssignmentEvent(rid, args[0] == "inserted", token, room)]


def _room_or_none(doc: dict[str, Any]) -> Room | None:
    try:
        return Room.model_validate(doc)
    except ValidationError:
        return None


# --- gap-free ledger ------------------------------------------------------------------------------

_MS: Final = timedelta(milliseconds=1)


@dataclass(frozen=True, slots=True)
class Anchor:
    """The newest message seen in a room."""

    message_id: str
    ts: datetime


class GapFill:
    """Pages ``messages.history`` (newest first) back to an :class:`Anchor`.

    Loop: ``end, offset = fill.next_page()``; fetch ``limit=page_size`` messages strictly before
    ``end`` (``None`` = from the newest), skipping ``offset``; ``fill.feed(page)``; stop when
    ``fill.done``. :meth:`messages` then gives every message at or after the anchor, oldest first.
    A ``None`` anchor means the room was empty: everything is collected.

    Pages end 1 ms after their oldest timestamp so that messages sharing that millisecond are
    not skipped; when that would not move the window, ``offset`` advances instead.
    """

    def __init__(self, anchor: Anchor | None, page_size: int = 100) -> None:
        if page_size < 1:
            raise ValueError("page_size must be >= 1")
        self.anchor = anchor
        self.page_size = page_size
        self.done = False
        self.pages = 0
        self._end: datetime | None = None
        self._offset = 0
        self._collected: dict[str, Message] = {}

    def next_page(self) -> tuple[datetime | None, int]:
        """``(end, offset)`` of the next request."""
        return self._end, self._offset

    def feed(self, page: Sequence[Message]) -> None:
        """Take one page of history, newest first."""
        self.pages += 1
        anchor = self.anchor
        for message in page:
            if anchor is None or message.ts is None or message.ts >= anchor.ts:
                self._collected.setdefault(message.id, message)
        stamps = [m.ts for m in page if m.ts is not None]
        reached = anchor is not None and any(
            m.id == anchor.message_id or (m.ts is not None and m.ts < anchor.ts) for m in page
        )
        if reached or len(page) < self.page_size or not stamps:
            self.done = True
            return
        end = min(stamps) + _MS
        if end == self._end:
            self._offset += len(page)
        else:
            self._end, self._offset = end, 0

    def messages(self) -> list[Message]:
        """Collected messages, oldest first (ties keep the server's order)."""
        newest_first = list(self._collected.values())
        return sorted(reversed(newest_first), key=_ts_key)


def _ts_key(message: Message) -> float:
    return message.ts.timestamp() if message.ts is not None else float("-inf")


@dataclass(slots=True)
class _Room:
    anchor: Anchor | None = None
    started: bool = False
    closed: bool = False
    filling: bool = False
    fills_gap: bool = False
    fill_from: Anchor | None = None
    held: list[Message] = field(default_factory=list)


class MessageLedger:
    """Per-room memory of delivered messages: deduplication, edits, ordering, gap anchors.

    * :meth:`start` seeds a room from its newest history before subscribing;
    * :meth:`accept` turns an incoming message into events: ``[]`` for a duplicate, an
      ``edited`` event when a known message changed (newer ``editedAt``), plus a
      :class:`RoomClosedEvent` for a new ``livechat-close`` message;
    * :meth:`begin_fill` (at disconnect or subscribe) freezes the room's anchor and holds live
      messages back; :meth:`gap` pages from that anchor; :meth:`end_fill` emits the history
      found (``replayed=True`` when it fills a gap) and then the held live messages, in order.

    The set of seen ids is bounded (``max_seen``, oldest forgotten first).
    """

    def __init__(self, max_seen: int = 10_000) -> None:
        self._max_seen = max_seen
        self._seen: OrderedDict[str, datetime | None] = OrderedDict()
        self._rooms: dict[str, _Room] = {}

    def _room(self, rid: str) -> _Room:
        return self._rooms.setdefault(rid, _Room())

    def is_started(self, rid: str) -> bool:
        """Whether :meth:`start` ran for this room."""
        return rid in self._rooms and self._rooms[rid].started

    def is_closed(self, rid: str) -> bool:
        """Whether a ``livechat-close`` message of this room was delivered."""
        return rid in self._rooms and self._rooms[rid].closed

    def anchor(self, rid: str) -> Anchor | None:
        """The newest message delivered for this room."""
        return self._rooms[rid].anchor if rid in self._rooms else None

    def start(self, rid: str, recent: Sequence[Message], *, replay: bool) -> list[RealtimeEvent]:
        """Seed a room from its newest messages (newest first): they count as seen.

        With ``replay`` they are also returned as events (oldest first, ``replayed=True``).
        """
        room = self._room(rid)
        room.started = True
        events: list[RealtimeEvent] = []
        for message in reversed(recent):
            admitted = self._admit(message, replayed=True)
            if replay:
                events.extend(admitted)
        return events

    def accept(self, message: Message, *, replayed: bool = False) -> list[RealtimeEvent]:
        """Events for an incoming message (held back while its room is being gap-filled)."""
        room = self._rooms.get(message.rid) if message.rid is not None else None
        if room is not None and room.filling and not replayed:
            room.held.append(message)
            return []
        return self._admit(message, replayed=replayed)

    def begin_fill(self, rid: str, *, gap: bool = True) -> None:
        """Freeze the room's anchor for a fill and hold live messages (idempotent).

        ``gap=False`` at a room's first subscription: nothing was delivered before, so what the
        fill finds is new (``replayed=False``) rather than recovered.
        """
        room = self._room(rid)
        if not room.filling:
            room.filling, room.fills_gap = True, gap
            room.fill_from = room.anchor

    def gap(self, rid: str, page_size: int = 100) -> GapFill:
        """A pager from the anchor frozen by :meth:`begin_fill`."""
        return GapFill(self._room(rid).fill_from, page_size)

    def end_fill(self, rid: str, recovered: Sequence[Message]) -> list[RealtimeEvent]:
        """Events for the messages found (oldest first), then for the held live ones."""
        room = self._room(rid)
        events: list[RealtimeEvent] = []
        for message in recovered:
            events.extend(self._admit(message, replayed=room.fills_gap))
        held, room.held = room.held, []
        room.filling, room.fill_from = False, None
        for message in held:
            events.extend(self._admit(message, replayed=False))
        return events

    def forget(self, rid: str) -> None:
        """Stop tracking a room (seen ids are kept)."""
        self._rooms.pop(rid, None)

    def _admit(self, message: Message, *, replayed: bool) -> list[RealtimeEvent]:
        version = message.edited_at
        edited = message.id in self._seen
        if edited:
            previous = self._seen[message.id]
            if version is None or (previous is not None and version <= previous):
                self._seen.move_to_end(message.id)
                return []
        self._remember(message.id, version)
        events: list[RealtimeEvent] = [MessageEvent(message, edited=edited, replayed=replayed)]
        if message.rid is not None:
            room = self._room(message.rid)
            if message.ts is not None and (room.anchor is None or message.ts >= room.anchor.ts):
                room.anchor = Anchor(message.id, message.ts)
            if message.t == "livechat-close" and not edited:
                room.closed = True
                closer = message.u.username if message.u is not None else None
                events.append(RoomClosedEvent(message.rid, closer, message.msg))
        return events

    def _remember(self, message_id: str, version: datetime | None) -> None:
        self._seen[message_id] = version
        self._seen.move_to_end(message_id)
        while len(self._seen) > self._max_seen:
            self._seen.popitem(last=False)
