"""Reliability: the connection is cut while an agent keeps sending; nothing is lost or doubled."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from functools import partial
from typing import Any

import pytest
from _realtime_helpers import PING, Chat, collect, next_event, open_chat, summary, texts, until

from _support.faultproxy import FaultProxy
from rocketchat_livechat import APIConnectionError, AsyncLivechatClient
from rocketchat_livechat.realtime import (
    AsyncRealtimeStream,
    ConnectionEvent,
    MessageEvent,
    RealtimeEvent,
    RoomClosedEvent,
)
from rocketchat_livechat.server.ddp import close_sessions
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

COUNT = 40
#: messages that must arrive live (after the start or the last recovery) before a fault strikes
LIVE_BEFORE_FAULT = 8


def numbered(events: list[RealtimeEvent]) -> list[str]:
    return [t for t in texts(events) if t.startswith("n")]


def states(events: list[RealtimeEvent]) -> list[str]:
    return [e.state for e in events if isinstance(e, ConnectionEvent)]


def recovered(events: list[RealtimeEvent], outages: int) -> bool:
    return states(events).count("resubscribed") >= outages


def arrived(events: list[RealtimeEvent], count: int) -> bool:
    return len(numbered(events)) >= count


def visitor_status(server: LivechatTestServer, rid: str) -> str:
    """The room's ``v.status`` as stored: ``offline`` once the visitor's DDP session ended."""
    room = server.server.state.store.collection("rooms").get(rid)
    assert room is not None
    return str(room["v"]["status"])


async def send_numbered(agent_client: AsyncLivechatClient, rid: str, pause: float = 0.03) -> None:
    for i in range(COUNT):
        await agent_client.messages.send_agent_message(rid, f"n{i:03d}")
        await asyncio.sleep(pause)


async def run_with_faults(
    stream: AsyncRealtimeStream,
    send: Coroutine[Any, Any, None],
    fault: Callable[[], Coroutine[Any, Any, None]],
    faults: int = 2,
) -> list[RealtimeEvent]:
    """Read the stream while messages are sent and ``fault`` strikes ``faults`` times."""

    events: list[RealtimeEvent] = []

    async def strike() -> None:
        for n in range(faults):
            # mid-stream: the previous outage is over and messages flow live again
            await until(partial(recovered, events, n), f"recovery {n}", 30)
            flowing = min(len(numbered(events)) + LIVE_BEFORE_FAULT, COUNT)
            await until(partial(arrived, events, flowing), f"{flowing} messages", 30)
            await fault()

    sender, striker = asyncio.create_task(send), asyncio.create_task(strike())

    def settled(events: list[RealtimeEvent]) -> bool:
        """Every fault struck, every message in, and the stream back to live."""
        last = f"n{COUNT - 1:03d}"
        return striker.done() and last in texts(events) and states(events)[-1] == "resubscribed"

    try:
        await collect(stream, settled, timeout=40, into=events)
        await asyncio.gather(sender, striker)
    finally:
        sender.cancel()
        striker.cancel()
    return events


@pytest.fixture
async def chat(async_livechat_client: AsyncLivechatClient, agent: Agent) -> Chat:
    return await open_chat(async_livechat_client)


@pytest.fixture
async def visitor(proxy: FaultProxy) -> AsyncIterator[AsyncLivechatClient]:
    """The visitor's client, reaching the server (REST and websocket) through the proxy."""
    async with AsyncLivechatClient(proxy.url, timeout=5) as client:
        yield client


@pytest.mark.parametrize("kind", ["server-close", "tcp-drop", "stall"])
async def test_every_message_exactly_once_in_order_across_faults(
    kind: str,
    livechat_server: LivechatTestServer,
    proxy: FaultProxy,
    visitor: AsyncLivechatClient,
    agent_client: AsyncLivechatClient,
    chat: Chat,
) -> None:
    async def fault() -> None:
        if kind == "server-close":
            assert close_sessions(livechat_server.server.state) >= 1
        elif kind == "tcp-drop":
            assert proxy.drop() >= 1  # every connection through the proxy is reset
        else:
            attempts = proxy.stalled_requests
            proxy.stall()
            # the outage lasts until the client noticed the silence and retried into it
            await until(lambda: proxy.stalled_requests > attempts, "a reconnect into the stall")
            proxy.heal()

    async with visitor.realtime.connect(
        chat.token, rooms=[chat.rid], ping_interval=PING, open_timeout=1.0
    ) as stream:
        events = await run_with_faults(stream, send_numbered(agent_client, chat.rid), fault)

    assert numbered(events) == [f"n{i:03d}" for i in range(COUNT)]
    assert states(events).count("reconnecting") >= 2, " ".join(summary(events))
    first_drop = next(
        i
        for i, e in enumerate(events)
        if isinstance(e, ConnectionEvent) and e.state == "reconnecting"
    )
    after = events[first_drop:]
    replayed = sum(1 for e in after if isinstance(e, MessageEvent) and e.replayed)
    reported = sum(e.recovered for e in after if isinstance(e, ConnectionEvent))
    assert replayed == reported  # every recovered message is accounted for


