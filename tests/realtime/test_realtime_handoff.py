"""Hand-off over the realtime streams: a forwarded chat changes the visitor's agent, leaves the
old agent's stream and joins the new agent's (``livechat/room.forward``), and a chat forwarded
to a department under Manual_Selection goes back to that department's queue."""

from __future__ import annotations

import secrets

import pytest
from _realtime_helpers import PING, next_event, open_chat

from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.realtime import (
    AgentChangedEvent,
    ConnectionEvent,
    InquiryEvent,
    RoomAssignmentEvent,
)
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e


async def test_forward_to_agent_moves_the_chat_between_agent_streams(
    livechat_server: LivechatTestServer,
    async_livechat_client: AsyncLivechatClient,
    agent: Agent,
    agent_client: AsyncLivechatClient,
) -> None:
    client = async_livechat_client
    chat = await open_chat(client)  # Auto_Selection: served by ``agent``
    other = livechat_server.create_agent()
    async with (
        AsyncLivechatClient(
            livechat_server.url, user_id=other.user_id, auth_token=other.auth_token
        ) as other_client,
        client.realtime.connect(chat.token, rooms=[chat.rid], ping_interval=PING) as visitor,
        agent_client.realtime.connect_agent(username=agent.username, ping_interval=PING) as old,
        other_client.realtime.connect_agent(username=other.username, ping_interval=PING) as new,
    ):
        assert old.rooms == {chat.rid}
        assert await next_event(new, ConnectionEvent) == ConnectionEvent("connected")
        await agent_client.room.forward_room(chat.rid, user_id=other.user_id, comment="yours")
        changed = await next_event(visitor, AgentChangedEvent, rid=chat.rid)
        assert changed.agent is not None and changed.agent.username == other.username
        left = await next_event(old, RoomAssignmentEvent, rid=chat.rid)
        assert not left.assigned
        joined = await next_event(new, RoomAssignmentEvent, rid=chat.rid)
        assert joined.assigned and joined.visitor_token == chat.token


async def test_forward_to_department_requeues_under_manual_selection(
    livechat_server: LivechatTestServer,
    async_livechat_client: AsyncLivechatClient,
    agent: Agent,
    agent_client: AsyncLivechatClient,
) -> None:
    livechat_server.set_routing("Manual_Selection")
    client = async_livechat_client
    chat = await open_chat(client)
    livechat_server.take(agent, chat.rid)
    target = livechat_server.create_agent()
    department = livechat_server.create_department(f"rt-{secrets.token_hex(4)}", [target])["_id"]
    async with (
        AsyncLivechatClient(
            livechat_server.url, user_id=target.user_id, auth_token=target.auth_token
        ) as target_client,
        client.realtime.connect(chat.token, rooms=[chat.rid], ping_interval=PING) as visitor,
        target_client.realtime.connect_agent(
            username=target.username, departments=[department], ping_interval=PING
        ) as desk,
    ):
        assert await next_event(desk, ConnectionEvent) == ConnectionEvent("connected")
        await agent_client.room.forward_room(chat.rid, department_id=department)
        unassigned = await next_event(visitor, AgentChangedEvent, rid=chat.rid)
        assert unassigned.agent is None
        queued = await next_event(desk, InquiryEvent, action="added")
        assert queued.inquiry is not None and queued.inquiry.rid == chat.rid
