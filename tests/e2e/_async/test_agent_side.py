"""Agent and manager side end to end: login/logout, rooms, inquiries, users, departments,
agent status, server version."""

from __future__ import annotations

import secrets

import pytest

from rocketchat_livechat import (
    AsyncLivechatClient,
    AuthenticationError,
    InquiryTakenError,
    PermissionDeniedError,
)
from rocketchat_livechat.testing.plugin import LivechatTestServer

from ._support import open_chat, register

pytestmark = pytest.mark.e2e


async def test_login_and_logout(livechat_server: LivechatTestServer) -> None:
    agent = livechat_server.create_agent()
    async with AsyncLivechatClient(livechat_server.url) as client:
        result = await client.login(agent.username, agent.password)
        assert result.user_id == agent.user_id
        assert client.user_id == agent.user_id
        assert result.me["username"] == agent.username
        status = await client.users.set_agent_status("not-available")
        assert status.status == "not-available"
        await client.logout()
        assert client.user_id is None
        with pytest.raises(AuthenticationError) as not_logged_in:
            await client.users.set_agent_status("available")
        assert not_logged_in.value.error_type == "SDK"
        with pytest.raises(AuthenticationError) as wrong:
            await client.login(agent.username, "wrong-password")
        assert wrong.value.code == 401
        assert wrong.value.error_type == "API"


async def test_revoked_token_is_an_authentication_error(
    livechat_server: LivechatTestServer,
) -> None:
    async with AsyncLivechatClient(
        livechat_server.url, user_id="nobody", auth_token=secrets.token_urlsafe(16)
    ) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.room.list_rooms()
    assert caught.value.code == 401


async def test_server_version(async_livechat_client: AsyncLivechatClient) -> None:
    version = await async_livechat_client.server_version()
    assert len(version) == 3 and version >= (6, 0, 0)


async def test_agent_status(livechat_server: LivechatTestServer) -> None:
    agent = livechat_server.create_agent()
    async with AsyncLivechatClient(
        livechat_server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as client:
        assert (await client.users.set_agent_status("not-available")).status == "not-available"
        assert (await client.users.set_agent_status("available")).status == "available"


async def test_list_and_iterate_rooms(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    chats = [await open_chat(async_livechat_client, livechat_server) for _ in range(3)]
    mine = {chat.rid for chat in chats}
    agents = [chat.agent.user_id for chat in chats]
    page = await async_manager_client.room.list_rooms(agents=agents, open=True, count=2)
    assert page.count == 2 and page.total == 3
    assert {room.id for room in page.items} <= mine
    walked = [
        room.id async for room in async_manager_client.room.iter_rooms(page_size=2, agents=agents)
    ]
    assert sorted(walked) == sorted(mine)
    await async_livechat_client.room.close_room(chats[0].rid, chats[0].token)
    still_open = await async_manager_client.room.list_rooms(agents=agents, open=True)
    assert {room.id for room in still_open.items} == mine - {chats[0].rid}


async def test_inquiries_with_manual_selection(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    livechat_server.set_routing("Manual_Selection")
    agent = livechat_server.create_agent()
    token = await register(async_livechat_client, "Queued Visitor")
    room = await async_livechat_client.room.get_room(token)
    assert room.room.served_by is None  # waiting in the queue
    inquiry = await async_manager_client.inquiries.get_inquiry(room.room.id)
    assert inquiry is not None
    assert (inquiry.rid, inquiry.status) == (room.room.id, "queued")
    page = await async_manager_client.inquiries.list_inquiries()
    assert inquiry.id in {i.id for i in page.items}
    queued = [i.id async for i in async_manager_client.inquiries.iter_inquiries(page_size=1)]
    assert inquiry.id in queued and len(queued) == page.total
    async with AsyncLivechatClient(
        livechat_server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as agent_client:
        await agent_client.inquiries.take_inquiry(inquiry.id)
        with pytest.raises(InquiryTakenError):
            await agent_client.inquiries.take_inquiry(inquiry.id)
    taken = await async_manager_client.inquiries.get_inquiry(room.room.id)
    assert taken is not None and taken.status == "taken"
    served = await async_livechat_client.room.get_room(token, rid=room.room.id)
    assert served.room.served_by is not None and served.room.served_by.id == agent.user_id
    await async_livechat_client.room.close_room(room.room.id, token)
    assert await async_manager_client.inquiries.get_inquiry(room.room.id) is None


async def test_users(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    agent = livechat_server.create_agent()
    found = await async_manager_client.users.get_user("agent", agent.user_id)
    assert found is not None
    assert (found.username, found.status_livechat) == (agent.username, "available")
    agents = [u.username async for u in async_manager_client.users.iter_users("agent", page_size=2)]
    assert agent.username in agents
    listed = await async_manager_client.users.list_users("agent", count=1)
    assert listed.count == 1 and listed.total == len(agents)
    manager = await async_manager_client.users.create_user("manager", agent.username)
    assert (manager.id, manager.username) == (agent.user_id, agent.username)
    managers = await async_manager_client.users.list_users("manager")
    assert agent.user_id in {u.id for u in managers.items}
    await async_manager_client.users.delete_user("manager", agent.user_id)
    assert await async_manager_client.users.get_user("manager", agent.user_id) is None


async def test_departments(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    agent = livechat_server.create_agent()
    name = f"Support {secrets.token_hex(3)}"
    created = livechat_server.create_department(name, [agent])
    page = await async_manager_client.departments.list_departments(text=name, enabled=True)
    assert [d.id for d in page.items] == [created["_id"]]
    assert page.items[0].name == name
    details = await async_manager_client.departments.get_department(created["_id"])
    assert details.department is not None and details.department.name == name
    assert [a.agent_id for a in details.agents] == [agent.user_id]


async def test_agents_without_manager_permission_are_refused(
    livechat_server: LivechatTestServer,
) -> None:
    agent = livechat_server.create_agent()
    async with AsyncLivechatClient(
        livechat_server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as client:
        with pytest.raises(PermissionDeniedError) as caught:
            await client.inquiries.list_inquiries()
        assert caught.value.code == 403
        with pytest.raises(PermissionDeniedError):
            await client.users.create_user("manager", agent.username)