@pytest.mark.rc_version("7.10")  # the visitor's presence: livechat:setUpConnection (< 8.0)
async def test_a_consumer_that_stops_reading_is_dropped_by_the_server_and_recovers(
    livechat_server: LivechatTestServer,
    server_heartbeat: Callable[[float], None],
    async_livechat_client: AsyncLivechatClient,
    agent_client: AsyncLivechatClient,
    chat: Chat,
) -> None:
    server_heartbeat(0.3)  # the server pings after 0.3 s of silence and gives up 0.3 s later
    async with async_livechat_client.realtime.connect(
        chat.token, rooms=[chat.rid], ping_interval=5
    ) as stream:
        assert await next_event(stream, ConnectionEvent) == ConnectionEvent("connected")
        await agent_client.messages.send_agent_message(chat.rid, "n000")
        assert (await next_event(stream, MessageEvent)).message.msg == "n000"
        assert visitor_status(livechat_server, chat.rid) == "online"
        # not reading: the server's pings go unanswered until it drops the session (and with
        # it the visitor's presence)
        await until(lambda: visitor_status(livechat_server, chat.rid) == "offline", "the drop")
        for i in range(1, 4):
            await agent_client.messages.send_agent_message(chat.rid, f"n{i:03d}")
        events = await collect(
            stream, lambda ev: "resubscribed" in states(ev) and len(numbered(ev)) == 3
        )
    assert numbered(events) == ["n001", "n002", "n003"]
    assert states(events)[0] == "reconnecting"
    assert all(e.replayed for e in events if isinstance(e, MessageEvent))


async def test_edits_and_closing_during_an_outage_are_replayed(
    livechat_server: LivechatTestServer,
    proxy: FaultProxy,
    visitor: AsyncLivechatClient,
    async_livechat_client: AsyncLivechatClient,
    agent: Agent,
    chat: Chat,
) -> None:
    direct = async_livechat_client
    async with visitor.realtime.connect(
        chat.token, rooms=[chat.rid], ping_interval=PING, open_timeout=1.0
    ) as stream:
        mine = await direct.messages.send_message(chat.token, chat.rid, "typo")
        assert (await next_event(stream, MessageEvent)).message.id == mine.id
        proxy.stall()
        await direct.messages.update_message(mine.id, chat.token, chat.rid, "fixed")
        livechat_server.agent_send(agent, chat.rid, "last words")
        livechat_server.close_room(agent, chat.rid, "done")
        # the server sent each change (at least one frame apiece) into the dead connection
        await until(lambda: proxy.stalled_frames >= 3, "the changes to be swallowed")
        proxy.heal()
        events = await collect(stream, lambda ev: "resubscribed" in states(ev))
        messages = [e for e in events if isinstance(e, MessageEvent)]
        assert [(e.message.msg, e.edited, e.replayed) for e in messages] == [
            ("fixed", True, True),
            ("last words", False, True),
            ("done", False, True),
        ]
        assert RoomClosedEvent(chat.rid, agent.username, "done") in events
        assert [e for e in events if isinstance(e, ConnectionEvent)][-1].recovered == 3
        # the closed room is no longer followed, and the stream lives on
        assert not stream.rooms
        proxy.drop()
        assert (await next_event(stream, ConnectionEvent, state="resubscribed")).recovered == 0


async def test_gives_up_after_max_reconnect_attempts(
    proxy: FaultProxy, visitor: AsyncLivechatClient, chat: Chat
) -> None:
    async with visitor.realtime.connect(
        chat.token, rooms=[chat.rid], ping_interval=PING, max_reconnect_attempts=2, open_timeout=1.0
    ) as stream:
        await next_event(stream, ConnectionEvent, state="connected")
        proxy.refuse()
        proxy.drop()
        events = await collect(stream, lambda ev: "closed" in states(ev), timeout=15)
        assert states(events) == ["reconnecting", "reconnecting", "reconnecting", "closed"]
        closed = events[-1]
        assert isinstance(closed, ConnectionEvent) and isinstance(closed.error, APIConnectionError)
        with pytest.raises(APIConnectionError):
            await anext(stream)


async def test_close_from_another_task_ends_iteration(
    async_livechat_client: AsyncLivechatClient, chat: Chat
) -> None:
    async with async_livechat_client.realtime.connect(chat.token, rooms=[chat.rid]) as stream:
        closer = asyncio.get_running_loop().call_later(
            0.3, lambda: asyncio.ensure_future(stream.close())
        )
        events = [event async for event in stream]
        closer.cancel()
    assert events[0] == ConnectionEvent("connected")
    assert events[-1] == ConnectionEvent("closed")
