"""Live events over Rocket.Chat's DDP websocket: reconnecting, resubscribing, gap-free.

::

    from rocketchat_livechat.realtime import MessageEvent, TypingEvent

    async with client.realtime.connect(token, rooms=[rid]) as stream:
        async for event in stream:
            if isinstance(event, MessageEvent):
                print(event.message.msg)

Streams come from ``client.realtime`` (``connect`` for a visitor, ``connect_agent`` for the
logged-in agent) or from :class:`VisitorSession`. Names load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._async.realtime import AsyncRealtime, AsyncRealtimeStream
    from ._async.session import AsyncVisitorSession
    from ._core.events import (
        AgentChangedEvent,
        AgentStatusEvent,
        ConnectionEvent,
        ConnectionState,
        InquiryEvent,
        MessageDeletedEvent,
        MessageEvent,
        QueuePositionEvent,
        RealtimeEvent,
        RoomAssignmentEvent,
        RoomClosedEvent,
        TypingEvent,
        VisitorChangedEvent,
    )
    from ._sync.realtime import Realtime, RealtimeStream
    from ._sync.session import VisitorSession

__all__ = [
    "AgentChangedEvent",
    "AgentStatusEvent",
    "AsyncRealtime",
    "AsyncRealtimeStream",
    "AsyncVisitorSession",
    "ConnectionEvent",
    "ConnectionState",
    "InquiryEvent",
    "MessageDeletedEvent",
    "MessageEvent",
    "QueuePositionEvent",
    "Realtime",
    "RealtimeEvent",
    "RealtimeStream",
    "RoomAssignmentEvent",
    "RoomClosedEvent",
    "TypingEvent",
    "VisitorChangedEvent",
    "VisitorSession",
]

_HOMES = {
    "AsyncRealtime": "._async.realtime",
    "AsyncRealtimeStream": "._async.realtime",
    "AsyncVisitorSession": "._async.session",
    "Realtime": "._sync.realtime",
    "RealtimeStream": "._sync.realtime",
    "VisitorSession": "._sync.session",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(_HOMES.get(name, "._core.events"), "rocketchat_livechat")
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
