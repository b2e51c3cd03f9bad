"""Readable one-line renderings of messages and realtime events (``demo``, ``chat``, history)."""

from __future__ import annotations

from .._core.events import (
    AgentChangedEvent,
    ConnectionEvent,
    MessageDeletedEvent,
    MessageEvent,
    QueuePositionEvent,
    RealtimeEvent,
    RoomClosedEvent,
    TypingEvent,
)
from ..models import Message

_SYSTEM = {
    "livechat-started": "chat started",
    "uj": "{who} joined the chat",
    "ul": "{who} left the chat",
    "livechat-close": "chat closed by {who}",
    "livechat_transcript_history": "transcript requested",
    "livechat_transfer_history": "chat transferred",
    "livechat_navigation_history": "visited {msg}",
    "livechat-transcript": "transcript requested",
}


#: system messages people do not need to see (widget commands such as ``connected``)
_UNSHOWN = frozenset({"command"})


def shown(message: Message) -> bool:
    """Whether a transcript shows ``message``."""
    return message.t not in _UNSHOWN


def author(message: Message) -> str:
    user = message.u
    if user is None:
        return message.alias or "?"
    return user.name or user.username or message.alias or user.id


def text(message: Message) -> str:
    """The message's text; files as ``[file NAME]``, system messages described."""
    if message.t is not None:
        template = _SYSTEM.get(message.t, f"({message.t}) {{msg}}")
        return "· " + template.format(who=author(message), msg=message.msg or "").strip()
    if message.file is not None:
        description = next((a.description for a in message.attachments if a.description), None)
        label = f"[file {message.file.name}]"
        return f"{label} {description}" if description else label
    return message.msg or ""


def stamp(message: Message) -> str:
    """Local ``HH:MM:SS`` of the message."""
    return f"{message.ts.astimezone():%H:%M:%S}" if message.ts is not None else "--:--:--"


def message_line(message: Message, *, edited: bool = False) -> str:
    """``[HH:MM:SS] author: text`` (system messages: ``[HH:MM:SS] · what happened``)."""
    if message.t is not None:
        return f"[{stamp(message)}] {text(message)}"
    suffix = " (edited)" if edited else ""
    return f"[{stamp(message)}] {author(message)}: {text(message)}{suffix}"


def event_line(event: RealtimeEvent) -> str | None:
    """A line for events a person cares about; ``None`` for the others (and stop-typing)."""
    if isinstance(event, MessageEvent):
        if event.message.t == "livechat-close" or not shown(event.message):
            return None  # a closing is told by the RoomClosedEvent that follows
        return message_line(event.message, edited=event.edited)
    if isinstance(event, MessageDeletedEvent):
        return f"· message {event.message_id} was deleted"
    if isinstance(event, TypingEvent):
        return f"· {event.username} is typing…" if event.typing else None
    if isinstance(event, AgentChangedEvent):
        return _agent_line(event)
    if isinstance(event, QueuePositionEvent) and event.spot is not None:
        return f"· you are number {event.spot} in the queue"
    if isinstance(event, RoomClosedEvent):
        by = f" by {event.closed_by}" if event.closed_by else ""
        return f"· the chat was closed{by}" + (f": {event.comment}" if event.comment else "")
    if isinstance(event, ConnectionEvent):
        return _connection_line(event)
    return None


def _agent_line(event: AgentChangedEvent) -> str:
    if event.hidden:
        return "· an agent joined the chat"
    if event.agent is None:
        return "· waiting for an agent"
    return f"· you are now talking to {event.agent.name or event.agent.username}"


def _connection_line(event: ConnectionEvent) -> str | None:
    if event.state == "reconnecting":
        return f"· connection lost, reconnecting (attempt {event.attempt})…"
    if event.state == "resubscribed":
        return f"· reconnected ({event.recovered} missed messages recovered)"
    if event.state == "closed" and event.error is not None:
        return f"· connection closed: {event.error}"
    return None
