"""In-process publish/subscribe between the REST routes and the DDP websocket.

REST handlers and DDP connections run on the same asyncio loop (one uvicorn server), so
publishing is a plain synchronous call that fans an event out to subscriber queues.

Stream and event names are Rocket.Chat's (``rocketchat-api.md`` §6), with these args:

* ``stream-room-messages`` / ``<rid>``: ``[message_doc]``
* ``stream-livechat-room`` / ``<rid>``: ``[{"type": "agentData" | "agentStatus" | ...}]``
* ``stream-notify-room`` / ``<rid>/user-activity``: ``[name, [activity], extras]``
* ``stream-notify-room`` / ``<rid>/deleteMessage``: ``[{"_id": id}]``
* ``stream-livechat-inquiry-queue-observer`` / ``public`` or ``department/<id>``:
  ``[{"type": ..., **inquiry}]``
* ``stream-notify-user`` / ``<uid>/rooms-changed`` etc.: ``[action, doc]``

Documents are published as stored (``datetime`` values, not strings); the DDP layer encodes
them as EJSON, the REST layer as ISO strings.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Listener = Callable[[str, str, list[Any]], None]


@dataclass(eq=False)
class Subscription:
    """A live subscription: events arrive in ``queue`` as ``(stream, event_name, args)``."""

    stream: str
    event_name: str
    queue: asyncio.Queue[tuple[str, str, list[Any]]] = field(default_factory=asyncio.Queue)


class Broadcaster:
    """Fans events out to the subscriptions registered for ``(stream, event_name)``."""

    def __init__(self) -> None:
        self._subs: dict[tuple[str, str], set[Subscription]] = defaultdict(set)
        self._listeners: list[Listener] = []

    def subscribe(self, stream: str, event_name: str) -> Subscription:
        sub = Subscription(stream, event_name)
        self._subs[(stream, event_name)].add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        subs = self._subs.get((sub.stream, sub.event_name))
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subs[(sub.stream, sub.event_name)]

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(stream, event_name, args)`` for every event (server-side hooks)."""
        self._listeners.append(listener)

    def publish(self, stream: str, event_name: str, args: list[Any]) -> None:
        for sub in tuple(self._subs.get((stream, event_name), ())):
            sub.queue.put_nowait((stream, event_name, args))
        for listener in self._listeners:
            listener(stream, event_name, args)

    def subscriber_count(self, stream: str, event_name: str) -> int:
        return len(self._subs.get((stream, event_name), ()))
