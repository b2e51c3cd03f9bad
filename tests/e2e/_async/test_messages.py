"""Messages end to end: send, get, edit, delete, history and its iterator, agent replies, and a
send retried after its response was lost."""

from __future__ import annotations

import httpx2
import pytest

from rocketchat_livechat import (
    ActionNotAllowedError,
    AsyncLivechatClient,
    InvalidMessageError,
    InvalidRoomError,
    InvalidTokenError,
    new_visitor_token,
)
from rocketchat_livechat.testing.plugin import LivechatTestServer

from ._support import LoseResponses, open_chat, register

pytestmark = pytest.mark.e2e


async def test_send_get_edit_delete(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    sent = await async_livechat_client.messages.send_message(chat.token, chat.rid, "Hello ✓")
    assert (sent.rid, sent.msg, sent.token) == (chat.rid, "Hello ✓", chat.token)
    assert len(sent.id) == 17  # the SDK's own id
    fetched = await async_livechat_client.messages.get_message(sent.id, chat.token, chat.rid)
    assert (fetched.id, fetched.msg) == (sent.id, "Hello ✓")
    edited = await async_livechat_client.messages.update_message(
        sent.id, chat.token, chat.rid, "Hello, edited"
    )
    assert edited.msg == "Hello, edited" and edited.edited
    deleted = await async_livechat_client.messages.delete_message(sent.id, chat.token, chat.rid)
    assert deleted.id == sent.id
    with pytest.raises(InvalidMessageError) as caught:
        await async_livechat_client.messages.get_message(sent.id, chat.token, chat.rid)
    assert caught.value.error == "invalid-message"


async def test_send_with_my_own_id(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    message_id = "MyOwnId-" + new_visitor_token()[:9]
    sent = await async_livechat_client.messages.send_message(
        chat.token, chat.rid, "hi", message_id=message_id
    )
    assert sent.id == message_id


async def test_message_errors(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    with pytest.raises(InvalidTokenError):
        await async_livechat_client.messages.send_message(new_visitor_token(), chat.rid, "x")
    with pytest.raises(InvalidRoomError):
        await async_livechat_client.messages.send_message(chat.token, "NoSuchRoom", "x")
    stranger = await register(async_livechat_client, "Mallory")
    with pytest.raises(InvalidRoomError):  # someone else's room looks like no room at all
        await async_livechat_client.messages.get_message_history(chat.rid, stranger)
    reply = livechat_server.agent_send(chat.agent, chat.rid, "How can I help?")
    with pytest.raises(ActionNotAllowedError) as caught:  # not the visitor's message
        await async_livechat_client.messages.update_message(
            reply["_id"], chat.token, chat.rid, "hijacked"
        )
    assert caught.value.error == "error-action-not-allowed"
    with pytest.raises(ActionNotAllowedError):
        await async_livechat_client.messages.delete_message(reply["_id"], chat.token, chat.rid)


async def test_editing_can_be_disabled(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    sent = await async_livechat_client.messages.send_message(chat.token, chat.rid, "typo")
    livechat_server.set_setting("Message_AllowEditing", False)
    with pytest.raises(ActionNotAllowedError):
        await async_livechat_client.messages.update_message(sent.id, chat.token, chat.rid, "fix")


async def test_history_and_its_iterator(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    texts = [f"message {i}" for i in range(7)]
    for text in texts:
        await async_livechat_client.messages.send_message(chat.token, chat.rid, text)
    livechat_server.agent_send(chat.agent, chat.rid, "agent reply")
    page = await async_livechat_client.messages.get_message_history(chat.rid, chat.token, limit=3)
    assert [m.msg for m in page] == ["agent reply", "message 6", "message 5"]
    everything = await async_livechat_client.messages.get_message_history(
        chat.rid, chat.token, limit=100
    )
    older = await async_livechat_client.messages.get_message_history(
        chat.rid, chat.token, end=page[-1].ts, limit=2
    )
    assert [m.msg for m in older] == ["message 4", "message 3"]
    walked = [
        m
        async for m in async_livechat_client.messages.iter_message_history(
            chat.rid, chat.token, page_size=3
        )
    ]
    assert [m.id for m in walked] == [m.id for m in everything]
    assert {"livechat-started", None} <= {m.t for m in walked}  # system messages included


async def test_agent_reply(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    async with AsyncLivechatClient(
        livechat_server.url, user_id=chat.agent.user_id, auth_token=chat.agent.auth_token
    ) as agent_client:
        reply = await agent_client.messages.send_agent_message(chat.rid, "Hi, I am your agent")
    assert (reply.rid, reply.msg) == (chat.rid, "Hi, I am your agent")
    assert reply.u is not None and reply.u.id == chat.agent.user_id
    seen = await async_livechat_client.messages.get_message(reply.id, chat.token, chat.rid)
    assert seen.msg == "Hi, I am your agent"


async def test_send_retried_after_a_lost_response_is_not_duplicated(
    livechat_server: LivechatTestServer,
) -> None:
    lossy = LoseResponses(livechat_server.url, "POST", "/api/v1/livechat/message")
    async with AsyncLivechatClient(
        livechat_server.url, transport=httpx2.MockTransport(lossy)
    ) as client:
        chat = await open_chat(client, livechat_server)
        sent = await client.messages.send_message(chat.token, chat.rid, "only once")
        history = await client.messages.get_message_history(chat.rid, chat.token)
    await lossy.aclose()
    sends = [status for method, path, status in lossy.seen if path.endswith("livechat/message")]
    assert sends == [200, 400]  # stored, then refused as a duplicate _id
    assert lossy.seen[-2][:2] == ("GET", f"/api/v1/livechat/message/{sent.id}")
    assert sent.msg == "only once"
    assert [m.id for m in history if m.msg == "only once"] == [sent.id]
