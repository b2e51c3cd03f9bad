"""Helpers for the realtime end-to-end tests."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.realtime import (
    AsyncRealtimeStream,
    ConnectionEvent,
    MessageEvent,
    RealtimeEvent,
)

E = TypeVar("E")

#: short heartbeats so that dead sockets are noticed in about a second
PING = 0.4


@dataclass(frozen=True)
class Chat:
    """A registered visitor with an open room."""

    token: str
    rid: str
    username: str


async def open_chat(
    client: AsyncLivechatClient, name: str = "Visitor", department: str | None = None
) -> Chat:
    """Register a visitor (in ``department``, if given) and open its room."""
    token = f"rt-{secrets.token_urlsafe(12)}"
    visitor = await client.visitor.register_visitor(token, name=name, department=department)
    room = (await client.room.get_room(token)).room
    assert visitor.username is not None
    return Chat(token, room.id, visitor.username)


async def next_event(
    stream: AsyncRealtimeStream, kind: type[E], timeout: float = 10.0, **match: Any
) -> E:
    """The next event of type ``kind`` whose attributes equal ``match`` (others are skipped)."""
    async with asyncio.timeout(timeout):
        async for event in stream:
            if isinstance(event, kind) and all(getattr(event, k) == v for k, v in match.items()):
                return event
    raise AssertionError(f"stream ended before a {kind.__name__} {match}")


async def collect(
    stream: AsyncRealtimeStream,
    until: Callable[[list[RealtimeEvent]], bool],
    timeout: float = 20.0,
    into: list[RealtimeEvent] | None = None,
) -> list[RealtimeEvent]:
    """Events until ``until(events)`` holds (appended to ``into`` as they come, if given)."""
    events: list[RealtimeEvent] = [] if into is None else into
    try:
        async with asyncio.timeout(timeout):
            async for event in stream:
                events.append(event)
                if until(events):
                    return events
    except TimeoutError:
        raise AssertionError(f"timed out after: {summary(events)}") from None
    raise AssertionError(f"stream ended early: {summary(events)}")


async def until(condition: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    """Poll ``condition`` (every 10 ms) until it holds; fail naming ``what`` after ``timeout``."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.01)


def summary(events: list[RealtimeEvent]) -> list[str]:
    """A short readable form of events, for assertion messages."""
    out = []
    for e in events:
        if isinstance(e, MessageEvent):
            out.append(f"{e.message.msg}{'*' if e.replayed else ''}{'~' if e.edited else ''}")
        elif isinstance(e, ConnectionEvent):
            out.append(f"<{e.state}:{e.attempt}:{e.recovered}>")
        else:
            out.append(type(e).__name__)
    return out


def texts(events: list[RealtimeEvent]) -> list[str]:
    """The text of every message event, in order."""
    return [e.message.msg or "" for e in events if isinstance(e, MessageEvent)]
