"""In-process publish/subscribe between the REST routes and the DDP websocket.

REST handlers and DDP connections run on the same asyncio loop (one uvicorn server), so
publishing is a plain synchronous call that fans an event out to subscriber queues.

Stream and event names are Rocket.Chat's
(``apps/meteor/server/modules/notifications/notifications.module.ts``), with these args:

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
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

Listener = Callable[[str, str, list[Any]], None]
Event = tuple[str, str, list[Any]]


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
        self._held: list[Event] | None = None
        self._holder = 0  # thread whose events are held

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

    @contextmanager
    def held(self) -> Iterator[list[Event]]:
        """Collect this thread's events published inside the block instead of delivering them.

        Hand the list to :meth:`deliver` later (e.g. once the writes behind them are committed).
        """
        if self._held is not None:
            raise RuntimeError("events are held already")
        self._held, self._holder = [], threading.get_ident()
        try:
            yield self._held
        finally:
            self._held = None

    def deliver(self, events: Iterable[Event]) -> None:
        """Publish events collected by :meth:`held`, in order."""
        for event in events:
            self.publish(*event)

    def publish(self, stream: str, event_name: str, args: list[Any]) -> None:
        if self._held is not None and self._holder == threading.get_ident():
            self._held.append((stream, event_name, args))
            return
        for sub in tuple(self._subs.get((stream, event_name), ())):
            sub.queue.put_nowait((stream, event_name, args))
        for listener in self._listeners:
            listener(stream, event_name, args)
