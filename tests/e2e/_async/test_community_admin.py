"""Community Omnichannel administration end to end (issue #15, part A): the routing config,
archived departments, department look-ups, agents' info, returning a chat to the queue, deleting
closed rooms, room sources and agents' transcript requests — through the SDK, typed answers and
typed refusals."""

from __future__ import annotations

import secrets

import pytest

from rocketchat_livechat import (
    AsyncLivechatClient,
    DepartmentNotFoundError,
    DepartmentSaveError,
    InvalidArgumentError,
    InvalidRoomError,
    NotAnAgentError,
    PermissionDeniedError,
    RoomClosedError,
    TranscriptRequestError,
)
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

from ._support import open_chat

pytestmark = pytest.mark.e2e


def _as(server: LivechatTestServer, agent: Agent) -> AsyncLivechatClient:
    return AsyncLivechatClient(server.url, user_id=agent.user_id, auth_token=agent.auth_token)


async def test_routing_config(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    livechat_server.set_routing("Manual_Selection")
    manual = await async_manager_client.config.get_routing_config()
    assert manual.preview_room is True and manual.return_queue is True
    assert manual.auto_assign_agent is False
    livechat_server.set_routing("Auto_Selection")
    auto = await async_manager_client.config.get_routing_config()
    assert auto.auto_assign_agent is True and auto.show_queue_link is True


async def test_archived_departments_and_look_ups(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    manager = async_manager_client
    tag = secrets.token_hex(4)
    first = livechat_server.create_department(f"Look A {tag}")
    second = livechat_server.create_department(f"Look B {tag}")

    found = await manager.departments.autocomplete_departments(tag)
    assert [d.id for d in found] == [first["_id"], second["_id"]]
    assert found[0].name == first["name"]
    without = await manager.departments.autocomplete_departments(tag, exceptions=[first["_id"]])
    assert [d.id for d in without] == [second["_id"]]
    by_ids = await manager.departments.list_departments_by_ids(
        [first["_id"], second["_id"]], fields={"name": 1}
    )
    assert sorted(d.name or "" for d in by_ids) == [first["name"], second["name"]]
    assert await manager.departments.is_department_creation_available() is True

    await manager.departments.archive_department(first["_id"])
    listed = await manager.departments.list_departments(text=tag)
    assert [d.id for d in listed.items] == [second["_id"]]
    archived = await manager.departments.list_archived_departments(text=tag)
    assert [(d.id, d.archived, d.enabled) for d in archived.items] == [(first["_id"], True, False)]
    assert [d.id for d in await manager.departments.autocomplete_departments(tag)] == [
        second["_id"]
    ]
    shown = await manager.departments.autocomplete_departments(tag, show_archived=True)
    assert [d.id for d in shown] == [first["_id"]]
    with pytest.raises(DepartmentSaveError) as refused:
        await manager.departments.update_department(first["_id"], first["name"], "a@example.com")
    assert refused.value.error == "error-archived-department-cant-be-enabled"

    await manager.departments.unarchive_department(first["_id"])
    assert (await manager.departments.list_archived_departments(text=tag)).items == []
    with pytest.raises(DepartmentNotFoundError):
        await manager.departments.archive_department("no-such-department")
    with pytest.raises(DepartmentNotFoundError):
        await manager.departments.unarchive_department("no-such-department")
    with pytest.raises(InvalidArgumentError):
        await manager.departments.list_departments_by_ids([])


async def test_save_agent_info(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    agent = livechat_server.create_agent()
    old = livechat_server.create_department(f"Old {secrets.token_hex(3)}", [agent])
    new = livechat_server.create_department(f"New {secrets.token_hex(3)}")
    await async_manager_client.agents.save_agent_info(
        agent.user_id, {"maxNumberSimultaneousChat": 3}, [new["_id"]]
    )
    mine = await async_manager_client.agents.get_agent_departments(agent.user_id)
    assert [d.department_id for d in mine] == [new["_id"]]
    assert old["_id"] not in {d.department_id for d in mine}
    with pytest.raises(NotAnAgentError):
        await async_manager_client.agents.save_agent_info("nobody", {}, [])
    async with _as(livechat_server, agent) as as_agent:
        with pytest.raises(PermissionDeniedError):
            await as_agent.agents.save_agent_info(agent.user_id, {}, [])


async def test_return_as_inquiry(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    async with _as(livechat_server, chat.agent) as as_agent:
        assert await as_agent.inquiries.return_as_inquiry(chat.rid) is True
        inquiry = await as_agent.inquiries.get_inquiry(chat.rid)
        assert inquiry is not None and inquiry.status == "queued"
        room = (await async_livechat_client.room.get_room(chat.token)).room
        assert room.served_by is None
        assert await as_agent.inquiries.return_as_inquiry(chat.rid) is False
        history = await async_manager_client.room.get_transfer_history(chat.rid)
        assert history.items[-1].scope == "queue"
        with pytest.raises(InvalidRoomError):
            await as_agent.inquiries.return_as_inquiry("no-such-room")
        livechat_server.take(chat.agent, chat.rid)
        livechat_server.close_room(chat.agent, chat.rid)
        with pytest.raises(RoomClosedError):
            await as_agent.inquiries.return_as_inquiry(chat.rid)


@pytest.mark.rc_version("8.8")  # livechat/rooms.delete: 7.12+, rooms.removeAllClosedRooms: 8.0+
async def test_delete_closed_rooms_and_filters(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    manager = async_manager_client
    chat = await open_chat(async_livechat_client, livechat_server)
    filters = await manager.room.get_room_filters()
    assert "api" in {f.type for f in filters}
    livechat_server.close_room(chat.agent, chat.rid)
    await manager.room.delete_room(chat.rid)
    with pytest.raises(InvalidRoomError):
        await manager.room.delete_room(chat.rid)
    assert await manager.room.remove_all_closed_rooms(department_ids=["no-such-dep"]) == 0
    async with _as(livechat_server, chat.agent) as as_agent:
        with pytest.raises(PermissionDeniedError):
            await as_agent.room.remove_all_closed_rooms()


async def test_agent_transcript_request(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    manager = async_manager_client
    chat = await open_chat(async_livechat_client, livechat_server)
    await manager.room.request_transcript_for_room(chat.rid, "visitor@example.com", "Our chat")
    with pytest.raises(TranscriptRequestError) as again:
        await manager.room.request_transcript_for_room(chat.rid, "visitor@example.com", "x")
    assert again.value.error == "error-transcript-already-requested"
    await manager.room.cancel_transcript_request(chat.rid)
    with pytest.raises(TranscriptRequestError) as cancelled:
        await manager.room.cancel_transcript_request(chat.rid)
    assert cancelled.value.error == "error-transcript-not-requested"
    with pytest.raises(InvalidRoomError):
        await manager.room.request_transcript_for_room("no-such-room", "a@example.com", "s")
    async with _as(livechat_server, chat.agent) as as_agent:
        with pytest.raises(PermissionDeniedError):
            await as_agent.room.request_transcript_for_room(chat.rid, "a@example.com", "s")
