"""Hand-off end to end: forwarding a chat to an agent or a department (both routing methods),
its transfer history, and agents joining a chat; each refusal as a typed error carrying
Rocket.Chat's code."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from rocketchat_livechat import (
    ActionNotAllowedError,
    AgentOfflineError,
    AsyncLivechatClient,
    ForwardingError,
    InvalidArgumentError,
    InvalidDepartmentError,
    InvalidRoomError,
    NoAgentOnlineError,
    PermissionDeniedError,
    RoomClosedError,
    UserAlreadyInRoomError,
)
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

from ._support import open_chat, register

pytestmark = pytest.mark.e2e


@asynccontextmanager
async def as_agent(server: LivechatTestServer, agent: Agent) -> AsyncIterator[AsyncLivechatClient]:
    async with AsyncLivechatClient(
        server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as client:
        yield client


async def test_forward_to_agent_and_history(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    other = livechat_server.create_agent()
    async with as_agent(livechat_server, chat.agent) as first:
        await first.room.forward_room(chat.rid, user_id=other.user_id, comment="yours")
    room = (await async_livechat_client.room.get_room(chat.token, rid=chat.rid)).room
    assert room.served_by is not None and room.served_by.id == other.user_id
    page = await async_manager_client.room.get_transfer_history(chat.rid)
    assert page.total == 1 and len(page.items) == 1
    entry = page.items[0]
    assert entry.scope == "agent" and entry.comment == "yours"
    assert entry.transferred_by.id == chat.agent.user_id
    assert entry.transferred_by.user_type == "agent"
    assert entry.transferred_to is not None and entry.transferred_to.id == other.user_id
    # and back, as the manager: two entries, walked page by page
    await async_manager_client.room.forward_room(chat.rid, user_id=chat.agent.user_id)
    walked = [
        e async for e in async_manager_client.room.iter_transfer_history(chat.rid, page_size=1)
    ]
    assert [e.transferred_by.user_type for e in walked] == ["agent", "user"]
    newest = await async_manager_client.room.get_transfer_history(chat.rid, sort={"ts": -1})
    assert newest.items[0].transferred_to is not None
    assert newest.items[0].transferred_to.id == chat.agent.user_id


async def test_forward_to_agent_refusals(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    offline = livechat_server.create_agent(available=False)
    room = async_manager_client.room
    with pytest.raises(AgentOfflineError) as caught:
        await room.forward_room(chat.rid, user_id=offline.user_id)
    assert caught.value.error == "error-user-is-offline"
    with pytest.raises(ForwardingError) as same:
        await room.forward_room(chat.rid, user_id=chat.agent.user_id)
    assert same.value.error == "error-selected-agent-room-agent-are-same"
    with pytest.raises(InvalidRoomError) as missing:
        await room.forward_room("no-such-room", user_id=offline.user_id)
    assert missing.value.error == "error-invalid-room"
    with pytest.raises(InvalidArgumentError) as no_target:
        await room.forward_room(chat.rid)
    assert no_target.value.argument == "department_id"
    livechat_server.close_room(chat.agent, chat.rid)
    with pytest.raises(RoomClosedError) as closed:
        await room.forward_room(chat.rid, user_id=offline.user_id)
    assert closed.value.error == "This_conversation_is_already_closed"


async def test_forward_to_department_auto_selection(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    first = livechat_server.create_agent()
    sales = livechat_server.create_department(f"Sales-{first.username}", [first])
    token = await register(async_livechat_client)
    await async_livechat_client.visitor.register_visitor(token, department=sales["_id"])
    room = (await async_livechat_client.room.get_room(token)).room
    assert room.served_by is not None and room.served_by.id == first.user_id
    target = livechat_server.create_agent()
    billing = livechat_server.create_department(f"Billing-{target.username}", [target])
    manager = async_manager_client.room
    with pytest.raises(ForwardingError) as same:
        await manager.forward_room(room.id, department_id=sales["_id"])
    assert same.value.error == "error-forwarding-chat-same-department"
    with pytest.raises(InvalidDepartmentError) as unknown:
        await manager.forward_room(room.id, department_id="no-such-department")
    assert unknown.value.error == "error-invalid-department"
    with pytest.raises(ForwardingError) as outside:
        await manager.forward_room(room.id, department_id=billing["_id"], user_id=first.user_id)
    assert outside.value.error == "error-user-not-belong-to-department"
    await manager.forward_room(room.id, department_id=billing["_id"], comment="invoice")
    moved = (await async_livechat_client.room.get_room(token, rid=room.id)).room
    assert moved.served_by is not None and moved.served_by.id == target.user_id
    assert moved.department_id == billing["_id"]
    entry = (await manager.get_transfer_history(room.id)).items[-1]
    assert entry.scope == "department" and entry.previous_department == sales["_id"]
    assert entry.next_department is not None and entry.next_department.id == billing["_id"]
    # a department whose only agent already serves the chat: nobody else can take it
    support = livechat_server.create_department(f"Support-{target.username}", [target])
    with pytest.raises(NoAgentOnlineError) as nobody:
        await manager.forward_room(room.id, department_id=support["_id"])
    assert nobody.value.error == "error-no-agents-online-in-department"


async def test_forward_to_department_manual_selection_requeues(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    livechat_server.set_routing("Manual_Selection")
    first = livechat_server.create_agent()
    token = await register(async_livechat_client)
    room = (await async_livechat_client.room.get_room(token)).room
    livechat_server.take(first, room.id)
    target = livechat_server.create_agent()
    billing = livechat_server.create_department(f"Billing-{target.username}", [target])
    async with as_agent(livechat_server, first) as agent:
        await agent.room.forward_room(room.id, department_id=billing["_id"])
    queued = (await async_livechat_client.room.get_room(token, rid=room.id)).room
    assert queued.served_by is None and queued.department_id == billing["_id"]
    inquiry = await async_manager_client.inquiries.get_inquiry(room.id)
    assert inquiry is not None and inquiry.status == "queued"
    # forwarding a queued chat to an agent assigns it
    await async_manager_client.room.forward_room(room.id, user_id=target.user_id)
    served = (await async_livechat_client.room.get_room(token, rid=room.id)).room
    assert served.served_by is not None and served.served_by.id == target.user_id
    history = await async_manager_client.room.get_transfer_history(room.id)
    assert [e.scope for e in history.items] == ["department", "agent"]


async def test_join_room(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    assert await async_manager_client.room.join_room(chat.rid) is None
    room = (await async_livechat_client.room.get_room(chat.token, rid=chat.rid)).room
    assert room.users_count == 3
    with pytest.raises(UserAlreadyInRoomError) as again:
        await async_manager_client.room.join_room(chat.rid)
    assert again.value.error == "error-user-already-in-room"
    stranger = livechat_server.create_agent()
    async with as_agent(livechat_server, stranger) as agent:
        with pytest.raises(PermissionDeniedError):
            await agent.room.get_transfer_history(chat.rid)
        with pytest.raises(ActionNotAllowedError) as refused:
            await agent.room.join_room(chat.rid)
        assert refused.value.error == "error-not-allowed"
    livechat_server.close_room(chat.agent, chat.rid)
    with pytest.raises(RoomClosedError) as closed:
        await async_manager_client.room.join_room(chat.rid)
    assert closed.value.error == "room-closed"
