"""The realtime guide's promises (docs/guides/realtime.md): refusals are ``RealtimeError``,
``replayed`` means recovered after a gap, and an agent's typing carries the logged-in username."""

from __future__ import annotations

import asyncio
import secrets

import pytest
from _realtime_helpers import PING, Chat, collect, next_event, open_chat, summary, texts

from rocketchat_livechat import (
    AsyncLivechatClient,
    InvalidRoomError,
    InvalidTokenError,
    LivechatClient,
    RealtimeError,
)
from rocketchat_livechat.realtime import (
    AsyncRealtimeStream,
    ConnectionEvent,
    MessageDeletedEvent,
    MessageEvent,
    RealtimeEvent,
    TypingEvent,
)
from rocketchat_livechat.server.ddp import _SESSIONS
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

RACES = 30


async def drain(stream: AsyncRealtimeStream) -> tuple[list[RealtimeEvent], BaseException]:
    """Every event left in an ended stream, and what its iteration raised at the end."""
    events: list[RealtimeEvent] = []
    try:
        async with asyncio.timeout(10):
            async for event in stream:
                events.append(event)
    except RealtimeError as exc:
        return events, exc
    raise AssertionError(f"the stream ended without raising: {summary(events)}")


async def session_gone(server: LivechatTestServer, session: str | None) -> None:
    """Until the server no longer has the DDP session ``session`` open."""

    state = server.server.state
    async with asyncio.timeout(10):
        while session in {s.session_id for s in _SESSIONS.get(state, ())}:
            await asyncio.sleep(0.01)


async def assert_ended_by(
    stream: AsyncRealtimeStream, server: LivechatTestServer, session: str | None, error: Exception
) -> None:
    """The stream is closed, its iteration ends with ``error``, and its socket is gone."""
    assert not stream.connected and not stream.rooms
    events, raised = await drain(stream)
    assert raised is error
    assert events[-1] == ConnectionEvent("closed", error=error)
    await session_gone(server, session)


# --- refusals -------------------------------------------------------------------------------------


async def test_a_refused_room_is_a_realtime_error_that_ends_the_stream(
    livechat_server: LivechatTestServer, async_livechat_client: AsyncLivechatClient, agent: Agent
) -> None:
    client = async_livechat_client
    mine, theirs = await open_chat(client), await open_chat(client)
    async with client.realtime.connect(mine.token, ping_interval=PING) as stream:
        session = stream.session
        with pytest.raises(RealtimeError) as refused:
            await stream.subscribe_room(theirs.rid)
        assert isinstance(refused.value, InvalidRoomError)  # `except InvalidRoomError` works too
        assert refused.value.error == "invalid-room" and refused.value.code == 400
        await assert_ended_by(stream, livechat_server, session, refused.value)


async def test_a_bad_token_is_a_realtime_error_raised_by_async_with(
    livechat_server: LivechatTestServer, async_livechat_client: AsyncLivechatClient, agent: Agent
) -> None:
    chat = await open_chat(async_livechat_client)
    stream = async_livechat_client.realtime.connect("bad-token", rooms=[chat.rid])
    with pytest.raises(RealtimeError) as refused:
        async with stream:
            pass
    assert isinstance(refused.value, InvalidTokenError)
    assert refused.value.error == "invalid-token" and refused.value.details is not None
    await assert_ended_by(stream, livechat_server, stream.session, refused.value)


def test_a_bad_token_is_a_realtime_error_raised_by_with(
    livechat_server: LivechatTestServer, agent: Agent
) -> None:
    with LivechatClient(livechat_server.url) as client:
        token = f"rt-sync-{secrets.token_urlsafe(8)}"
        client.visitor.register_visitor(token, name="Sync")
        rid = client.room.get_room(token).room.id
        stream = client.realtime.connect("bad-token", rooms=[rid])
        with pytest.raises(RealtimeError) as refused, stream:
            pass
        assert isinstance(refused.value, InvalidTokenError)
        assert not stream.connected
        with pytest.raises(RealtimeError):
            list(stream)


# --- replayed means recovered after a gap --------------------------------------------------------


async def test_messages_sent_right_after_subscribing_are_live_and_delivered_once(
    async_livechat_client: AsyncLivechatClient, agent_client: AsyncLivechatClient
) -> None:
    client = async_livechat_client
    chat = await open_chat(client)
    for i in range(RACES):
        async with client.realtime.connect(chat.token, ping_interval=PING) as stream:
            await stream.subscribe_room(chat.rid)
            # before the server confirmed the subscription: the message may only reach us from
            # the history fetched when it does; it is new all the same
            await agent_client.messages.send_agent_message(chat.rid, f"race{i}")
            await agent_client.messages.send_agent_message(chat.rid, f"mark{i}")
            events = await collect(stream, lambda ev, i=i: f"mark{i}" in texts(ev))
        messages = [e for e in events if isinstance(e, MessageEvent)]
        got = [(e.message.msg, e.replayed) for e in messages]
        assert got == [(f"race{i}", False), (f"mark{i}", False)], f"round {i}: {got}"


# --- agent typing ---------------------------------------------------------------------------------


async def wait_until_subscribed(
    client: AsyncLivechatClient, stream: AsyncRealtimeStream, chat: Chat
) -> None:
    """Until the server has all the visitor's room streams (deleteMessage is the last one)."""
    sent = await client.messages.send_message(chat.token, chat.rid, "probe")
    await client.messages.delete_message(sent.id, chat.token, chat.rid)
    await next_event(stream, MessageDeletedEvent, message_id=sent.id)


async def test_agent_typing_carries_the_logged_in_agents_username(
    livechat_server: LivechatTestServer, async_livechat_client: AsyncLivechatClient, agent: Agent
) -> None:
    client = async_livechat_client
    chat = await open_chat(client)  # Auto_Selection: served by our agent
    async with (
        AsyncLivechatClient(livechat_server.url) as agent_side,
        client.realtime.connect(chat.token, rooms=[chat.rid], ping_interval=PING) as visitor,
    ):
        await agent_side.login(agent.username, agent.password)
        await wait_until_subscribed(client, visitor, chat)
        async with agent_side.realtime.connect_agent(ping_interval=PING) as desk:
            await desk.send_typing(chat.rid, True)
            typing = await next_event(visitor, TypingEvent, rid=chat.rid)
            assert (typing.username, typing.typing) == (agent.username, True)
            await desk.send_typing(chat.rid, False)
            assert not (await next_event(visitor, TypingEvent, rid=chat.rid)).typing
