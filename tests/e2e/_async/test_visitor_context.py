"""Agent-side visitor context end to end: ``client.visitors`` (info, pages visited, chat history,
chat search, autocomplete, search), ``room.get_visitor_rooms`` and ``room.save_room_info``."""

from __future__ import annotations

import secrets

import pytest

from rocketchat_livechat import (
    AsyncLivechatClient,
    AuthenticationError,
    InvalidRoomError,
    PermissionDeniedError,
    VisitorNotFoundError,
)
from rocketchat_livechat.testing.plugin import LivechatTestServer

from ._support import open_chat

pytestmark = pytest.mark.e2e


def _page(name: str) -> dict[str, object]:
    return {"change": "url", "title": name, "location": {"href": f"https://shop.test/{name}"}}


@pytest.mark.rc_version("8.8")  # visitors.info without the visitor's token: 8.5+
async def test_visitor_context_for_the_serving_agent(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    name = f"Ctx{secrets.token_hex(4)} Alice"  # unique: autocomplete answers 10 at most
    visitor = await async_livechat_client.visitor.register_visitor(chat.token, name=name)
    await async_livechat_client.visitor.send_page_visited(chat.token, chat.rid, _page("pricing"))
    await async_livechat_client.messages.send_message(chat.token, chat.rid, "about my refund")
    async with AsyncLivechatClient(
        livechat_server.url, user_id=chat.agent.user_id, auth_token=chat.agent.auth_token
    ) as agent:
        info = await agent.visitors.get_info(visitor.id)
        assert (info.id, info.name) == (visitor.id, name)
        assert info.token is None  # Rocket.Chat 8.5 no longer reveals it
        with pytest.raises(VisitorNotFoundError):
            await agent.visitors.get_info("no-such-visitor")

        pages = await agent.visitors.get_pages_visited(chat.rid)
        assert [p.msg for p in pages.items] == ["pricing - https://shop.test/pricing"]
        assert pages.total == 1
        with pytest.raises(InvalidRoomError):
            await agent.visitors.get_pages_visited("no-such-room")

        history = await agent.visitors.get_chat_history(chat.rid, visitor.id, count=10)
        assert [r.id for r in history.items] == [chat.rid]
        found = await agent.visitors.search_chats(chat.rid, visitor.id, search_text="refund")
        assert [r.id for r in found.items] == [chat.rid]
        none = await agent.visitors.search_chats(chat.rid, visitor.id, closed_chats_only=True)
        assert none.items == [] and none.total == 0

        items = await agent.visitors.autocomplete(name[:11], exceptions=["someone-else"])
        assert visitor.id in {v.id for v in items}
        searched = await agent.visitors.search(name[:11])
        assert visitor.id in {v.id for v in searched.items}

        await agent.room.save_room_info(
            chat.rid, visitor.id, topic="Refund", name="Alice Smith", email="alice@shop.test"
        )
        with pytest.raises(InvalidRoomError):
            await agent.room.save_room_info("no-such-room", visitor.id)
        with pytest.raises(PermissionDeniedError):  # managers only
            await agent.room.get_visitor_rooms(chat.token)
    updated = await async_livechat_client.visitor.get_visitor(chat.token)
    assert updated.name == "Alice Smith" and updated.email == "alice@shop.test"


async def test_manager_sees_the_visitors_rooms_and_edits_rooms_it_does_not_serve(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    rooms = await async_manager_client.room.get_visitor_rooms(chat.token)
    assert [r.id for r in rooms] == [chat.rid]
    assert await async_manager_client.room.get_visitor_rooms("unknown-token") == []
    visitor = await async_livechat_client.visitor.get_visitor(chat.token)
    # the admin holds no save-others-livechat-room-info (livechat-manager/-monitor do)
    with pytest.raises(PermissionDeniedError) as refused:
        await async_manager_client.room.save_room_info(chat.rid, visitor.id, topic="x")
    assert refused.value.code == 403
    other = livechat_server.create_agent(available=False)
    async with AsyncLivechatClient(
        livechat_server.url, user_id=other.user_id, auth_token=other.auth_token
    ) as stranger:
        with pytest.raises(PermissionDeniedError):
            await stranger.room.save_room_info(chat.rid, visitor.id, topic="x")


async def test_visitors_need_a_user(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    with pytest.raises(AuthenticationError):
        await async_livechat_client.visitors.get_info("v1")
