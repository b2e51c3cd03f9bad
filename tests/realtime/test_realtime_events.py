"""Every realtime event type, end to end: SDK streams against the embedded server's DDP."""

from __future__ import annotations

import asyncio
import logging
import secrets

import pytest
from _realtime_helpers import PING, collect, next_event, open_chat, texts

from rocketchat_livechat import AsyncLivechatClient, InvalidRoomError, RealtimeError
from rocketchat_livechat.realtime import (
    AgentChangedEvent,
    AgentStatusEvent,
    AsyncVisitorSession,
    ConnectionEvent,
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
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e


async def test_visitor_and_agent_see_every_event(
    livechat_server: LivechatTestServer,
    async_livechat_client: AsyncLivechatClient,
    agent: Agent,
    agent_client: AsyncLivechatClient,
) -> None:
    client = async_livechat_client
    livechat_server.set_routing("Manual_Selection")
    # a department of its own: chats other tests left queued must not be ahead of ours
    department = livechat_server.create_department(f"rt-{secrets.token_hex(4)}", [agent])["_id"]
    async with agent_client.realtime.connect_agent(
        username=agent.username, departments=[department], ping_interval=PING
    ) as desk:
        assert await next_event(desk, ConnectionEvent) == ConnectionEvent("connected")
        first = await open_chat(client, "First", department)
        added = await next_event(desk, InquiryEvent, action="added")
        assert added.inquiry is not None and added.inquiry.rid == first.rid
        chat = await open_chat(client, "Alice", department)
        async with client.realtime.connect(chat.token, rooms=[chat.rid], ping_interval=PING) as s:
            # queue: the room ahead is taken, so ours moves to the front
            livechat_server.take(agent, first.rid)
            assert (await next_event(s, QueuePositionEvent, rid=chat.rid)).spot == 1

            # assignment: agentData for the visitor, the room joins the agent's stream
            livechat_server.take(agent, chat.rid)
            changed = await next_event(s, AgentChangedEvent, rid=chat.rid)
            assert changed.agent is not None and changed.agent.username == agent.username
            assert not changed.hidden
            joined = await next_event(desk, RoomAssignmentEvent, rid=chat.rid)
            assert joined.assigned and joined.visitor_token == chat.token

            # messages both ways, each side sees both
            await agent_client.messages.send_agent_message(chat.rid, "hello from the agent")
            sent = await client.messages.send_message(chat.token, chat.rid, "hi agent")
            for stream in (s, desk):
                got = await collect(stream, lambda ev: "hi agent" in texts(ev))
                assert texts(got)[-2:] == ["hello from the agent", "hi agent"]

            # typing both ways
            await desk.send_typing(chat.rid, True)
            typing = await next_event(s, TypingEvent, rid=chat.rid)
            assert (typing.username, typing.typing) == (agent.username, True)
            await s.send_typing(chat.rid, True)
            typing = await next_event(desk, TypingEvent, rid=chat.rid)
            assert (typing.username, typing.typing) == (chat.username, True)
            await s.send_typing(chat.rid, False)
            assert not (await next_event(desk, TypingEvent, rid=chat.rid)).typing

            # edit and delete
            await client.messages.update_message(sent.id, chat.token, chat.rid, "hi agent!")
            edit = await next_event(s, MessageEvent, edited=True)
            assert (edit.message.id, edit.message.msg, edit.replayed) == (
                sent.id,
                "hi agent!",
                False,
            )
            await client.messages.delete_message(sent.id, chat.token, chat.rid)
            assert await next_event(s, MessageDeletedEvent) == MessageDeletedEvent(
                chat.rid, sent.id
            )

            # agent presence and visitor changes
            livechat_server.http.post(
                "/api/v1/users.setStatus", json={"status": "away"}, headers=agent.headers
            )
            assert await next_event(s, AgentStatusEvent) == AgentStatusEvent(chat.rid, "away")
            await client.visitor.register_visitor(chat.token, name="Alice Cooper")
            renamed = await next_event(s, VisitorChangedEvent, rid=chat.rid)
            assert renamed.visitor.name == "Alice Cooper"

            # close: the visitor learns it from the livechat-close message, the agent leaves
            livechat_server.close_room(agent, chat.rid, "bye")
            closed = await next_event(s, RoomClosedEvent)
            assert closed == RoomClosedEvent(chat.rid, agent.username, "bye")
            left = await next_event(desk, RoomAssignmentEvent, rid=chat.rid)
            assert not left.assigned


async def test_replay_then_live(
    livechat_server: LivechatTestServer,
    async_livechat_client: AsyncLivechatClient,
    agent: Agent,
) -> None:
    client = async_livechat_client
    chat = await open_chat(client)
    for text in ("one", "two", "three"):
        livechat_server.agent_send(agent, chat.rid, text)
    async with client.realtime.connect(chat.token, rooms=[chat.rid], replay=2) as s:
        events = await collect(s, lambda ev: len(texts(ev)) == 2)
        replayed = [e for e in events if isinstance(e, MessageEvent)]
        assert [e.message.msg for e in replayed] == ["two", "three"]
        assert all(e.replayed and not e.edited for e in replayed)
        livechat_server.agent_send(agent, chat.rid, "four")
        livechat_server.agent_send(agent, chat.rid, "five")
        rest = await collect(s, lambda ev: "five" in texts(ev))
        assert texts(rest) == ["four", "five"]  # once each, whether replayed or live


async def test_hidden_agent(
    livechat_server: LivechatTestServer, async_livechat_client: AsyncLivechatClient, agent: Agent
) -> None:
    livechat_server.set_routing("Manual_Selection")
    livechat_server.set_setting("Livechat_show_agent_info", False)
    chat = await open_chat(async_livechat_client)
    async with async_livechat_client.realtime.connect(chat.token, rooms=[chat.rid]) as s:
        await collect(s, lambda ev: True)  # connected: the subscriptions are on their way
        livechat_server.take(agent, chat.rid)
        changed = await next_event(s, AgentChangedEvent)
        assert changed == AgentChangedEvent(chat.rid, None, hidden=True)


async def test_handlers_run_and_their_errors_do_not_stop_the_stream(
    livechat_server: LivechatTestServer,
    async_livechat_client: AsyncLivechatClient,
    agent: Agent,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = async_livechat_client
    chat = await open_chat(client)
    seen: list[str] = []
    everything: list[RealtimeEvent] = []
    async with client.realtime.connect(chat.token, rooms=[chat.rid]) as stream:

        def broken(event: MessageEvent) -> None:
            raise RuntimeError("handler bug")

        async def remember(event: MessageEvent) -> None:
            seen.append(event.message.msg or "")
            if event.message.msg == "second":
                await stream.close()

        stream.on(MessageEvent, broken)
        stream.on(MessageEvent, remember)
        stream.on(object, lambda event: everything.append(event))  # type: ignore[arg-type]
        livechat_server.agent_send(agent, chat.rid, "first")
        livechat_server.agent_send(agent, chat.rid, "second")
        with caplog.at_level(logging.ERROR, "rocketchat_livechat.realtime"):
            await asyncio.wait_for(stream.run(), 10)
    assert seen == ["first", "second"]
    assert "handler bug" in caplog.text
    assert everything[0] == ConnectionEvent("connected")
    assert everything[-1] == ConnectionEvent("closed")


async def test_visitor_session(
    livechat_server: LivechatTestServer, async_livechat_client: AsyncLivechatClient, agent: Agent
) -> None:
    session = await AsyncVisitorSession.start(async_livechat_client, name="Bob")
    async with session:
        assert session.room.served_by is not None
        async with session.events(ping_interval=PING) as stream:
            await session.send("hello")
            livechat_server.agent_send(agent, session.rid, "welcome")
            got = await collect(stream, lambda ev: "welcome" in texts(ev))
            assert texts(got)[-2:] == ["hello", "welcome"]
            upload = await session.upload(b"%PDF-1.4 tiny", filename="a.pdf")
            assert (await next_event(stream, MessageEvent)).message.id == upload.id
        history = await session.history()
        assert [m.msg for m in history if m.t is None][-3:] == ["hello", "welcome", ""]
        assert history[-1].id == upload.id
    again = await AsyncVisitorSession.start(async_livechat_client, token=session.token)
    assert again.rid != session.rid  # the first conversation was closed on exit
    assert await again.close() is not None
    assert await again.close() is None


async def test_refusals_end_the_stream_with_typed_errors(
    livechat_server: LivechatTestServer, async_livechat_client: AsyncLivechatClient, agent: Agent
) -> None:
    client = async_livechat_client
    chat = await open_chat(client)
    other = await open_chat(client)
    async with client.realtime.connect(other.token) as stream:
        with pytest.raises(InvalidRoomError):  # another visitor's room
            await stream.subscribe_room(chat.rid)

    livechat_server.close_room(agent, chat.rid)
    async with client.realtime.connect(chat.token, rooms=[chat.rid]) as stream:
        closed = await next_event(stream, ConnectionEvent, state="closed")
        assert isinstance(closed.error, RealtimeError)
        assert closed.error.error == "not-allowed"  # Rocket.Chat refuses closed rooms
        with pytest.raises(RealtimeError):
            await anext(stream)

    async with AsyncLivechatClient(
        livechat_server.url, user_id=agent.user_id, auth_token="not-a-token"
    ) as impostor:
        with pytest.raises(RealtimeError) as refused:
            async with impostor.realtime.connect_agent():
                pass
        assert refused.value.error == "403"


async def test_agent_stream_follows_the_rooms_it_already_serves(
    async_livechat_client: AsyncLivechatClient, agent: Agent, agent_client: AsyncLivechatClient
) -> None:
    chat = await open_chat(async_livechat_client)  # Auto_Selection: served by our agent
    desk = agent_client.realtime.connect_agent(username=agent.username)
    async with desk:
        assert desk.user_id == agent.user_id
        assert desk.rooms == {chat.rid}
        await async_livechat_client.messages.send_message(chat.token, chat.rid, "anyone?")
        got = await next_event(desk, MessageEvent)
        assert (got.message.msg, got.rid) == ("anyone?", chat.rid)


async def test_save_room_info_tells_the_visitor(
    async_livechat_client: AsyncLivechatClient,
    agent: Agent,
    agent_client: AsyncLivechatClient,
) -> None:
    """``room.saveInfo`` by the serving agent pushes ``visitorData`` on the room's stream."""
    client = async_livechat_client
    chat = await open_chat(client, "Before")
    visitor = await client.visitor.get_visitor(chat.token)
    async with client.realtime.connect(chat.token, rooms=[chat.rid], ping_interval=PING) as s:
        await agent_client.room.save_room_info(
            chat.rid, visitor.id, topic="Refund", name="After", phone="+15550199"
        )
        changed = await next_event(s, VisitorChangedEvent, rid=chat.rid)
        assert changed.visitor.id == visitor.id and changed.visitor.name == "After"
        assert [p.phone_number for p in changed.visitor.phone] == ["+15550199"]
